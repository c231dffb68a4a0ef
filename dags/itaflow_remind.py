"""
### itaflow · แจ้งเตือน อปท. (remind the LAOs that must act)

Every day (08:00 Asia/Bangkok; `ITAFLOW_REMIND_SCHEDULE` sets another cron), from
`ITAFLOW_REMIND_LEAD_DAYS` before a round's due date until
`ITAFLOW_REMIND_AFTER_DUE_DAYS` after it, mail each LAO that has not sent, whose
report was rejected or whose file could not be opened (addresses from the office's
contacts CSV, `ITAFLOW_CONTACTS_CSV`), then one digest to the office. An LAO is
never reminded twice on one day, also when this DAG is re-run or retried: each
reminder is recorded in the warehouse before it is sent. Trigger by hand with
params `fiscal_year`, `round`, `day` to remind for a given round and day.
"""

from __future__ import annotations

import os

import pendulum
from airflow.sdk import CronTriggerTimetable, Param, dag, task
from itaflow_dag_common import dag_options, prepare_warehouse, smtp_from_connection

SCHEDULE = os.environ.get("ITAFLOW_REMIND_SCHEDULE") or "0 8 * * *"


@dag(
    schedule=CronTriggerTimetable(SCHEDULE, timezone="Asia/Bangkok"),
    params={
        "fiscal_year": Param(None, type=["null", "integer"], description="ปีงบประมาณ (พ.ศ.)"),
        "round": Param(None, type=["null", "string"], enum=[None, "H1", "FY"]),
        "province": Param(None, type=["null", "string"], description="จังหวัด"),
        "day": Param(None, type=["null", "string"], description="วันที่แจ้งเตือน YYYY-MM-DD"),
    },
    **dag_options(retries=3, retry_minutes=10),
)
def itaflow_remind():
    @task
    def choose_rounds(params: dict | None = None, logical_date=None) -> list[dict]:
        from itaflow import remind, settings

        params = params or {}
        when = logical_date or pendulum.now("UTC")
        day = params.get("day") or when.in_timezone("Asia/Bangkok").date().isoformat()
        if params.get("fiscal_year") and params.get("round"):
            rounds = [(int(params["fiscal_year"]), params["round"])]
        else:
            rounds = remind.rounds_to_remind(pendulum.parse(day).date(), settings.load())
        return [
            {"fiscal_year": fy, "round": rnd, "province": params.get("province"), "day": day}
            for fy, rnd in rounds
        ]

    @task(map_index_template="{{ round_label }}")
    def send_reminders(round_: dict, run_id: str | None = None) -> dict:
        from datetime import date

        from airflow.sdk import get_current_context

        from itaflow import remind, settings

        get_current_context()["round_label"] = f"{round_['fiscal_year']}-{round_['round']}"

        return remind.send_reminders(
            settings.load(),
            round_["fiscal_year"],
            round_["round"],
            date.fromisoformat(round_["day"]),
            province=round_["province"],
            run_id=run_id,
            smtp=smtp_from_connection(),
        )

    rounds = choose_rounds()
    prepare_warehouse() >> rounds
    send_reminders.expand(round_=rounds)


itaflow_remind()
