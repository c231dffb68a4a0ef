"""The HTML report: the view rendered by ``reports/report.html.j2`` with autoescape.

The Sarabun font is embedded (base64 ``@font-face``), so the report reads the same on
a machine with no Thai fonts as on the office's PCs, and stays one self-contained file.
"""

from __future__ import annotations

import base64
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

from itaflow.compile.charts import svg
from itaflow.compile.templates import TEMPLATES_DIR, render


@lru_cache(maxsize=1)
def embedded_fonts() -> dict[str, str]:
    """Sarabun Regular and Bold as base64, from the ``fontpkg-sarabun`` package."""
    import fontpkg_sarabun

    folder = fontpkg_sarabun.ROOT / "files"
    return {
        weight: base64.b64encode((folder / f"Sarabun-{name}.ttf").read_bytes()).decode("ascii")
        for weight, name in (("regular", "Regular"), ("bold", "Bold"))
    }


def render_html(view: dict[str, Any], templates_dir: Path = TEMPLATES_DIR) -> str:
    """The report page; charts are inline SVG drawn by ``charts.svg`` (labels escaped there)."""
    svgs = {c["key"]: Markup(svg(c)) for c in view["charts"]}
    return render(
        "report.html.j2",
        {"v": view, "fonts": embedded_fonts(), "charts": svgs},
        html=True,
        templates_dir=templates_dir,
    )


def render_validation(view: dict[str, Any], templates_dir: Path = TEMPLATES_DIR) -> str:
    """The validation summary: every check and finding of the round, one offline page."""
    return render(
        "validation.html.j2",
        {"v": view, "fonts": embedded_fonts()},
        html=True,
        templates_dir=templates_dir,
    )
