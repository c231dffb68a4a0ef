"""Report and reminder mails through a real SMTP server (aiosmtpd on 127.0.0.1) or an outbox."""

from __future__ import annotations

import email
import email.policy
from contextlib import contextmanager
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword
from smtptools import free_port
from smtptools import smtp_server as serve

from itaflow.compile import compile_report, report_view
from itaflow.compile.sample import sample_report_data
from itaflow.mail import (
    DeliveryError,
    SmtpConfig,
    build_reminder_mail,
    build_report_mail,
    deliver,
    header_safe,
    report_message_key,
)
from itaflow.settings import load

SENDER = "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดนครราชสีมา <ita@korat.example.go.th>"
RECIPIENTS = ["office@korat.example.go.th", "ผู้อำนวยการ <director@korat.example.go.th>"]


class Collector:
    """An SMTP handler that keeps what it accepts, or refuses everything with ``reply``."""

    def __init__(self, reply: str = "250 OK", rcpt_reply: str | None = None):
        self.reply, self.rcpt_reply = reply, rcpt_reply
        self.envelopes: list = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.reply.startswith("250"):
            self.envelopes.append(envelope)
        return self.reply


@contextmanager
def smtp_server(handler: Collector, **kwargs):
    with serve(handler, **kwargs) as port:
        yield SmtpConfig(host="127.0.0.1", port=port, timeout=10)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    data = sample_report_data()
    return data, compile_report(data, tmp_path_factory.mktemp("report"))


def parse(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)


def test_report_mail_reaches_a_real_smtp_server_with_the_pdf(report):
    data, files = report
    msg = build_report_mail(report_view(data), files, sender=SENDER, recipients=RECIPIENTS)
    handler = Collector()
    with smtp_server(handler) as config:
        result = deliver(msg, config)
    assert result.ok and result.method == "smtp" and not result.refused
    [envelope] = handler.envelopes
    assert sorted(envelope.rcpt_tos) == sorted(
        ["office@korat.example.go.th", "director@korat.example.go.th"]
    )
    got = parse(envelope.content)
    assert got["Subject"] == (
        "ผลการรายงาน ITA อปท. จังหวัดนครราชสีมา ปีงบประมาณ 2569 รอบ 6 เดือน: "
        "ส่งแล้ว 9/12 แห่ง ยังไม่ส่ง 3 ต้องแก้ไข 3"
    )
    # RFC 2047 decoding (as mail clients do); Python's structured-header parser puts a
    # space between the folded encoded-words of a Thai display name, so decode the raw header
    raw_from = email.message_from_bytes(envelope.content, policy=email.policy.compat32)["From"]
    assert str(make_header(decode_header(raw_from))) == SENDER
    assert got["Message-ID"].strip() == result.message_id
    attachments = {a.get_filename(): a for a in got.iter_attachments()}
    pdf = attachments["ita-2569-H1-นครราชสีมา.pdf"]
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_content() == files["pdf"].read_bytes()
    assert pdf.get_content()[:5] == b"%PDF-"
    assert attachments["ita-2569-H1-นครราชสีมา.xlsx"].get_content() == files["xlsx"].read_bytes()
    text = got.get_body(("plain",)).get_content()
    html = got.get_body(("html",)).get_content()
    assert "หน่วยงานที่ต้องรายงาน: 12" in text and "ยังไม่ส่ง: 3" in text
    assert "<script>alert(1)</script>" in text  # plain text shows it as is
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_a_refusing_server_makes_delivery_fail_visibly(report, tmp_path):
    data, files = report
    msg = build_report_mail(report_view(data), files, sender=SENDER, recipients=RECIPIENTS)
    handler = Collector(reply="550 5.7.1 rejected by policy")
    with smtp_server(handler) as config:
        with pytest.raises(DeliveryError, match="550") as raised:
            deliver(msg, config, outbox=tmp_path)
        result = deliver(msg, config, outbox=tmp_path, check=False)
    assert raised.value.result.ok is False
    assert not result.ok and "550" in result.error and "rejected by policy" in result.error
    assert handler.envelopes == []
    assert not list(tmp_path.rglob("*.eml"))  # a failed send is not recorded as sent


def test_refused_recipients_and_a_closed_port_are_failures(report):
    data, files = report
    msg = build_report_mail(report_view(data), files, sender=SENDER, recipients=RECIPIENTS[:1])
    with smtp_server(Collector(rcpt_reply="550 5.1.1 no such user")) as config:
        result = deliver(msg, config, check=False)
    assert not result.ok and "SMTPRecipientsRefused" in result.error
    closed = SmtpConfig(host="127.0.0.1", port=free_port(), timeout=3)
    result = deliver(msg, closed, check=False)
    assert not result.ok and "ConnectionRefused" in result.error


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_login_with_the_configured_credentials(report):
    data, files = report

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data == LoginPassword(b"ita", b"s3cret")
        return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535

    handler = Collector()
    with smtp_server(
        handler, authenticator=authenticator, auth_required=True, auth_require_tls=False
    ) as config:
        good = SmtpConfig(config.host, config.port, user="ita", password="s3cret", timeout=10)
        bad = SmtpConfig(config.host, config.port, user="ita", password="wrong", timeout=10)
        msg = build_report_mail(report_view(data), files, sender=SENDER, recipients=RECIPIENTS[:1])
        assert deliver(msg, good).ok
        failed = deliver(msg, bad, check=False)
    assert len(handler.envelopes) == 1
    assert not failed.ok and "SMTPAuthenticationError" in failed.error
    assert "s3cret" not in repr(good)


