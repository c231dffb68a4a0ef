"""
### itaflow · รับไฟล์รายงาน (collect submissions)

Every 30 minutes: look at the inbox, hash every file, keep its original under its
hash and register it in the warehouse as a *received* submission. Nothing in the
inbox is ever moved or deleted. When new files arrived, the asset
`itaflow://submissions/received` is updated, which starts **itaflow_validate_load**.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import Asset, dag, task

RECEIVED = Asset("itaflow://submissions/received")


@dag(
    schedule="*/30 * * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="Asia/Bangkok"),
    catchup=False,
    max_active_runs=1,
    tags=["itaflow"],
    default_args={
        "retries": 2,
        "retry_delay": pendulum.duration(minutes=2),
        # No task may hold the DAG (max_active_runs=1) forever.
        "execution_timeout": pendulum.duration(minutes=30),
    },
)
def itaflow_collect():
    @task
    def prepare_warehouse() -> None:
        from itaflow import pipeline, settings

        pipeline.prepare_warehouse(settings.load())

    @task
    def collect_inbox(run_id: str | None = None) -> dict:
        from itaflow import pipeline, settings

        return pipeline.collect(settings.load(), run_id=run_id)

    @task.short_circuit
    def anything_new(summary: dict) -> bool:
        return summary["new"] > 0

    @task(outlets=[RECEIVED])
    def announce(summary: dict) -> dict:
        return summary

    summary = collect_inbox()
    prepare_warehouse() >> summary
    anything_new(summary) >> announce(summary)


itaflow_collect()
