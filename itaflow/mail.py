"""Build the report and reminder mails, and deliver them by SMTP or to an outbox.

Only this module talks to SMTP. Every header value passes ``header_safe`` (no CR/LF,
no control characters), addresses are parsed, and the message uses
``email.policy.SMTP``, which refuses a header with a line break anyway: a name from
a submission can never add a ``Bcc:``. A ``message_id`` key gives a deterministic
Message-ID, so a retried send is recognised and not sent twice (see ``deliver``).
"""

from __future__ import annotations

import email.policy
import hashlib
import logging
import os
import re
import smtplib
import ssl
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, getaddresses, make_msgid
from pathlib import Path
from typing import Any, Literal

from itaflow.compile.templates import TEMPLATES_DIR, render
from itaflow.models import LaoRoundStatus, ReportData
from itaflow.present.heading import heading_view
from itaflow.present.rows import lao_row
from itaflow.present.vocabulary import MUST_ACT
from itaflow.settings import Settings

log = logging.getLogger(__name__)

ATTACHED = {
    "pdf": ("application", "pdf"),
    "xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
MUST_ACT_LISTED = 30  # names listed in the mail body; the attachments list them all
_UNSAFE_HEADER = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_USER = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+")
_DOMAIN = re.compile(
    r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
)


@dataclass(frozen=True)
class SmtpConfig:
    """Where to send. The DAG builds it from Airflow's ``smtp_default``, the CLI from Settings."""

    host: str | None
    port: int = 25
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = False
    timeout: float = 30.0
    implicit_tls: bool = False  # SMTPS on port 465; STARTTLS is ``starttls``

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpConfig:
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            user=settings.smtp_user,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
        )


@dataclass
class DeliveryResult:
    """What happened to one message. ``ok`` False means nothing was delivered."""

    ok: bool
    method: Literal["smtp", "outbox"]
    message_id: str
    path: Path | None = None  # the .eml written (outbox) or the sent copy (smtp + outbox)
    refused: dict[str, str] = field(default_factory=dict)  # recipient -> server reply
    error: str | None = None
    duplicate: bool = False  # already delivered earlier with this Message-ID; not sent again


class DeliveryError(RuntimeError):
    """The mail was not delivered; ``result`` says why. Raised so an Airflow task fails and retries."""

    def __init__(self, result: DeliveryResult):
        super().__init__(f"mail {result.message_id} not delivered: {result.error}")
        self.result = result


def header_safe(text: object, limit: int = 900) -> str:
    """One line fit for a mail header: CR, LF and other controls become spaces."""
    line = re.sub(r"\s+", " ", _UNSAFE_HEADER.sub(" ", str(text or ""))).strip()
    return line[:limit]


def addresses(values: str | Iterable[str]) -> tuple[Address, ...]:
    """Parse addresses strictly: each string is exactly one ``name <user@domain>``.

    A line break is refused, not cleaned: cleaning ``a@x\r\nBcc: evil@x`` would
    still leave a second recipient.
    """
    raw = [values] if isinstance(values, str) else list(values)
    result = []
    for value in raw:
        if _UNSAFE_HEADER.search(value):
            raise ValueError(f"line break or control character in e-mail address {value!r}")
        parsed = getaddresses([value])
        user, _, domain = parsed[0][1].rpartition("@") if len(parsed) == 1 else ("", "", "")
        if not (_USER.fullmatch(user) and _DOMAIN.fullmatch(domain)):
            raise ValueError(f"not one e-mail address: {value!r}")
        result.append(Address(display_name=header_safe(parsed[0][0]), username=user, domain=domain))
    if not result:
        raise ValueError("no e-mail address given")
    return tuple(result)


def message_id_for(key: str | None, sender: Address) -> str:
    """A deterministic ``<itaflow.HASH@domain>`` for a key (same key, same id), else a fresh one."""
    domain = sender.domain if sender.domain.isascii() else "itaflow.local"
    if key is None:
        return make_msgid("itaflow", domain=domain)
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return f"<itaflow.{digest}@{domain}>"


