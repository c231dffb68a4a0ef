"""The HTML report: the view rendered by ``reports/report.html.j2`` with autoescape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from itaflow.compile.templates import TEMPLATES_DIR, render


def render_html(view: dict[str, Any], templates_dir: Path = TEMPLATES_DIR) -> str:
    return render("report.html.j2", {"v": view}, html=True, templates_dir=templates_dir)
