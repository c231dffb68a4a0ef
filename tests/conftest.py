"""Test-session environment: Airflow and itaflow point at throw-away folders.

Set before anything imports Airflow, so no test can touch a developer's
~/airflow or the demo's data.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
_session_home = Path(tempfile.mkdtemp(prefix="itaflow-tests-"))

os.environ.setdefault("AIRFLOW_HOME", str(_session_home / "airflow"))
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
os.environ.setdefault("AIRFLOW__CORE__DAGS_FOLDER", str(REPO / "dags"))
os.environ.setdefault("AIRFLOW__CORE__PLUGINS_FOLDER", str(REPO / "plugins"))
os.environ.setdefault(
    "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", f"sqlite:///{_session_home / 'airflow' / 'airflow.db'}"
)
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ITAFLOW_HOME", str(_session_home / "itaflow"))
os.environ.setdefault("ITAFLOW_REPORTS_OUT", str(_session_home / "reports"))


@pytest.fixture(params=["sqlite", "postgresql"])
def warehouse_url(request, tmp_path):
    """An empty, unmigrated warehouse on each engine (the pipeline migrates it): a SQLite
    file, or a throw-away PostgreSQL schema (loud skip only when no server answers)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'warehouse.db'}"
        return
    from pgtools import fresh_schema

    module = request.module.__name__.rsplit(".", 1)[-1]
    with fresh_schema(f"itaflow_{module[:20]}", f"PostgreSQL cases of {module}") as url:
        yield url


@pytest.fixture(scope="module")
def smtp_collector():
    """A real SMTP server on a loopback port for a module's tests: (collector, port)."""
    from smtptools import Collector, smtp_server

    box = Collector()
    with smtp_server(box) as port:
        yield box, port
