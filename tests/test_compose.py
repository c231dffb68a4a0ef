"""The compose stack is the official Airflow 3 shape, validates, and keeps its secrets in .env.

Docker cannot run here; ``docker-compose config -q`` validates the file without an
engine (``scripts/system-deps.sh`` installs Debian's ``docker-compose``), and the
structure is read with PyYAML. ``tests/test_celery.py`` runs the same shape as processes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
COMPOSE = REPO / "docker-compose.yml"
AIRFLOW = ("airflow-apiserver", "airflow-scheduler", "airflow-dag-processor",
           "airflow-worker", "airflow-triggerer")  # fmt: skip


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "_AIRFLOW"))}


@pytest.mark.skipif(not shutil.which("docker-compose"), reason="docker-compose not installed")
@pytest.mark.parametrize("env_file", [None, ".env.example"])
def test_docker_compose_config_validates(env_file, tmp_path):
    cmd = ["docker-compose", "-f", str(COMPOSE)]
    if env_file:
        cmd += ["--env-file", str(REPO / env_file)]
    out = subprocess.run([*cmd, "config", "-q"], cwd=tmp_path, env=clean_env(),
                         capture_output=True, text=True, timeout=60)  # fmt: skip
    assert out.returncode == 0, out.stderr


def test_every_service_of_the_official_shape_with_health_checks():
    services = compose()["services"]
    assert set(services) >= {*AIRFLOW, "airflow-init", "postgres", "redis", "mailpit"}
    for name in (*AIRFLOW, "postgres", "redis", "mailpit"):
        assert services[name].get("healthcheck", {}).get("test"), f"{name} has no health check"
    for name in AIRFLOW:
        assert services[name]["depends_on"]["airflow-init"] == {
            "condition": "service_completed_successfully"
        }
        assert services[name]["environment"]["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    for name, service in services.items():
        image = service.get("image", "")
        assert ":" in image and not image.endswith(":latest"), f"{name}: pin the image ({image})"


def test_airflow_init_goes_through_the_image_entrypoint_and_owns_the_folders():
    init = compose()["services"]["airflow-init"]
    script = (REPO / "docker" / "airflow-init.sh").read_text(encoding="utf-8")
    assert init["environment"]["_AIRFLOW_DB_MIGRATE"] == "true"
    assert (
        "/entrypoint airflow" in script and "/entrypoint python -m itaflow.cli db upgrade" in script
    )
    assert re.search(
        r"chown -R \"\$\{uid\}:0\" .*/opt/itaflow-data/\{inbox,shared,reports\}", script
    )
    mounts = {m.split(":")[1] for m in init["volumes"]}
    assert {
        "/opt/itaflow-data/inbox",
        "/opt/itaflow-data/reports",
        "/opt/itaflow-data/shared",
    } <= mounts


def test_no_secret_is_written_in_the_compose_file():
    env = compose()["x-airflow-common"]["environment"]
    for key in ("AIRFLOW__API_AUTH__JWT_SECRET", "AIRFLOW__API__SECRET_KEY",
                "AIRFLOW__CORE__FERNET_KEY"):  # fmt: skip
        assert re.fullmatch(r"\$\{[A-Z_]+:-\}", env[key]), f"{key} must come from .env"
    assert "PASSWORD" in (REPO / ".env.example").read_text(encoding="utf-8")
    assert ".env" in (REPO / ".gitignore").read_text(encoding="utf-8").split()


def test_the_image_installs_from_the_lock():
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    assert "uv sync --frozen --no-dev --no-editable" in dockerfile
    assert "pip install" not in dockerfile
