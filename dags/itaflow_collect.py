"""
### itaflow · รับไฟล์รายงาน (collect submissions)

Every 30 minutes: look at the inbox, hash every file, keep its original under its
hash and register it in the warehouse as a *received* submission. Nothing in the
inbox is ever moved or deleted. When new files arrived, the asset
`itaflow://submissions/received` is updated, which starts **itaflow_validate_load**.
"""

from __future__ import annotations

from airflow.sdk import Asset, dag, task
from itaflow_dag_common import dag_options, prepare_warehouse

RECEIVED = Asset("itaflow://submissions/received")


@dag(
    schedule="*/30 * * * *",
    **dag_options(retries=2, retry_minutes=2),
)
def itaflow_collect():
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
