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

__all__ = ["FORMATS", "compile_report", "report_stem", "report_view"]


def report_stem(data: ReportData) -> str:
    """``ita-2569-H1-นครราชสีมา``: a file name safe on every OS, whatever the data holds."""
    province = re.sub(r"[^0-9A-Za-z\u0e00-\u0e7f]+", "_", data.province or "all").strip("_")
    return f"ita-{int(data.fiscal_year)}-{re.sub(r'[^A-Z0-9]', '', str(data.round))}-{province[:60] or 'all'}"


def _write_atomic(path: Path, content: bytes) -> None:
    """Write then rename, so a killed run never leaves a half report that gets mailed."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(content)
    os.replace(tmp, path)


def _relative_links(view: dict[str, Any], out_dir: Path) -> None:
    """Data Docs under the report folder are linked relatively, so the folder can move
    (or be served over HTTP) and the links still work."""
    root = out_dir.resolve()
    for doc in view["data_docs"]:
        path = Path(doc["text"])
        if doc["href"] and path.is_absolute() and path.resolve().is_relative_to(root):
            doc["href"] = quote(path.resolve().relative_to(root).as_posix())


def _renderers(templates_dir: Path) -> dict[str, Callable[[dict[str, Any]], bytes]]:
    # Imported here: typst and openpyxl load only when their format is asked for.
    def html(view: dict[str, Any]) -> bytes:
        from itaflow.compile.html import render_html

        return render_html(view, templates_dir).encode("utf-8")

    def pdf(view: dict[str, Any]) -> bytes:
        from itaflow.compile.pdf import render_pdf

        return render_pdf(view, templates_dir)

    def xlsx(view: dict[str, Any]) -> bytes:
        from itaflow.compile.xlsx import render_xlsx

        return render_xlsx(view)

    return {"html": html, "pdf": pdf, "xlsx": xlsx}


def compile_report(
    data: ReportData,
    out_dir: Path,
    *,
    formats: Iterable[str] = FORMATS,
    templates_dir: Path = TEMPLATES_DIR,
) -> dict[str, Path]:
    """Render the report in each format into ``out_dir``; returns ``{format: path}``.

    Re-running for the same round overwrites the same files (one name per
    fiscal year, round and province).
    """
    formats = tuple(formats)
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown report format(s) {sorted(unknown)}; known: {FORMATS}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    view = report_view(data)
    _relative_links(view, out_dir)
    renderers = _renderers(Path(templates_dir))
    stem = report_stem(data)
    written: dict[str, Path] = {}
    for fmt in formats:
        path = out_dir / f"{stem}.{fmt}"
        _write_atomic(path, renderers[fmt](view))
        written[fmt] = path
    return written