def report_message_key(fiscal_year: int, round: str, province: str | None) -> str:
    """The identity of "the report mail for this round and province" (one per round)."""
    return f"ita-report:{fiscal_year}:{round}:{province or 'all'}"


def _message(subject: str, sender: str, to: str | Iterable[str], key: str | None) -> EmailMessage:
    msg = EmailMessage(policy=email.policy.SMTP)
    from_ = addresses(sender)[0]
    msg["Subject"] = header_safe(subject)
    msg["From"] = from_
    msg["To"] = addresses(to)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = message_id_for(key, from_)
    msg["Content-Language"] = "th"
    return msg


def build_report_mail(
    view: Mapping[str, Any],
    files: dict[str, Path],
    *,
    sender: str,
    recipients: str | Iterable[str],
    message_id: str | None = None,
    templates_dir: Path = TEMPLATES_DIR,
) -> EmailMessage:
    """The provincial report mail: Thai summary as text and HTML, PDF and XLSX attached.

    ``view`` is the report's view as compiled (``compile.report_view``; the compile
    step keeps it beside the files), so the mail says what the attachments say.
    ``message_id`` is a key (e.g. ``report_message_key(...)``): the same key always
    gives the same Message-ID.
    """
    attached = {k: Path(files[k]) for k in ATTACHED if k in files}
    ctx = {"v": view, "files": [p.name for p in attached.values()], "limit": MUST_ACT_LISTED}
    subject = render("mail_report_subject.txt.j2", ctx, html=False, templates_dir=templates_dir)
    msg = _message(subject, sender, recipients, message_id)
    msg.set_content(render("mail_report.txt.j2", ctx, html=False, templates_dir=templates_dir))
    msg.add_alternative(
        render("mail_report.html.j2", ctx, html=True, templates_dir=templates_dir), subtype="html"
    )
    for kind, path in attached.items():
        maintype, subtype = ATTACHED[kind]
        msg.add_attachment(
            path.read_bytes(), maintype=maintype, subtype=subtype, filename=path.name
        )
    return msg


def build_reminder_mail(
    lao: LaoRoundStatus,
    data: ReportData,
    *,
    sender: str,
    recipient: str | Iterable[str],
    message_id: str | None = None,
    templates_dir: Path = TEMPLATES_DIR,
) -> EmailMessage:
    """A reminder to one LAO that is missing, rejected or whose file could not be opened."""
    if lao.state not in MUST_ACT:
        raise ValueError(f"{lao.lao_code} is {lao.state}: nothing to remind it of")
    head = heading_view(data)
    ctx = {"v": head, "lao": lao_row(0, lao, head["due_short"])}
    subject = render("mail_reminder_subject.txt.j2", ctx, html=False, templates_dir=templates_dir)
    msg = _message(subject, sender, recipient, message_id)
    msg.set_content(render("mail_reminder.txt.j2", ctx, html=False, templates_dir=templates_dir))
    msg.add_alternative(
        render("mail_reminder.html.j2", ctx, html=True, templates_dir=templates_dir), subtype="html"
    )
    return msg


def already_delivered(outbox: Path, message_key: str, sender: str) -> Path | None:
    """The copy of the mail for ``message_key`` already written or sent, if any: how a
    sender whose claims are held by a process that died after SMTP knows it went out."""
    return _earlier(Path(outbox), message_id_for(message_key, addresses(sender)[0]))


def build_digest_mail(
    ctx: dict,
    *,
    sender: str,
    recipients: str | Iterable[str],
    message_id: str | None = None,
    templates_dir: Path = TEMPLATES_DIR,
) -> EmailMessage:
    """The office's daily reminder digest (``itaflow.remind.digest_view`` gives ``ctx``)."""
    subject = render(
        "mail_reminder_digest_subject.txt.j2", ctx, html=False, templates_dir=templates_dir
    )
    msg = _message(subject, sender, recipients, message_id)
    msg.set_content(
        render("mail_reminder_digest.txt.j2", ctx, html=False, templates_dir=templates_dir)
    )
    msg.add_alternative(
        render("mail_reminder_digest.html.j2", ctx, html=True, templates_dir=templates_dir),
        subtype="html",
    )
    return msg


