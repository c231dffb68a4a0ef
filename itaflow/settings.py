"""All configuration in one place, from environment variables.

Every setting has a default that works with no configuration at all (the embedded
default: SQLite warehouse and local folders under ``ITAFLOW_HOME``, mail to an
outbox folder). Functions take a ``Settings`` argument instead of reading the
environment themselves, so tests can build one directly.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from itaflow import resources

REPO_ROOT = Path(__file__).resolve().parents[1]


def _env(name: str, default: str) -> str:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _list(name: str, default: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in _env(name, default).split(",") if x.strip())


class SettingsError(ValueError):
    """A setting holds a value itaflow cannot use; the message names it, Thai first."""


def _int(name: str, default: int, minimum: int = 0) -> int:
    text = _env(name, str(default))
    try:
        value = int(text)
    except ValueError:
        value = minimum - 1
    if value < minimum:
        raise SettingsError(
            f"ค่า {name}={text!r} ต้องเป็นจำนวนเต็มตั้งแต่ {minimum} ขึ้นไป / "
            f"{name} must be a whole number >= {minimum}"
        )
    return value


def _month_day(name: str, default: str) -> str:
    """A due date as MM-DD (checked against a leap year, so 02-29 is allowed)."""
    text = _env(name, default)
    try:
        month, day = (int(x) for x in text.split("-"))
        date(2024, month, day)
    except ValueError:
        raise SettingsError(
            f"ค่า {name}={text!r} ต้องเป็นเดือน-วัน เช่น 10-31 / {name} must be MM-DD, e.g. 10-31"
        ) from None
    return f"{month:02d}-{day:02d}"


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

    max_file_bytes: int = 50 * 1024 * 1024
    max_unzipped_bytes: int = 200 * 1024 * 1024
    max_zip_entries: int = 5_000
    max_pages: int = 300
    max_cells: int = 200_000
    seconds_per_file: float = 120.0
    # Zip-based formats (docx, xlsx): checked on the central directory before parsing.
    max_entry_bytes: int = 32 * 1024 * 1024  # inflated size of one XML part
    max_compression_ratio: float = 200.0  # inflated / compressed, for parts over 1 MB inflated
    max_rows: int = 20_000  # spreadsheet rows, empty ones included (a report has < 1,000)


@dataclass(frozen=True)
class Settings:
    home: Path
    warehouse_url: str
    reports_out: Path
    expectations_dir: Path
    province: str | None = None  # the office's province (Thai); None = every province seen
    batch_size: int = 200  # files per mapped task and load transaction; README "Performance"
    required_fields: tuple[str, ...] = ("measure", "steps", "responsible", "period", "result")
    recommended_fields: tuple[str, ...] = ("outcome",)
    due_h1: str = "04-30"  # MM-DD (CE calendar) after the 6-month round ends
    due_fy: str = "10-31"  # MM-DD after the fiscal year ends
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    mail_from: str = "itaflow@localhost"
    mail_to: tuple[str, ...] = ("office@localhost",)
    limits: Limits = field(default_factory=Limits)
    # Collect: a file is taken once its size and mtime held still this long (over two
    # scans), or at once with a ``.done`` marker or a gateway manifest entry.
    quiet_seconds: float = 60.0
    collect_max_depth: int = 16  # folders nested deeper are one receipt, not walked
    # Whole budget per file for read + extract + checks (the reader's own limit is
    # ``limits.seconds_per_file``); a file over it is refused with a reason.
    seconds_per_file_total: float = 180.0
    # A due date per (fiscal_year BE, round): an extension for one round (ITAFLOW_DUE_OVERRIDES).
    due_overrides: dict[tuple[int, str], date] = field(default_factory=dict)
    contacts_csv: Path | None = None  # lao_code,email; None: <home>/contacts.csv
    remind_lead_days: int = 14  # reminders start this many days before the due date
    remind_after_due_days: int = 30  # ... and stop this many days after it (the round closes)
    office_name: str | None = None  # None: สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด<province>
    officer_name: str | None = None  # the officer who signs the provincial report
    officer_position: str | None = None
    shared_dir: Path | None = None  # ITAFLOW_SHARED: a folder every worker reaches

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
    """Read the settings from the environment (``ITAFLOW_*``)."""
    home = Path(_env("ITAFLOW_HOME", str(Path.cwd() / "var"))).resolve()
    limits = Limits(
        max_file_bytes=int(_env("ITAFLOW_MAX_FILE_BYTES", str(Limits.max_file_bytes))),
        max_unzipped_bytes=int(_env("ITAFLOW_MAX_UNZIPPED_BYTES", str(Limits.max_unzipped_bytes))),
        max_zip_entries=int(_env("ITAFLOW_MAX_ZIP_ENTRIES", str(Limits.max_zip_entries))),
        max_pages=int(_env("ITAFLOW_MAX_PAGES", str(Limits.max_pages))),
        max_cells=int(_env("ITAFLOW_MAX_CELLS", str(Limits.max_cells))),
        seconds_per_file=float(_env("ITAFLOW_SECONDS_PER_FILE", str(Limits.seconds_per_file))),
        max_entry_bytes=int(_env("ITAFLOW_MAX_ENTRY_BYTES", str(Limits.max_entry_bytes))),
        max_compression_ratio=float(
            _env("ITAFLOW_MAX_COMPRESSION_RATIO", str(Limits.max_compression_ratio))
        ),
        max_rows=int(_env("ITAFLOW_MAX_ROWS", str(Limits.max_rows))),
    )
    return Settings(
        home=home,
        warehouse_url=_env("ITAFLOW_WAREHOUSE_URL", f"sqlite:///{home / 'warehouse.db'}"),
        reports_out=Path(_env("ITAFLOW_REPORTS_OUT", str(resources.default_reports_out(home)))),
        expectations_dir=Path(_env("ITAFLOW_EXPECTATIONS_DIR", str(resources.expectations_dir()))),
        province=os.environ.get("ITAFLOW_PROVINCE") or None,
        batch_size=int(_env("ITAFLOW_BATCH_SIZE", "200")),
        required_fields=_list("ITAFLOW_REQUIRED_FIELDS", "measure,steps,responsible,period,result"),
        recommended_fields=_list("ITAFLOW_RECOMMENDED_FIELDS", "outcome"),
        due_h1=_month_day("ITAFLOW_DUE_H1", "04-30"),
        due_fy=_month_day("ITAFLOW_DUE_FY", "10-31"),
        smtp_host=os.environ.get("ITAFLOW_SMTP_HOST") or None,
        smtp_port=int(_env("ITAFLOW_SMTP_PORT", "25")),
        smtp_user=os.environ.get("ITAFLOW_SMTP_USER") or None,
        smtp_password=os.environ.get("ITAFLOW_SMTP_PASSWORD") or None,
        smtp_starttls=_env("ITAFLOW_SMTP_STARTTLS", "false").lower() in ("1", "true", "yes"),
        mail_from=_env("ITAFLOW_MAIL_FROM", "itaflow@localhost"),
        mail_to=_list("ITAFLOW_MAIL_TO", "office@localhost"),
        limits=limits,
        quiet_seconds=float(_env("ITAFLOW_QUIET_SECONDS", "60")),
        collect_max_depth=int(_env("ITAFLOW_COLLECT_MAX_DEPTH", "16")),
        seconds_per_file_total=float(_env("ITAFLOW_SECONDS_PER_FILE_TOTAL", "180")),
        due_overrides=parse_due_overrides(_env("ITAFLOW_DUE_OVERRIDES", "")),
        contacts_csv=Path(os.environ["ITAFLOW_CONTACTS_CSV"])
        if os.environ.get("ITAFLOW_CONTACTS_CSV")
        else None,
        remind_lead_days=_int("ITAFLOW_REMIND_LEAD_DAYS", 14),
        remind_after_due_days=_int("ITAFLOW_REMIND_AFTER_DUE_DAYS", 30),
        office_name=os.environ.get("ITAFLOW_OFFICE_NAME") or None,
        officer_name=os.environ.get("ITAFLOW_OFFICER_NAME") or None,
        officer_position=os.environ.get("ITAFLOW_OFFICER_POSITION") or None,
        shared_dir=Path(os.environ["ITAFLOW_SHARED"]).resolve()
        if os.environ.get("ITAFLOW_SHARED")
        else None,
    )
