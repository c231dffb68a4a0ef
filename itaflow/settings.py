"""All configuration in one place, from environment variables.

Every setting has a default that works with no configuration at all (the embedded
default: SQLite warehouse and local folders under ``ITAFLOW_HOME``, mail to an
outbox folder). Functions take a ``Settings`` argument instead of reading the
environment themselves, so tests can build one directly.
"""

from __future__ import annotations

import os
import re
from dataclasses import MISSING, dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

from itaflow import resources

REPO_ROOT = Path(__file__).resolve().parents[1]


class SettingsError(ValueError):
    """A setting holds a value itaflow cannot use; the message names it, Thai first."""


def _text(name: str, text: str) -> str:
    return text


def _optional(name: str, text: str) -> str | None:
    return text or None


def _list(name: str, text: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in text.split(",") if x.strip())


def _flag(name: str, text: str) -> bool:
    return text.lower() in ("1", "true", "yes")


def _path(name: str, text: str) -> Path:
    return Path(text).resolve()


def _number(kind: type, what_th: str, what_en: str, minimum: float = 0):
    """A parser for a whole or decimal number >= ``minimum``, with a Thai + English error."""

    def parse(name: str, text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise SettingsError(
                f"ค่า {name}={text!r} ต้องเป็น{what_th}ตั้งแต่ {minimum} ขึ้นไป / "
                f"{name} must be {what_en} >= {minimum}"
            )
        return value

    return parse


_whole = _number(int, "จำนวนเต็ม", "a whole number")
_decimal = _number(float, "ตัวเลข", "a number")


def _month_day(name: str, text: str) -> str:
    """A due date as MM-DD (checked against a leap year, so 02-29 is allowed)."""
    try:
        month, day = (int(x) for x in text.split("-"))
        date(2024, month, day)
    except ValueError:
        raise SettingsError(
            f"ค่า {name}={text!r} ต้องเป็นเดือน-วัน เช่น 10-31 / {name} must be MM-DD, e.g. 10-31"
        ) from None
    return f"{month:02d}-{day:02d}"


def _env(name: str, parse: Any, default: Any, **kwargs: Any) -> Any:
    """A dataclass field read from environment variable ``name`` by ``parse(name, text)``;
    the default is written here once and serves both ``Settings(...)`` and ``load()``."""
    return field(default=default, metadata={"env": name, "parse": parse}, **kwargs)


def _from_env(cls: type, **given: Any) -> Any:
    """``cls`` with every field that names an environment variable read from it: an unset
    or empty variable keeps the field's default. ``given`` are fields computed by the caller."""
    values = dict(given)
    for f in fields(cls):
        name = f.metadata.get("env")
        text = os.environ.get(name, "") if name else ""
        if name and text != "":
            values[f.name] = f.metadata["parse"](name, text)
    return cls(**values)


_OVERRIDE = re.compile(r"^\s*(\d{4})\s*-\s*(H1|FY)\s*=\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$", re.I)


def parse_due_overrides(
    text: str, name: str = "ITAFLOW_DUE_OVERRIDES"
) -> dict[tuple[int, str], date]:
    """``2568-FY=2568-11-30,2569-H1=2026-05-15``: a due date per round (fiscal year BE).

    The date's year may be BE (>= 2400) or CE; an extension for one round never
    changes the others.
    """
    found: dict[tuple[int, str], date] = {}
    for item in (x for x in text.split(",") if x.strip()):
        m = _OVERRIDE.match(item)
        try:
            if not m:
                raise ValueError(item)
            year = int(m[3])
            due = date(year - 543 if year >= 2400 else year, int(m[4]), int(m[5]))
        except ValueError:
            raise SettingsError(
                f"ค่า {name} ไม่ถูกต้องที่ {item.strip()!r}: ต้องเป็น ปีงบ-รอบ=ปี-เดือน-วัน "
                f"เช่น 2568-FY=2568-11-30 / {name}: expected FY-ROUND=YYYY-MM-DD, "
                "e.g. 2568-FY=2568-11-30"
            ) from None
        found[(int(m[1]), m[2].upper())] = due
    return found


@dataclass(frozen=True)
class Limits:
    """Safety limits for reading untrusted files; exceeding one is a finding."""

    max_file_bytes: int = _env("ITAFLOW_MAX_FILE_BYTES", _whole, 50 * 1024 * 1024)
    max_unzipped_bytes: int = _env("ITAFLOW_MAX_UNZIPPED_BYTES", _whole, 200 * 1024 * 1024)
    max_zip_entries: int = _env("ITAFLOW_MAX_ZIP_ENTRIES", _whole, 5_000)
    max_pages: int = _env("ITAFLOW_MAX_PAGES", _whole, 300)
    max_cells: int = _env("ITAFLOW_MAX_CELLS", _whole, 200_000)
    seconds_per_file: float = _env("ITAFLOW_SECONDS_PER_FILE", _decimal, 120.0)
    # Zip-based formats (docx, xlsx): checked on the central directory before parsing.
    # Inflated size of one XML part:
    max_entry_bytes: int = _env("ITAFLOW_MAX_ENTRY_BYTES", _whole, 32 * 1024 * 1024)
    # Inflated / compressed, for parts over 1 MB inflated:
    max_compression_ratio: float = _env("ITAFLOW_MAX_COMPRESSION_RATIO", _decimal, 200.0)
    # Spreadsheet rows, empty ones included (a report has < 1,000):
    max_rows: int = _env("ITAFLOW_MAX_ROWS", _whole, 20_000)


@dataclass(frozen=True)
class Settings:
    home: Path
    warehouse_url: str
    reports_out: Path
    expectations_dir: Path
    # The office's province (Thai); None = every province seen.
    province: str | None = _env("ITAFLOW_PROVINCE", _optional, None)
    # Files per mapped task and load transaction; README "Performance".
    batch_size: int = _env("ITAFLOW_BATCH_SIZE", _whole, 200)
    required_fields: tuple[str, ...] = _env(
        "ITAFLOW_REQUIRED_FIELDS", _list, ("measure", "steps", "responsible", "period", "result")
    )
    recommended_fields: tuple[str, ...] = _env("ITAFLOW_RECOMMENDED_FIELDS", _list, ("outcome",))
    due_h1: str = _env("ITAFLOW_DUE_H1", _month_day, "04-30")  # MM-DD (CE) after the 6-month round
    due_fy: str = _env("ITAFLOW_DUE_FY", _month_day, "10-31")  # MM-DD after the fiscal year ends
    smtp_host: str | None = _env("ITAFLOW_SMTP_HOST", _optional, None)
    smtp_port: int = _env("ITAFLOW_SMTP_PORT", _whole, 25)
    smtp_user: str | None = _env("ITAFLOW_SMTP_USER", _optional, None)
    smtp_password: str | None = _env("ITAFLOW_SMTP_PASSWORD", _optional, None)
    smtp_starttls: bool = _env("ITAFLOW_SMTP_STARTTLS", _flag, False)
    mail_from: str = _env("ITAFLOW_MAIL_FROM", _text, "itaflow@localhost")
    mail_to: tuple[str, ...] = _env("ITAFLOW_MAIL_TO", _list, ("office@localhost",))
    limits: Limits = field(default_factory=Limits)
    # Collect: a file is taken once its size and mtime held still this long (over two
    # scans), or at once with a ``.done`` marker or a gateway manifest entry.
    quiet_seconds: float = _env("ITAFLOW_QUIET_SECONDS", _decimal, 60.0)
    # Folders nested deeper are one receipt, not walked.
    collect_max_depth: int = _env("ITAFLOW_COLLECT_MAX_DEPTH", _whole, 16)
    # Whole budget per file for read + extract + checks (the reader's own limit is
    # ``limits.seconds_per_file``); a file over it is refused with a reason.
    seconds_per_file_total: float = _env("ITAFLOW_SECONDS_PER_FILE_TOTAL", _decimal, 180.0)
    # A due date per (fiscal_year BE, round): an extension for one round.
    due_overrides: dict[tuple[int, str], date] = _env(
        "ITAFLOW_DUE_OVERRIDES",
        lambda name, text: parse_due_overrides(text, name),
        MISSING,
        default_factory=dict,
    )
    # lao_code,email; None: <home>/contacts.csv
    contacts_csv: Path | None = _env("ITAFLOW_CONTACTS_CSV", lambda _, text: Path(text), None)
    # Reminders start this many days before the due date ...
    remind_lead_days: int = _env("ITAFLOW_REMIND_LEAD_DAYS", _whole, 14)
    # ... and stop this many days after it (the round closes).
    remind_after_due_days: int = _env("ITAFLOW_REMIND_AFTER_DUE_DAYS", _whole, 30)
    # None: สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด<province>
    office_name: str | None = _env("ITAFLOW_OFFICE_NAME", _optional, None)
    # The officer who signs the provincial report.
    officer_name: str | None = _env("ITAFLOW_OFFICER_NAME", _optional, None)
    officer_position: str | None = _env("ITAFLOW_OFFICER_POSITION", _optional, None)
    # A folder every worker reaches.
    shared_dir: Path | None = _env("ITAFLOW_SHARED", _path, None)

    @property
    def contacts(self) -> Path:
        """The office's list of LAO e-mail addresses (``lao_code,email``)."""
        return self.contacts_csv or self.home / "contacts.csv"

    @property
    def shared(self) -> Path:
        """The folder every Airflow worker reaches (a shared volume in compose): the kept
        originals and the batch hand-offs live here, never on one worker's own disk."""
        return self.shared_dir or self.home

    @property
    def inbox(self) -> Path:
        """Where LAO files arrive. itaflow reads it and never moves or deletes anything."""
        return self.home / "inbox"

    @property
    def store(self) -> Path:
        """Originals kept under their hash, for provenance."""
        return self.shared / "store"

    @property
    def work(self) -> Path:
        """Batch results a check task hands to its load task (under ``shared``)."""
        return self.shared / "work"

    @property
    def outbox(self) -> Path:
        """Mails as .eml files when no SMTP server is configured."""
        return self.home / "outbox"

    @property
    def intake_dir(self) -> Path:
        """Trusted arrival records (``*.jsonl``) written by the mail/upload gateway, outside
        the inbox so no sender can write one."""
        return self.home / "intake"

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)


def load() -> Settings:
    """Read the settings from the environment (``ITAFLOW_*``): the fields that name a
    variable read it, the four paths below default relative to ``ITAFLOW_HOME``."""
    home = Path(_var("ITAFLOW_HOME", str(Path.cwd() / "var"))).resolve()
    return _from_env(
        Settings,
        home=home,
        warehouse_url=_var("ITAFLOW_WAREHOUSE_URL", f"sqlite:///{home / 'warehouse.db'}"),
        reports_out=Path(_var("ITAFLOW_REPORTS_OUT", str(resources.default_reports_out(home)))),
        expectations_dir=Path(_var("ITAFLOW_EXPECTATIONS_DIR", str(resources.expectations_dir()))),
        limits=_from_env(Limits),
    )


def _var(name: str, default: str) -> str:
    value = os.environ.get(name)
    return value if value not in (None, "") else default