def _file_id(message_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._@-]", "_", message_id.strip("<>"))[:150]


def _earlier(outbox: Path, message_id: str) -> Path | None:
    """A copy of this message already written or sent, found by its Message-ID."""
    suffix = f"-{_file_id(message_id)}.eml"
    for folder in (outbox, outbox / "sent"):
        if folder.is_dir():
            for path in folder.iterdir():
                if path.name.endswith(suffix):
                    return path
    return None


def _write_eml(folder: Path, msg: EmailMessage, message_id: str) -> Path:
    """Write then rename: a killed run leaves no half mail that looks delivered."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = folder / f"{stamp}-{_file_id(message_id)}.eml"
    tmp = folder / f".{path.name}.{os.getpid()}.tmp"
    tmp.write_bytes(msg.as_bytes(policy=email.policy.SMTP))
    os.replace(tmp, path)
    return path


def _send(msg: EmailMessage, config: SmtpConfig) -> dict[str, str]:
    """One SMTP session; returns the recipients the server refused (when others were accepted)."""
    tls = ssl.create_default_context()  # verifies the server certificate, unlike smtplib's default
    if config.implicit_tls:
        client = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout, context=tls)
    else:
        client = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
    with client as smtp:
        smtp.ehlo()
        if config.starttls and not config.implicit_tls:
            smtp.starttls(context=tls)
            smtp.ehlo()
        if config.user:
            smtp.login(config.user, config.password or "")
        refused = smtp.send_message(msg)
    return {
        rcpt: f"{code} {reply.decode(errors='replace')}" for rcpt, (code, reply) in refused.items()
    }


def deliver(
    msg: EmailMessage,
    target: Settings | SmtpConfig,
    *,
    outbox: Path | None = None,
    check: bool = True,
) -> DeliveryResult:
    """Send by SMTP when a host is configured, else write ``<outbox>/<time>-<id>.eml``.

    With an outbox known (``Settings`` or ``outbox=``), a message whose Message-ID is
    already there (written, or sent and recorded under ``sent/``) is not delivered
    again: ``duplicate`` is True. A refused or failed send returns ``ok=False`` and,
    with ``check`` (default), raises ``DeliveryError`` so the task fails visibly and
    retries. When the server accepts some recipients and refuses others the mail
    counts as delivered (``ok``) and ``refused`` lists the others: resending would
    duplicate it for those who got it.
    """
    if isinstance(target, Settings):
        config, outbox = SmtpConfig.from_settings(target), outbox or target.outbox
    else:
        config = target
    message_id = msg["Message-ID"] or ""
    if not message_id:
        message_id = message_id_for(None, addresses(msg["From"])[0])
        msg["Message-ID"] = message_id
    method: Literal["smtp", "outbox"] = "smtp" if config.host else "outbox"
    if outbox is not None and (earlier := _earlier(Path(outbox), message_id)):
        log.info("mail %s already delivered (%s); not sent again", message_id, earlier)
        return DeliveryResult(True, method, message_id, path=earlier, duplicate=True)
    if not config.host:
        if outbox is None:
            raise ValueError("no SMTP host and no outbox folder: nowhere to deliver the mail")
        return DeliveryResult(
            True, "outbox", message_id, path=_write_eml(Path(outbox), msg, message_id)
        )
    try:
        refused = _send(msg, config)
    except (smtplib.SMTPException, OSError) as exc:
        result = DeliveryResult(False, "smtp", message_id, error=f"{type(exc).__name__}: {exc}")
        # info, not error: the DeliveryError raised below carries the same words, and the
        # CLI prints it as its one line (the task log shows both)
        log.info(
            "SMTP %s:%s refused mail %s: %s", config.host, config.port, message_id, result.error
        )
        if check:
            raise DeliveryError(result) from exc
        return result
    if refused:
        log.warning("SMTP refused some recipients of %s: %s", message_id, refused)
    sent_copy = _write_eml(Path(outbox) / "sent", msg, message_id) if outbox is not None else None
    return DeliveryResult(True, "smtp", message_id, path=sent_copy, refused=refused)
