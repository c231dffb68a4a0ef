"""Settings for a test's own home folder, written once for the tests that need one."""

from __future__ import annotations

from pathlib import Path

from itaflow.settings import Settings

REPO = Path(__file__).resolve().parents[1]


def settings_for(home: Path, url: str, **changes) -> Settings:
    """Folders under ``home``, the repository's rules, and files taken as soon as they
    are seen (no quiet period: a test drops each file whole)."""
    return Settings(
        home=home,
        warehouse_url=url,
        reports_out=home / "reports",
        expectations_dir=REPO / "expectations",
        quiet_seconds=0,
    ).with_(**changes)
