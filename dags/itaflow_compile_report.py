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

REPORT = Asset("itaflow://reports/provincial")


def smtp_from_connection():
    """Airflow's ``smtp_default`` connection as itaflow's SmtpConfig, or None for the outbox.

    Only a connection that is not defined (or has no host) means the outbox, and the log
    says so; any other failure to read it fails the task (Airflow retries) instead of
    silently writing the mail to a folder nobody reads.
    """
    import logging

    from airflow.sdk import Connection
    from airflow.sdk.exceptions import AirflowNotFoundException

    from itaflow.mail import SmtpConfig

    log = logging.getLogger(__name__)
    try:
        conn = Connection.get("smtp_default")
    except AirflowNotFoundException:
        log.warning("no smtp_default connection: mails are written to the outbox")
        return None
    if not conn or not conn.host:
        log.warning("smtp_default has no host: mails are written to the outbox")
        return None
    extra = conn.extra_dejson or {}
    return SmtpConfig(
        host=conn.host,
        port=int(conn.port or 25),
        user=conn.login or None,
        password=conn.password or None,
        starttls=not bool(extra.get("disable_tls", True)),
        timeout=float(extra.get("timeout", 30)),
    )


@dag(
    schedule=CronTriggerTimetable("0 7 1 5,11 *", timezone="Asia/Bangkok"),
    start_date=pendulum.datetime(2026, 1, 1, tz="Asia/Bangkok"),
    catchup=False,
    max_active_runs=1,
    tags=["itaflow"],
    params={
        "fiscal_year": Param(None, type=["null", "integer"], description="ปีงบประมาณ (พ.ศ.)"),
        "round": Param(None, type=["null", "string"], enum=[None, "H1", "FY"]),
        "province": Param(None, type=["null", "string"], description="จังหวัด"),
        "send_again": Param(False, type="boolean", description="ส่งอีเมลซ้ำแม้เคยส่งแล้ว"),
    },
    default_args={
        "retries": 3,
        "retry_delay": pendulum.duration(minutes=5),
        # No task may hold the DAG (max_active_runs=1) forever.
        "execution_timeout": pendulum.duration(minutes=30),
    },
)
def itaflow_compile_report():
    @task
    def prepare_warehouse() -> None:
        from itaflow import pipeline, settings

        pipeline.prepare_warehouse(settings.load())

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