def test_without_smtp_host_the_mail_is_an_eml_in_the_outbox(report, tmp_path, monkeypatch):
    data, files = report
    monkeypatch.setenv("ITAFLOW_HOME", str(tmp_path))
    monkeypatch.delenv("ITAFLOW_SMTP_HOST", raising=False)
    settings = load()
    msg = build_report_mail(
        report_view(data),
        files,
        sender=settings.mail_from,
        recipients=settings.mail_to,
        message_id=report_message_key(data.fiscal_year, data.round, data.province),
    )
    result = deliver(msg, settings)
    assert result.ok and result.method == "outbox"
    assert result.path.parent == settings.outbox
    stamp, _, rest = result.path.name.partition("-")
    assert stamp.endswith("Z") and rest.endswith(".eml") and "itaflow." in rest
    got = parse(result.path.read_bytes())
    assert got["Subject"].startswith("ผลการรายงาน ITA อปท. จังหวัดนครราชสีมา")
    assert got["To"] == "office@localhost"
    names = [a.get_filename() for a in got.iter_attachments()]
    assert names == ["ita-2569-H1-นครราชสีมา.pdf", "ita-2569-H1-นครราชสีมา.xlsx"]
    assert not list(settings.outbox.glob(".*.tmp"))


def test_a_retried_send_with_the_same_message_id_is_not_sent_twice(report, tmp_path):
    data, files = report
    key = report_message_key(data.fiscal_year, data.round, data.province)

    def mail():
        return build_report_mail(
            report_view(data), files, sender=SENDER, recipients=RECIPIENTS, message_id=key
        )

    assert mail()["Message-ID"] == mail()["Message-ID"]
    assert (
        mail()["Message-ID"]
        != build_report_mail(
            report_view(data), files, sender=SENDER, recipients=RECIPIENTS, message_id=key + ":v2"
        )["Message-ID"]
    )
    handler = Collector()
    with smtp_server(handler) as config:
        first = deliver(mail(), config, outbox=tmp_path)
        second = deliver(mail(), config, outbox=tmp_path)
    assert first.ok and not first.duplicate and first.path.parent == tmp_path / "sent"
    assert second.ok and second.duplicate and second.path == first.path
    assert len(handler.envelopes) == 1
    offline = SmtpConfig(host=None)
    one = deliver(mail(), offline, outbox=tmp_path / "o")
    two = deliver(mail(), offline, outbox=tmp_path / "o")
    assert two.duplicate and len(list((tmp_path / "o").glob("*.eml"))) == 1 and one.path == two.path


def test_no_header_injection_from_names_or_addresses(report):
    data, _ = report
    lao = next(x for x in data.laos if "Bcc:" in x.name_th)  # CR LF Bcc: in the name
    msg = build_reminder_mail(lao, data, sender=SENDER, recipient="saraban@example.go.th")
    raw = msg.as_bytes()
    got = parse(raw)
    assert got["Bcc"] is None
    assert got.get_all("Subject") == [got["Subject"]]
    assert "\n" not in got["Subject"] and "victim@example.com" in got["Subject"]
    assert b"\nBcc:" not in raw and b"\r\nSubject: hacked" not in raw
    assert header_safe("a\r\nBcc: x@y\x00\u2028z") == "a Bcc: x@y z"
    for bad in ("a@x.th\r\nBcc: evil@x.th", "a@x.th Bcc: evil@x.th", "a@x.th, evil@x.th", "x"):
        with pytest.raises(ValueError):
            build_reminder_mail(lao, data, sender=SENDER, recipient=bad)
    with pytest.raises(ValueError):
        build_reminder_mail(lao, data, sender="not an address", recipient="a@x.th")


def test_reminders_say_what_each_lao_must_do(report):
    data, _ = report
    by_code = {lao.lao_code: lao for lao in data.laos}
    missing = build_reminder_mail(by_code["6301209"], data, sender=SENDER, recipient="a@x.th")
    assert missing["Subject"].startswith("แจ้งเตือน: องค์การบริหารส่วนตำบลกุดจอก")
    body = missing.get_body(("plain",)).get_content()
    assert "เรียน นายกองค์การบริหารส่วนตำบลกุดจอก" in body and "30 เมษายน 2569" in body
    rejected = build_reminder_mail(by_code["6301204"], data, sender=SENDER, recipient="a@x.th")
    body = rejected.get_body(("plain",)).get_content()
    assert rejected["Subject"].startswith("แจ้งให้แก้ไข:")
    assert "ไม่พบผลการดำเนินการของมาตรการที่ 3" in body and "ฉบับที่ 2" in body
    assert "result is empty" not in body  # officers and LAOs read Thai only
    html = rejected.get_body(("html",)).get_content()
    assert "<li>ไม่พบผลการดำเนินการของมาตรการที่ 3" in html
    unreadable = build_reminder_mail(by_code["5301211"], data, sender=SENDER, recipient="a@x.th")
    assert "เรียน นายกเทศมนตรีตำบลหนองบัวสะอาด" in unreadable.get_body(("plain",)).get_content()
    with pytest.raises(ValueError, match="nothing to remind"):
        build_reminder_mail(by_code["6301205"], data, sender=SENDER, recipient="a@x.th")


def test_no_smtp_host_and_no_outbox_is_an_error(report):
    data, files = report
    msg = build_report_mail(report_view(data), files, sender=SENDER, recipients=RECIPIENTS)
    with pytest.raises(ValueError, match="nowhere"):
        deliver(msg, SmtpConfig(host=None))
    assert Path(files["pdf"]).exists()
