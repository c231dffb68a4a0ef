"""Run one itaflow DAG for real with ``dag.test()`` and fail loudly if the run failed.

``airflow dags test`` exits 0 even when a task fails; the demo and the tests need
to know, so this wrapper checks the DagRun state.
Usage: python scripts/run_dag.py DAG_ID [--conf JSON] [--logical-date ISO]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def run(dag_id: str, conf: dict | None = None, logical_date: str | None = None) -> str:
    import pendulum
    from airflow.dag_processing.dagbag import DagBag

    dags_folder = Path(__file__).resolve().parents[1] / "dags"
    bag = DagBag(dag_folder=str(dags_folder))
    if bag.import_errors:
        raise SystemExit(f"DAG import errors: {bag.import_errors}")
    dag = bag.get_dag(dag_id)
    kwargs = {"run_conf": conf or {}}
    if logical_date:
        kwargs["logical_date"] = pendulum.parse(logical_date)
    dag_run = dag.test(**kwargs)
    return str(dag_run.state)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("dag_id")
    parser.add_argument("--conf", default="{}")
    parser.add_argument("--logical-date")
    args = parser.parse_args()
    state = run(args.dag_id, json.loads(args.conf), args.logical_date)
    print(f"{args.dag_id}: {state}")
    return 0 if state.endswith("success") else 1


if __name__ == "__main__":
    sys.exit(main())
