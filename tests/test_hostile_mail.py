"""Issue 10 §7-8: the report mail goes out once however many sends run at once; a failed
send can be retried; a server that cannot be reached is one clear line, not a traceback."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import homes
import pytest
from smtptools import free_port, smtp_server

from itaflow import pipeline
from itaflow.mail import DeliveryError
from itaflow.settings import Settings
from itaflow.warehouse.mail_claims import mail_claims_of

REPO = Path(__file__).resolve().parents[1]
TO = ("สำนักงานจังหวัด <office@phuket.example.go.th>", "audit@phuket.example.go.th")


class Mailbox:
    """An aiosmtpd handler: keeps what it accepts, or answers every DATA with ``reply``."""

    def __init__(self, reply: str = "250 OK"):
        self.reply = reply
        self.received: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        if self.reply.startswith("250"):
            self.received.append((list(envelope.rcpt_tos), envelope.content))
        return self.reply


def settings_for(home: Path, url: str, **changes) -> Settings:
    return homes.settings_for(home, url, mail_to=TO, **changes)


def _send_in_child(args) -> str:
    settings, compiled, barrier = args
    barrier.wait()
    return pipeline.send_report(settings, compiled)["status"]


def test_concurrent_sends_deliver_once(warehouse_url, tmp_path):
    settings = settings_for(tmp_path / "home", warehouse_url)
    pipeline.prepare_warehouse(settings)
    compiled = [pipeline.compile_round(settings, 2568, "FY", "ภูเก็ต") for _ in range(3)]
    mailbox = Mailbox()
    ctx = multiprocessing.get_context("fork")
    with smtp_server(mailbox) as port:
        working = settings.with_(smtp_host="127.0.0.1", smtp_port=port)
        barrier = ctx.Barrier(3)
        procs, results = [], ctx.Queue()
        for c in compiled:
            p = ctx.Process(target=lambda c=c: results.put(_send_in_child((working, c, barrier))))
            p.start()
            procs.append(p)
        for p in procs:
            p.join(120)
            assert p.exitcode == 0
        statuses = sorted(results.get(timeout=5) for _ in procs)
    assert len(mailbox.received) == 1, statuses
    assert sorted(mailbox.received[0][0]) == [
        "audit@phuket.example.go.th",
        "office@phuket.example.go.th",
    ]
    assert statuses.count("sent") == 1 and statuses.count("already_sent") == 2
    claims = mail_claims_of(warehouse_url, 2568, "FY", "ภูเก็ต")
    assert sorted(c["status"] for c in claims) == ["sent", "sent"]


def test_failed_send_is_retried_and_then_sent_once(warehouse_url, tmp_path):
    settings = settings_for(tmp_path / "home", warehouse_url)
    pipeline.prepare_warehouse(settings)
    compiled = pipeline.compile_round(settings, 2568, "FY", "ภูเก็ต")
    down = settings.with_(smtp_host="127.0.0.1", smtp_port=free_port())  # nobody listens
    with pytest.raises(DeliveryError):
        pipeline.send_report(down, compiled)
    claims = mail_claims_of(warehouse_url, 2568, "FY", "ภูเก็ต")
    assert {c["status"] for c in claims} == {"failed"} and all(c["error"] for c in claims)
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        working = settings.with_(smtp_host="127.0.0.1", smtp_port=port)
        assert pipeline.send_report(working, compiled)["status"] == "sent"
        assert pipeline.send_report(working, compiled) == {"status": "already_sent"}
    assert len(mailbox.received) == 1


def test_cli_three_compile_send_at_once_deliver_once(tmp_path):
    home = tmp_path / "home"
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        env = {
            **os.environ,
            "ITAFLOW_HOME": str(home),
            "ITAFLOW_REPORTS_OUT": str(home / "reports"),
            "ITAFLOW_SMTP_HOST": "127.0.0.1",
            "ITAFLOW_SMTP_PORT": str(port),
            "ITAFLOW_MAIL_TO": "office@phuket.example.go.th",
        }
        cmd = [sys.executable, "-m", "itaflow.cli", "compile", "--fiscal-year", "2568"]
        cmd += ["--round", "FY", "--province", "ภูเก็ต", "--send"]
        subprocess.run(  # migrate once first: three migrations at once is another matter
            [sys.executable, "-m", "itaflow.cli", "db", "upgrade"],
            env=env,
            check=True,
            capture_output=True,
        )
        procs = [
            subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(3)
        ]
        outs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1][-800:] for o in outs]
    assert len(mailbox.received) == 1
    last_lines = [json.loads(o[0].decode().strip().splitlines()[-1])["status"] for o in outs]
    assert sorted(last_lines) == ["already_sent", "already_sent", "sent"]


@pytest.mark.parametrize("command", [["collect"], ["validate"]])
def test_database_down_is_one_clear_line(tmp_path, command):
    env = {
        **os.environ,
        "ITAFLOW_HOME": str(tmp_path),
        "ITAFLOW_WAREHOUSE_URL": f"postgresql+psycopg://postgres:secret@127.0.0.1:{free_port()}/test",
    }
    done = subprocess.run(
        [sys.executable, "-m", "itaflow.cli", *command], env=env, capture_output=True, timeout=120
    )
    err = done.stderr.decode()
    assert done.returncode == 1
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "ติดต่อฐานข้อมูล" in err and "cannot reach the warehouse database" in err
    assert "secret" not in err  # the password is never printed


def test_smtp_down_is_one_clear_line(tmp_path):
    home = tmp_path / "home"
    env = {
        **os.environ,
        "ITAFLOW_HOME": str(home),
        "ITAFLOW_REPORTS_OUT": str(home / "reports"),
        "ITAFLOW_SMTP_HOST": "127.0.0.1",
        "ITAFLOW_SMTP_PORT": str(free_port()),
    }
    cmd = [sys.executable, "-m", "itaflow.cli", "compile", "--fiscal-year", "2568", "--round", "FY"]
    done = subprocess.run([*cmd, "--send"], env=env, capture_output=True, timeout=300)
    err = done.stderr.decode()
    assert done.returncode == 1 and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and "ส่งอีเมลไม่ได้" in err and "SMTP" in err
