"""Remind the LAOs that must act, once a day, and tell the office whom we reminded.

From ``settings.remind_lead_days`` before a round's due date until
``settings.remind_after_due_days`` after it (when the round closes), every LAO that
has not sent, whose report was rejected, or whose file could not be opened gets a
Thai reminder (``reports/mail_reminder*.j2``, with the findings to fix). Addresses
come from the office's contacts CSV (``itaflow.contacts``). One digest per run goes
to the office (``reports/mail_reminder_digest*.j2``): who was reminded today and who
has no address. An LAO that is done is never mailed; the same LAO is never mailed
twice on one day, also when the run is repeated or retried: each reminder is
claimed in the warehouse before it is sent (``itaflow.warehouse.reminders``) and
carries a Message-ID derived from (round, LAO, day).
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date, timedelta
from typing import Any

from itaflow import periods
from itaflow.models import ReportData
from itaflow.present.vocabulary import MUST_ACT, state_label
from itaflow.settings import Settings

log = logging.getLogger(__name__)


def window(fiscal_year: int, round: str, settings: Settings) -> tuple[date, date]:
    """First and last day reminders go out for a round (due date from settings, each time)."""
    due = periods.due_date(fiscal_year, round, settings)
    return (
        due - timedelta(days=settings.remind_lead_days),
        due + timedelta(days=settings.remind_after_due_days),
    )


def rounds_to_remind(today: date, settings: Settings) -> list[tuple[int, str]]:
    """The rounds whose reminder window contains ``today`` (usually none or one)."""
    fy = periods.fiscal_year_of(today)
    candidates = [(y, r) for y in (fy - 1, fy, fy + 1) for r in periods.ROUNDS]
    return [c for c in candidates if window(*c, settings)[0] <= today <= window(*c, settings)[1]]


def reminder_key(fiscal_year: int, round: str, lao_code: str, day: date) -> str:
    return f"ita-remind:{fiscal_year}:{round}:{lao_code}:{day.isoformat()}"


def plan(data: ReportData, emails: dict[str, list[str]]) -> dict[str, list[Any]]:
    """Split the LAOs that must act into those with an address and those without."""
    must_act = [lao for lao in data.laos if lao.state in MUST_ACT]
    return {
        "to_remind": [lao for lao in must_act if emails.get(lao.lao_code)],
        "no_contact": [lao for lao in must_act if not emails.get(lao.lao_code)],
    }


def send_reminders(
    settings: Settings,
    fiscal_year: int,
    round: str,
    today: date,
    *,
    province: str | None = None,
    run_id: str | None = None,
    smtp: Any = None,
    force: bool = False,
) -> dict[str, Any]:
    """Mail today's reminders for one round and the office's digest; returns what happened.

    Outside the round's reminder window nothing is sent (``force`` ignores the window).
    A refused mail is recorded ``failed`` and, after the others and the digest went
    out, raises ``DeliveryError`` so Airflow retries; the retry sends only what failed.
    """
    from itaflow.contacts import read_contacts
    from itaflow.mail import DeliveryError, build_reminder_mail, deliver
    from itaflow.warehouse import claim_reminder, finish_reminder, report_data

    province = province or settings.province
    first, last = window(fiscal_year, round, settings)
    result: dict[str, Any] = {
        "fiscal_year": fiscal_year,
        "round": round,
        "province": province,
        "day": today.isoformat(),
        "window": [first.isoformat(), last.isoformat()],
        "sent": [],
        "already_today": [],
        "no_contact": [],
        "failed": [],
    }
    if not force and not first <= today <= last:
        result["status"] = "outside_window"
        return result
    data = report_data(settings.warehouse_url, fiscal_year, round, province, settings)
    contacts = read_contacts(settings.contacts)
    todo = plan(data, contacts.emails)
    result["no_contact"] = [lao.lao_code for lao in todo["no_contact"]]
    errors: list[DeliveryError] = []
    for lao in todo["to_remind"]:
        key = reminder_key(fiscal_year, round, lao.lao_code, today)
        recipients = contacts.emails[lao.lao_code]
        msg = build_reminder_mail(
            lao, data, sender=settings.mail_from, recipient=recipients, message_id=key
        )
        ident = {"lao_code": lao.lao_code, "fiscal_year": fiscal_year, "round": round, "day": today}
        if not claim_reminder(
            settings.warehouse_url,
            **ident,
            state=lao.state,
            recipient=", ".join(recipients),
            message_id=msg["Message-ID"],
            run_id=run_id,
        ):
            result["already_today"].append(lao.lao_code)
            continue
        try:
            delivered = deliver(msg, smtp or settings, outbox=settings.outbox)
        except DeliveryError as exc:
            finish_reminder(settings.warehouse_url, **ident, status="failed", error=str(exc))
            result["failed"].append(lao.lao_code)
            errors.append(exc)
            continue
        status = "sent" if delivered.method == "smtp" else "written_to_outbox"
        finish_reminder(settings.warehouse_url, **ident, status=status)
        result["sent"].append(lao.lao_code)
    result["digest"] = send_digest(settings, data, today, todo["no_contact"], smtp=smtp)
    result["status"] = "failed" if errors else "done"
    log.info("reminders %s %s %s: %s", fiscal_year, round, today, result)
    if errors:
        raise errors[0]
    return result


def digest_view(
    data: ReportData, today: date, reminded: list[dict[str, Any]], no_contact: list[Any]
) -> dict[str, Any]:
    """What the office's digest shows (plain data for the templates)."""
    from itaflow.present.heading import heading_view
    from itaflow.present.thaidate import thai_date

    def who(code: str, name: str, district: str, state: str) -> dict[str, str]:
        label = state_label(state)
        return {"lao_code": code, "name": name, "district": district, "state_th": label}

    return {
        "v": heading_view(data),
        "day_th": thai_date(today),
        "reminded": [
            {
                **who(r["lao_code"], r["full_name_th"], r["district_th"], r["state"]),
                "recipient": r["recipient"],
                "status": r["status"],
            }
            for r in reminded
        ],
        "no_contact": [
            who(lao.lao_code, lao.name_th, lao.district, lao.state) for lao in no_contact
        ],
    }


