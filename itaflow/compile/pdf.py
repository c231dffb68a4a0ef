"""The PDF report: ``reports/report.typ`` compiled by Typst with the Sarabun font.

Typst (a self-contained wheel) keeps the Thai text layer as written (การ stays การ,
unlike WeasyPrint) and embeds the font. The view goes in as JSON through
``sys.inputs``; nothing from a submission is ever pasted into Typst markup.
"""

from __future__ import annotations

import json
import logging
import warnings
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import fontpkg_sarabun
import typst

from itaflow.compile.templates import TEMPLATES_DIR

FONT_DIR = fontpkg_sarabun.ROOT / "files"
log = logging.getLogger(__name__)
THAILAND = timezone(timedelta(hours=7))


def _timestamp(iso: str) -> datetime | None:
    """The report's own time as the PDF creation date, so a re-run gives the same PDF.

    A naive timestamp is office time in Thailand (UTC+7).
    """
    try:
        stamp = datetime.fromisoformat(iso)
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=THAILAND)


def _typst_view(view: dict[str, Any]) -> dict[str, Any]:
    """The view as the template reads it: without the measure annex (the XLSX's), with
    the PDF's creation date as UTC (the data's time; PDF dates are written in UTC)."""
    stamp = _timestamp(view["generated_at"]) or datetime(2000, 1, 1, tzinfo=UTC)
    out = {k: v for k, v in view.items() if k != "annex"}
    out["pdf_date"] = stamp.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    return out


def render_pdf(view: dict[str, Any], templates_dir: Path = TEMPLATES_DIR) -> bytes:
    """Compile the report; Typst warnings are logged, never fatal (bad input must not stop a run)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", typst.TypstWarning)
        pdf = typst.compile(
            str(templates_dir / "report.typ"),
            root=str(templates_dir),
            font_paths=[str(FONT_DIR)],
            ignore_system_fonts=True,
            # The measure annex is the XLSX's; the PDF does not need it parsed.
            sys_inputs={"data": json.dumps(_typst_view(view), ensure_ascii=False)},
            timestamp=_timestamp(view["generated_at"]),
        )
    for w in caught:
        log.warning("typst: %s", w.message)
    return pdf
