"""The package is whole: a wheel installed outside the source tree has its rules and templates.

``uv build`` makes the sdist and the wheel from it; the wheel goes into a fresh venv
(dependencies pinned by ``uv.lock``, from uv's cache) and runs from a folder that is
not the checkout, with no ``ITAFLOW_*`` settings but ``ITAFLOW_HOME`` and a zero quiet
period (the file is dropped whole): ``itaflow inspect`` must judge a
file exactly as the checkout does (the suites from the package data) and
``itaflow compile --send`` must render HTML, PDF, XLSX and the mail (the templates).
"""

from __future__ import annotations

import email
import email.policy
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "tests" / "fixtures" / "seeds" / "nonghuarat_tm_nakhonratchasima_2568.txt"

pytestmark = pytest.mark.timeout(600)


def uv() -> str:
    found = os.environ.get("UV") or shutil.which("uv") or str(Path.home() / ".local/bin/uv")
    if not Path(found).exists():
        pytest.fail(f"uv not found ({found}); make test installs it (scripts/bootstrap-uv.sh)")
    return found


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=480, **kw)
    assert out.returncode == 0, f"{cmd} failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    return out


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    root = tmp_path_factory.mktemp("wheel")
    run([uv(), "build", "--quiet", "-o", str(root / "dist")], cwd=REPO)
    (wheel,) = (root / "dist").glob("itaflow-*.whl")
    pins = root / "requirements.txt"
    run([uv(), "export", "--quiet", "--frozen", "--no-dev", "--no-emit-project", "--no-hashes",
         "-o", str(pins)], cwd=REPO)  # fmt: skip
    run([uv(), "venv", "--quiet", "--python", sys.executable, str(root / "venv")])
    python = root / "venv" / "bin" / "python"
    run([uv(), "pip", "install", "--quiet", "--python", str(python), "-r", str(pins), str(wheel)])
    return root, wheel, root / "venv" / "bin"


def clean_env(home: Path) -> dict[str, str]:
    drop = ("ITAFLOW", "AIRFLOW", "PYTHONPATH", "VIRTUAL_ENV", "UV_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    return {
        **env,
        "ITAFLOW_HOME": str(home),
        "ITAFLOW_QUIET_SECONDS": "0",  # files are dropped whole: no quiet period to wait out
        "GX_ANALYTICS_ENABLED": "False",
    }


def test_the_wheel_ships_suites_templates_and_sql(venv):
    _, wheel, _ = venv
    names = subprocess.run(
        [sys.executable, "-m", "zipfile", "-l", str(wheel)], capture_output=True, text=True
    ).stdout
    for source in [*REPO.glob("expectations/*.json"), *REPO.glob("reports/*.*")]:
        assert f"itaflow/_data/{source.parent.name}/{source.name}" in names
    assert "itaflow/warehouse/sql/accounting.sql" in names
    assert "itaflow/data/lao_registry.csv" in names
    assert "reports/out" not in names


def test_installed_itaflow_inspects_and_compiles_outside_the_source_tree(venv, tmp_path):
    root, _, bin_ = venv
    work = tmp_path / "elsewhere"
    work.mkdir()
    shutil.copy(SEED, work / SEED.name)
    env = clean_env(tmp_path / "home")

    where = run(
        [str(bin_ / "python"), "-c",
         "import itaflow, itaflow.resources as r; "
         "print(itaflow.__file__); print(r.expectations_dir()); print(r.templates_dir())"],
        cwd=work, env=env,
    ).stdout.split()  # fmt: skip
    for path in where:
        assert Path(path).is_relative_to(root / "venv") and not Path(path).is_relative_to(REPO)

    # The same verdict and findings as the checkout gives: the suites came with the wheel.
    installed = run([str(bin_ / "itaflow"), "inspect", SEED.name, "--json"], cwd=work, env=env)
    checkout = run(
        [sys.executable, "-m", "itaflow.cli", "inspect", SEED.name, "--json"],
        cwd=work,
        env={**clean_env(tmp_path / "home2"), "PYTHONPATH": str(REPO)},
    )
    got, want = json.loads(installed.stdout), json.loads(checkout.stdout)
    assert got["verdict"] in ("accepted", "accepted_with_warnings", "rejected")
    assert len(got["measures"]) >= 5
    assert got == want

    itaflow = str(bin_ / "itaflow")
    (tmp_path / "home" / "inbox").mkdir(parents=True)
    shutil.copy(SEED, tmp_path / "home" / "inbox" / SEED.name)
    run([itaflow, "collect"], cwd=work, env=env)
    run([itaflow, "validate"], cwd=work, env=env)
    compiled = run(
        [itaflow, "compile", "--fiscal-year", "2568", "--round", "FY", "--send"], cwd=work, env=env
    ).stdout
    assert '"received": 1' in compiled
    reports = tmp_path / "home" / "reports"
    assert {p.suffix for p in reports.glob("**/*") if p.is_file()} >= {".html", ".pdf", ".xlsx"}
    (mail,) = (tmp_path / "home" / "outbox").glob("**/*.eml")
    message = email.message_from_bytes(mail.read_bytes(), policy=email.policy.default)
    assert "2568" in message["Subject"]
    assert any(p.get_content_type() == "application/pdf" for p in message.iter_attachments())
