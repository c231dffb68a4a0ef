"""
### itaflow · ตรวจและบันทึก (validate and load)

Starts when **itaflow_collect** reports new files. Pending submissions are split
into batches (never one task per LAO); each batch is read, extracted and checked
with one Great Expectations validation, then loaded in one transaction, in a
mapped task group so one failing batch never holds back the others. Re-running
a run changes nothing. The accounting task proves every received file ended
accepted, rejected or quarantined, and updates `itaflow://warehouse/submissions`.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import Asset, dag, task, task_group
from itaflow_dag_common import dag_options, prepare_warehouse

RECEIVED = Asset("itaflow://submissions/received")
WAREHOUSE = Asset("itaflow://warehouse/submissions")


@dag(
    schedule=[RECEIVED],
    **dag_options(retries=2, retry_minutes=1),
)
def itaflow_validate_load():
    @task
    def plan_batches() -> list[list[int]]:
        from itaflow import pipeline, settings

        return pipeline.plan_batches(settings.load())

    # A batch reads and checks up to ITAFLOW_BATCH_SIZE files, each bounded by the
    # per-file budget (ITAFLOW_SECONDS_PER_FILE_TOTAL); the task as a whole by this.
    @task(map_index_template="{{ batch_label }}", execution_timeout=pendulum.duration(hours=3))
    def check_batch(submission_ids: list[int], run_id: str | None = None) -> str:
        from airflow.sdk import get_current_context

        from itaflow import pipeline, settings

        get_current_context()["batch_label"] = (
            f"{len(submission_ids)} files #{submission_ids[0]}-{submission_ids[-1]}"
        )
        return pipeline.check_batch(submission_ids, settings.load(), run_id=run_id)

    @task(map_index_template="{{ batch_label }}")
    def load_batch(results_key: str, run_id: str | None = None) -> dict:
        from airflow.sdk import get_current_context

        from itaflow import pipeline, settings

        get_current_context()["batch_label"] = results_key.rsplit("/", 1)[-1]
        return pipeline.load_batch(results_key, settings.load(), run_id=run_id)

    @task(outlets=[WAREHOUSE], trigger_rule="all_done")
    def account(batches: list[list[int]]) -> dict:
        from itaflow import pipeline, settings

        return pipeline.account(settings.load(), batches)

    @task(trigger_rule="all_done")
    def data_docs(run_id: str | None = None) -> str | None:
        """Great Expectations Data Docs, once per run (not per batch)."""
        from itaflow import pipeline, settings

        return pipeline.build_data_docs(settings.load(), run_id)

    @task_group
    def batch(submission_ids: list[int]):
        """Check then load one batch: a batch that fails never holds back the others."""
        return load_batch(check_batch(submission_ids))

    batches = plan_batches()
    prepare_warehouse() >> batches
    checked = batch.expand(submission_ids=batches)
    checked >> [account(batches), data_docs()]


itaflow_validate_load()
