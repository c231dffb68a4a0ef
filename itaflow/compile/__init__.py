"""Compile the provincial report for one round: HTML, PDF and XLSX from one view.

``compile_report`` is the one entry point (the compile DAG task and the CLI call it).
It only renders ``ReportData``; building that data from the warehouse is
``itaflow.warehouse``'s job.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from itaflow.compile.templates import TEMPLATES_DIR
from itaflow.compile.view import report_view
from itaflow.models import ReportData

FORMATS = ("html", "pdf", "xlsx")

__all__ = [
    "FORMATS",
    "compile_report",
    "render_report",
    "report_stem",
    "report_view",
    "round_folder",
]


def report_stem(data: ReportData) -> str:
    """``ita-2569-H1-นครราชสีมา``: a file name safe on every OS, whatever the data holds."""
    province = re.sub(r"[^0-9A-Za-z\u0e00-\u0e7f]+", "_", data.province or "all").strip("_")
    return f"ita-{int(data.fiscal_year)}-{re.sub(r'[^A-Z0-9]', '', str(data.round))}-{province[:60] or 'all'}"


def _write_atomic(path: Path, content: bytes) -> None:
    """Write then rename, so a killed run never leaves a half report that gets mailed."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(content)
    os.replace(tmp, path)


def _validation_links(view: dict[str, Any], out_dir: Path, stem: str) -> None:
    """What the report links for the checks: its own validation summary (a file beside
    it, opens offline), then Data Docs pages inside the report folder or on a web server.

    A server path outside the folder means nothing to a reader of a mailed file, so it
    is not shown; ``javascript:`` and other schemes never become links.
    """
    root = out_dir.resolve()
    links = [
        {
            "text": "สรุปผลการตรวจข้อมูล (เปิดได้โดยไม่ต้องใช้อินเทอร์เน็ต)",
            "href": f"{quote(stem)}-validation.html",
        }
    ]
    for doc in view["data_docs"]:
        href = doc["href"] or ""
        path = Path(doc["text"])
        if href.startswith(("http://", "https://")):
            links.append({"text": f"รายงานผลการตรวจข้อมูลแบบละเอียด ชุดที่ {len(links)}", "href": href})
        elif path.is_absolute() and path.resolve().is_relative_to(root):
            relative = quote(path.resolve().relative_to(root).as_posix())
            links.append(
                {"text": f"รายงานผลการตรวจข้อมูลแบบละเอียด ชุดที่ {len(links)}", "href": relative}
            )
    view["data_docs"] = links


def _renderers(templates_dir: Path) -> dict[str, Callable[[dict[str, Any]], bytes]]:
    # Imported here: typst and openpyxl load only when their format is asked for.
    def html(view: dict[str, Any]) -> bytes:
        from itaflow.compile.html import render_html

        return render_html(view, templates_dir).encode("utf-8")

    def validation(view: dict[str, Any]) -> bytes:
        from itaflow.compile.html import render_validation

        return render_validation(view, templates_dir).encode("utf-8")

    def pdf(view: dict[str, Any]) -> bytes:
        from itaflow.compile.pdf import render_pdf

        return render_pdf(view, templates_dir)

    def xlsx(view: dict[str, Any]) -> bytes:
        from itaflow.compile.xlsx import render_xlsx

        return render_xlsx(view)

    return {"html": html, "validation": validation, "pdf": pdf, "xlsx": xlsx}


def round_folder(root: Path, data: ReportData) -> Path:
    """``<root>/<fiscal year>-<round>/``: where a round's report is filed."""
    return Path(root) / f"{int(data.fiscal_year)}-{re.sub(r'[^A-Z0-9]', '', str(data.round))}"


def compile_report(
    data: ReportData,
    out_dir: Path,
    *,
    formats: Iterable[str] = FORMATS,
    templates_dir: Path = TEMPLATES_DIR,
) -> dict[str, Path]:
    """Render the report in each format into ``out_dir``; returns ``{format: path}``.

    Re-running for the same round overwrites the same files (one name per
    fiscal year, round and province), and the same data gives the same bytes: every
    date shown or stamped is the data's own (``generated_at``), never the clock. The
    HTML comes with its validation summary (``<stem>-validation.html``) beside it.
    """
    return render_report(
        report_view(data),
        report_stem(data),
        out_dir,
        formats=formats,
        templates_dir=templates_dir,
    )


def render_report(
    view: dict[str, Any],
    stem: str,
    out_dir: Path,
    *,
    formats: Iterable[str] = FORMATS,
    templates_dir: Path = TEMPLATES_DIR,
) -> dict[str, Path]:
    """``compile_report`` for a view already built; ``view``'s Data Docs become the
    links the report shows (so a snapshot of it afterwards is what was rendered)."""
    formats = tuple(formats)
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown report format(s) {sorted(unknown)}; known: {FORMATS}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _validation_links(view, out_dir, stem)
    renderers = _renderers(Path(templates_dir))
    written: dict[str, Path] = {}
    for fmt in formats:
        path = out_dir / f"{stem}.{fmt}"
        _write_atomic(path, renderers[fmt](view))
        written[fmt] = path
        if fmt == "html":
            _write_atomic(out_dir / f"{stem}-validation.html", renderers["validation"](view))
    return written
