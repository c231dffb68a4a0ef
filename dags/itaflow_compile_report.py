"""
### itaflow · รายงานสรุประดับจังหวัด (compile and send the provincial report)

Twice a year, the day after each round's due date (6-month round: 1 May; annual
round: 1 November, Asia/Bangkok), compile the provincial report for the round that
just closed (HTML, PDF, XLSX, with links to the Data Docs) and email it through
Airflow's `smtp_default` connection, or to `.eml` files in the outbox when no SMTP
host is configured. Trigger it by hand with params `fiscal_year` and `round` to
compile any round again; a round already mailed is not mailed twice unless
`send_again` is set. The files go to `reports/out/<fiscal year>-<round>/` and the
mail attaches exactly those files.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import Asset, CronTriggerTimetable, Param, dag, task
from itaflow_dag_common import dag_options, prepare_warehouse, smtp_from_connection

REPORT = Asset("itaflow://reports/provincial")


@dag(
    schedule=CronTriggerTimetable("0 7 1 5,11 *", timezone="Asia/Bangkok"),
    params={
        "fiscal_year": Param(None, type=["null", "integer"], description="ปีงบประมาณ (พ.ศ.)"),
        "round": Param(None, type=["null", "string"], enum=[None, "H1", "FY"]),
        "province": Param(None, type=["null", "string"], description="จังหวัด"),
        "send_again": Param(False, type="boolean", description="ส่งอีเมลซ้ำแม้เคยส่งแล้ว"),
    },
    **dag_options(retries=3, retry_minutes=5),
)
def itaflow_compile_report():
    @task
    def choose_round(params: dict | None = None, logical_date=None) -> dict:
        from itaflow import pipeline

        day = logical_date.date() if logical_date else pendulum.now("Asia/Bangkok").date()
        return pipeline.choose_round(day, params or {})

    @task
    def compile_report(round_: dict, run_id: str | None = None) -> dict:
        from itaflow import pipeline, settings

        return pipeline.compile_round(settings.load(), **round_, run_id=run_id)

    @task(outlets=[REPORT])
    def send_report(compiled: dict, params: dict | None = None) -> dict:
        from itaflow import pipeline, settings

        again = bool((params or {}).get("send_again"))
        return pipeline.send_report(
            settings.load(), compiled, smtp=smtp_from_connection(), again=again
        )

    round_ = choose_round()
    prepare_warehouse() >> round_
    send_report(compile_report(round_))


itaflow_compile_report()
