"""Test-session environment: Airflow and itaflow point at throw-away folders.

Set before anything imports Airflow, so no test can touch a developer's
~/airflow or the demo's data.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

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
