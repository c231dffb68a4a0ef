"""The DAG files import cleanly, stay cheap to parse and wire the stages as documented."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DAGS = Path(__file__).resolve().parents[1] / "dags"
HEAVY = ("pandas", "great_expectations", "typst", "pdfplumber", "openpyxl")


def test_dag_files_import_without_heavy_modules():
    """Parsing a DAG file must not pull pandas, GE or typst (the scheduler parses often)."""
    code = (
        "import sys, runpy, glob\n"
        # Airflow puts the plugins folder on sys.path (the DAGs share itaflow_dag_common).
        f"sys.path.insert(0, {str(DAGS.parent / 'plugins')!r})\n"
        f"for f in sorted(glob.glob({str(DAGS)!r} + '/*.py')): runpy.run_path(f)\n"
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"heavy modules imported at parse time: {out.stdout}"


def test_dagbag_has_the_three_dags_and_their_assets():
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS))
    assert bag.import_errors == {}
    assert {"itaflow_collect", "itaflow_validate_load", "itaflow_compile_report"} <= set(
        bag.dag_ids
    )
    collect = bag.dags["itaflow_collect"]
    outlets = {a.uri for t in collect.tasks for a in t.outlets}
    assert "itaflow://submissions/received" in outlets
    validate = bag.dags["itaflow_validate_load"]
    assert {"batch.check_batch", "batch.load_batch", "account"} <= set(validate.task_ids)
    compile_dag = bag.dags["itaflow_compile_report"]
    assert "send_report" in compile_dag.task_ids


def _smtp_from_connection(tmp_path: Path, conn: str | None) -> subprocess.CompletedProcess:
    """Run the compile DAG's ``smtp_from_connection`` with ``smtp_default`` set or not."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "AIRFLOW_CONN_SMTP_DEFAULT"}
    env["AIRFLOW_HOME"] = str(tmp_path)
    if conn is not None:
        env["AIRFLOW_CONN_SMTP_DEFAULT"] = conn
    code = (
        f"import sys; sys.path.insert(0, {str(DAGS)!r})\n"
        "import itaflow_compile_report as m\n"
        "print(repr(m.smtp_from_connection()))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )


def test_only_a_missing_smtp_connection_means_the_outbox_and_the_log_says_so(tmp_path):
    missing = _smtp_from_connection(tmp_path, None)
    assert missing.stdout.strip().endswith("None")
    assert "no smtp_default connection" in missing.stdout + missing.stderr
    defined = _smtp_from_connection(tmp_path, "smtp://mail.example.go.th:2525")
    assert "host='mail.example.go.th'" in defined.stdout and "port=2525" in defined.stdout
    assert "outbox" not in defined.stdout + defined.stderr
