"""Reminders: who is mailed, what the mail says, and never twice a day.

A real SMTP server (aiosmtpd on 127.0.0.1) and the outbox (.eml files); the warehouse
on SQLite and PostgreSQL. Round 2566 H1 of นครราชสีมา (due 30 April 2023).
"""

from __future__ import annotations

import socket
from datetime import date

import pytest
from aiosmtpd.controller import Controller
from smtptools import Collector, smtp_server
from test_status import ACCEPTED, BY_CODE, BY_NAME, LAOS, PROVINCE, REJECTED, WARNED, fill

from itaflow import remind
from itaflow.mail import SmtpConfig
from itaflow.settings import load
from itaflow.warehouse import reminders_on

MISSING_WITH_CONTACT = next(
    r for r in LAOS if r not in (ACCEPTED, REJECTED, BY_CODE, BY_NAME, WARNED)
)
DAY = date(2023, 4, 25)  # five days before the due date


@pytest.fixture
def smtp():
    handler = Collector()
    with smtp_server(handler) as port:
        yield handler, SmtpConfig(host="127.0.0.1", port=port)


@pytest.fixture
def world(warehouse_url, tmp_path):
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(
        "# test contacts\nlao_code,email\n"
        + "".join(
            f"{lao.lao_code},lao{i}@example.go.th\n"
            for i, lao in enumerate((ACCEPTED, REJECTED, BY_CODE, BY_NAME, MISSING_WITH_CONTACT))
        )
        + f"{REJECTED.lao_code},second@example.go.th\n"
        + "9999999,not-an-address\n",
        encoding="utf-8",
    )
    settings = load().with_(
        home=tmp_path,
        warehouse_url=warehouse_url,
        province=PROVINCE,
        contacts_csv=contacts,
        mail_to=("office@example.go.th",),
    )
    fill(warehouse_url, settings)
    return settings


def _to(msg) -> str:
    return str(msg["To"])


def test_reminders_go_once_a_day_over_real_smtp(world, smtp):
    server, config = smtp
    first = remind.send_reminders(world, 2566, "H1", DAY, run_id="r1", smtp=config)
    must_act = {
        REJECTED.lao_code,
        BY_CODE.lao_code,
        BY_NAME.lao_code,
        MISSING_WITH_CONTACT.lao_code,
    }
    assert first["status"] == "done" and set(first["sent"]) == must_act
    assert ACCEPTED.lao_code not in first["sent"] + first["no_contact"]
    assert WARNED.lao_code not in first["sent"] + first["no_contact"]  # done, with warnings
    assert len(first["no_contact"]) == len(LAOS) - 5 - 1  # every other missing LAO
    reminders = [m for m in server.messages if "office@" not in _to(m)]
    digests = [m for m in server.messages if "office@" in _to(m)]
    assert len(reminders) == 4 and len(digests) == 1
    by_to = {_to(m): m for m in reminders}
    rejected = next(m for to, m in by_to.items() if "second@example.go.th" in to)
    body = rejected.get_body(("plain",)).get_content()
    assert rejected["Subject"].startswith("แจ้งให้แก้ไข") and "ไม่มีผลการดำเนินการ" in body
    broken = next(m for m in reminders if "เปิดไม่ได้" in m["Subject"])
    text = broken.get_body(("plain",)).get_content()
    assert "ไม่สามารถเปิดอ่านไฟล์ได้" in text and "ส่งไฟล์ใหม่" in text
    missing = next(m for m in reminders if m["Subject"].startswith("แจ้งเตือน"))
    assert "ยังไม่ได้รับรายงาน" in missing.get_body(("plain",)).get_content()
    digest = digests[0].get_body(("plain",)).get_content()
    assert "ส่งอีเมลแจ้งเตือนแล้ว 4 แห่ง" in digest
    assert (
        MISSING_WITH_CONTACT.lao_code in digest
        and f"ไม่มีอีเมลในรายชื่อผู้ติดต่อ {len(first['no_contact'])}" in digest
    )

    # The same day again (a re-run, a retry): nothing is mailed twice, the digest neither.
    again = remind.send_reminders(world, 2566, "H1", DAY, run_id="r2", smtp=config)
    assert again["sent"] == [] and set(again["already_today"]) == must_act
    assert again["digest"]["duplicate"] is True
    assert len(server.messages) == 5
    rows = reminders_on(world.warehouse_url, 2566, "H1", DAY)
    assert len(rows) == 4 and {r["status"] for r in rows} == {"sent"}

    # The next day they are reminded again, once.
    nxt = remind.send_reminders(world, 2566, "H1", date(2023, 4, 26), smtp=config)
    assert set(nxt["sent"]) == must_act and len(server.messages) == 10


