"""The real Airflow 3 components as processes, for the CeleryExecutor test.

``AirflowStack`` starts api-server, scheduler, dag-processor, triggerer and a Celery
worker, each in its own process group, with one environment (PostgreSQL metadata,
Redis broker, the repo's ``dags/``) and stops every group it started by its PID.
``Api`` is the REST client: a JWT from ``/auth/token`` (simple auth manager), then
``/api/v2``. Only the standard library, so it runs wherever the tests run.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

COMPONENTS = {
    "api-server": ["api-server", "--port", "{port}", "--host", "127.0.0.1", "--workers", "1"],
    "scheduler": ["scheduler"],
    "dag-processor": ["dag-processor"],
    "triggerer": ["triggerer", "--skip-serve-logs"],
    "celery-worker": [
        "celery",
        "worker",
        "--queues",
        "{queue}",
        "--concurrency",
        "2",
        "--celery-hostname",
        "{queue}@%h",
        "--skip-serve-logs",
        "--without-gossip",
        "--without-mingle",
    ],
}


@dataclass
class AirflowStack:
    """Every component's process (by PID) and its log file, so a failure shows why."""

    env: dict[str, str]
    logs: Path
    port: int
    queue: str
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)

    def airflow(self, *args: str, timeout: float = 300) -> str:
        """Run one ``airflow`` command to the end (``db migrate``); raise with its output."""
        out = subprocess.run(
            [sys.executable, "-m", "airflow", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if out.returncode != 0:
            raise RuntimeError(f"airflow {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")
        return out.stdout

    def start(self) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        for name, args in COMPONENTS.items():
            argv = [a.format(port=self.port, queue=self.queue) for a in args]
            with (self.logs / f"{name}.log").open("wb") as log:
                self.procs[name] = subprocess.Popen(
                    [sys.executable, "-m", "airflow", *argv],
                    env=self.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # its own process group: stopped with its children
                )

    def dead(self) -> list[str]:
        return [name for name, p in self.procs.items() if p.poll() is not None]

    def stop(self) -> None:
        """SIGTERM every process group we started, then SIGKILL what is left."""
        for p in self.procs.values():
            _signal_group(p.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for p in self.procs.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            _signal_group(p.pid, signal.SIGKILL)  # workers forked by a component, too
            p.wait(timeout=10)

    def tail(self, lines: int = 40) -> str:
        parts = []
        for name in self.procs:
            path = self.logs / f"{name}.log"
            text = path.read_text(errors="replace") if path.exists() else ""
            parts.append(f"--- {name} ---\n" + "\n".join(text.splitlines()[-lines:]))
        return "\n".join(parts)


def _signal_group(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, sig)  # the group id is the leader's PID (start_new_session)


class Api:
    """The Airflow 3 REST API with a JWT from the simple auth manager."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.token: str | None = None

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if self.token:
            req.add_header("Authorization", f"Bearer {self.token}")
        with urllib.request.urlopen(req, timeout=30) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else None

    def login(self, username: str, password: str) -> None:
        self.token = self._call(
            "POST", "/auth/token", {"username": username, "password": password}
        )["access_token"]

    def get(self, path: str) -> Any:
        return self._call("GET", path)

    def post(self, path: str, body: Any) -> Any:
        return self._call("POST", path, body)

    def patch(self, path: str, body: Any) -> Any:
        return self._call("PATCH", path, body)

    def healthy(self) -> bool:
        try:
            self._call("GET", "/api/v2/monitor/health")
            return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    def has_dag(self, dag_id: str) -> bool:
        try:
            self.get(f"/api/v2/dags/{dag_id}")
            return True
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return False
            raise

    def unpause(self, dag_id: str) -> None:
        self.patch(f"/api/v2/dags/{dag_id}", {"is_paused": False})

    def trigger(self, dag_id: str, run_id: str, conf: dict | None = None) -> None:
        self.post(
            f"/api/v2/dags/{dag_id}/dagRuns",
            {"dag_run_id": run_id, "logical_date": None, "conf": conf or {}},
        )

    def runs(self, dag_id: str) -> list[dict[str, Any]]:
        return self.get(f"/api/v2/dags/{dag_id}/dagRuns?limit=100")["dag_runs"]

    def task_states(self, dag_id: str, run_id: str) -> list[tuple[str, int, str | None]]:
        tis = self.get(f"/api/v2/dags/{dag_id}/dagRuns/{run_id}/taskInstances?limit=100")
        return sorted(
            (t["task_id"], t.get("map_index", -1), t["state"]) for t in tis["task_instances"]
        )