def send_digest(
    settings: Settings,
    data: ReportData,
    today: date,
    no_contact: list[Any],
    *,
    smtp: Any = None,
) -> dict[str, Any]:
    """Mail the office who was reminded today (every run of the day) and who has no address.

    The Message-ID comes from the day and the digest's content: a re-run that changed
    nothing does not mail the office a second copy.
    """
    from itaflow.mail import build_digest_mail, deliver
    from itaflow.warehouse import reminders_on

    reminded = [
        r
        for r in reminders_on(settings.warehouse_url, data.fiscal_year, data.round, today)
        if r["status"] in ("sent", "written_to_outbox")
        and (data.province is None or r["province_th"] == data.province)
    ]
    ctx = digest_view(data, today, reminded, no_contact)
    content = "|".join(
        [r["lao_code"] for r in ctx["reminded"]]
        + ["-"]
        + [r["lao_code"] for r in ctx["no_contact"]]
    )
    key = (
        f"ita-remind-digest:{data.fiscal_year}:{data.round}:{data.province or 'all'}:"
        f"{today.isoformat()}:{hashlib.sha256(content.encode()).hexdigest()[:16]}"
    )
    msg = build_digest_mail(
        ctx, sender=settings.mail_from, recipients=list(settings.mail_to), message_id=key
    )
    delivered = deliver(msg, smtp or settings, outbox=settings.outbox)
    return {
        "reminded": len(ctx["reminded"]),
        "no_contact": len(ctx["no_contact"]),
        "message_id": delivered.message_id,
        "duplicate": delivered.duplicate,
    }