def test_outbox_and_window(world):
    outside = remind.send_reminders(world, 2566, "H1", date(2023, 3, 1))
    assert outside["status"] == "outside_window" and outside["window"] == [
        "2023-04-16",
        "2023-05-30",
    ]
    assert not world.outbox.exists()
    done = remind.send_reminders(world, 2566, "H1", DAY)
    assert len(done["sent"]) == 4
    written = sorted(world.outbox.glob("*.eml"))
    assert len(written) == 5  # four reminders and the digest
    remind.send_reminders(world, 2566, "H1", DAY)
    assert sorted(world.outbox.glob("*.eml")) == written
    assert {r["status"] for r in reminders_on(world.warehouse_url, 2566, "H1", DAY)} == {
        "written_to_outbox"
    }
    assert remind.rounds_to_remind(DAY, world) == [(2566, "H1")]
    assert remind.rounds_to_remind(date(2023, 2, 1), world) == []


def test_remind_dag_twice_on_one_day_mails_once(tmp_path, smtp):
    """The real ``itaflow_remind`` DAG (``dag.test()``), run twice for the same day,
    through Airflow's ``smtp_default`` connection to aiosmtpd."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    server, config = smtp
    home = tmp_path / "itaflow"
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(f"lao_code,email\n{BY_NAME.lao_code},lao@example.go.th\n")
    settings = load().with_(
        home=home, warehouse_url=f"sqlite:///{home / 'warehouse.db'}", province=PROVINCE
    )
    fill(settings.warehouse_url, settings)
    airflow_home = tmp_path / "airflow"
    airflow_home.mkdir()
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(airflow_home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(repo / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{airflow_home / 'airflow.db'}",
        "AIRFLOW_CONN_SMTP_DEFAULT": f"smtp://127.0.0.1:{config.port}",
        "ITAFLOW_HOME": str(home),
        "ITAFLOW_WAREHOUSE_URL": settings.warehouse_url,
        "ITAFLOW_PROVINCE": PROVINCE,
        "ITAFLOW_CONTACTS_CSV": str(contacts),
        "ITAFLOW_MAIL_TO": "office@example.go.th",
    }
    subprocess.run(
        [sys.executable, "-m", "airflow", "db", "migrate"], env=env, check=True, capture_output=True
    )
    conf = '{"fiscal_year": 2566, "round": "H1", "day": "2023-04-25"}'
    for _ in range(2):
        out = subprocess.run(
            [
                sys.executable,
                str(repo / "scripts" / "run_dag.py"),
                "itaflow_remind",
                "--conf",
                conf,
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert out.returncode == 0, (out.stdout + out.stderr)[-3000:]
    reminders = [m for m in server.messages if "office@" not in _to(m)]
    assert [_to(m) for m in reminders] == ["lao@example.go.th"]
    assert len([m for m in server.messages if "office@" in _to(m)]) == 1


class Refusing(Collector):
    """Refuses one address until told otherwise (a mailbox that is full today)."""

    def __init__(self, refused: str) -> None:
        super().__init__()
        self.refused = refused

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address == self.refused:
            return "550 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_refused_reminder_fails_the_run_and_the_retry_sends_only_it(world):
    from itaflow.mail import DeliveryError

    handler = Refusing("lao4@example.go.th")  # MISSING_WITH_CONTACT
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        config = SmtpConfig(host="127.0.0.1", port=port)
        with pytest.raises(DeliveryError):
            remind.send_reminders(world, 2566, "H1", DAY, smtp=config)
        rows = {r["lao_code"]: r for r in reminders_on(world.warehouse_url, 2566, "H1", DAY)}
        assert rows[MISSING_WITH_CONTACT.lao_code]["status"] == "failed"
        assert sum(r["status"] == "sent" for r in rows.values()) == 3
        sent_before = len(handler.messages)  # three reminders and the digest
        handler.refused = ""
        retry = remind.send_reminders(world, 2566, "H1", DAY, smtp=config)
        assert retry["sent"] == [MISSING_WITH_CONTACT.lao_code] and len(retry["already_today"]) == 3
        assert len(handler.messages) == sent_before + 2  # the one reminder + a new digest
    finally:
        controller.stop()
