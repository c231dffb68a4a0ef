"""All configuration in one place, from environment variables.

Every setting has a default that works with no configuration at all (the embedded
default: SQLite warehouse and local folders under ``ITAFLOW_HOME``, mail to an
outbox folder). Functions take a ``Settings`` argument instead of reading the
environment themselves, so tests can build one directly.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def _env(name: str, default: str) -> str:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _list(name: str, default: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in _env(name, default).split(",") if x.strip())


@dataclass(frozen=True)
class Limits:
    """Safety limits for reading untrusted files; exceeding one is a finding."""

    max_file_bytes: int = 50 * 1024 * 1024
    max_unzipped_bytes: int = 200 * 1024 * 1024
    max_zip_entries: int = 5_000
    max_pages: int = 300
    max_cells: int = 200_000
    seconds_per_file: float = 120.0


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

    @property
    def inbox(self) -> Path:
        """Where LAO files arrive. itaflow reads it and never moves or deletes anything."""
        return self.home / "inbox"

    @property
    def store(self) -> Path:
        """Originals kept under their hash, for provenance."""
        return self.home / "store"

    @property
    def work(self) -> Path:
        """Batch manifests and results passed between DAG tasks."""
        return self.home / "work"

    @property
    def outbox(self) -> Path:
        """Mails as .eml files when no SMTP server is configured."""
        return self.home / "outbox"

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
    )
    return Settings(
        home=home,
        warehouse_url=_env("ITAFLOW_WAREHOUSE_URL", f"sqlite:///{home / 'warehouse.db'}"),
        reports_out=Path(_env("ITAFLOW_REPORTS_OUT", str(REPO_ROOT / "reports" / "out"))),
        expectations_dir=Path(_env("ITAFLOW_EXPECTATIONS_DIR", str(REPO_ROOT / "expectations"))),
        province=os.environ.get("ITAFLOW_PROVINCE") or None,
        batch_size=int(_env("ITAFLOW_BATCH_SIZE", "200")),
        required_fields=_list("ITAFLOW_REQUIRED_FIELDS", "measure,steps,responsible,period,result"),
        recommended_fields=_list("ITAFLOW_RECOMMENDED_FIELDS", "outcome"),
        due_h1=_env("ITAFLOW_DUE_H1", "04-30"),
        due_fy=_env("ITAFLOW_DUE_FY", "10-31"),
        smtp_host=os.environ.get("ITAFLOW_SMTP_HOST") or None,
        smtp_port=int(_env("ITAFLOW_SMTP_PORT", "25")),
        smtp_user=os.environ.get("ITAFLOW_SMTP_USER") or None,
        smtp_password=os.environ.get("ITAFLOW_SMTP_PASSWORD") or None,
        smtp_starttls=_env("ITAFLOW_SMTP_STARTTLS", "false").lower() in ("1", "true", "yes"),
        mail_from=_env("ITAFLOW_MAIL_FROM", "itaflow@localhost"),
        mail_to=_list("ITAFLOW_MAIL_TO", "office@localhost"),
        limits=limits,
    )
