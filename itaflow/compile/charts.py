"""Charts as data, drawn twice from the same numbers: SVG for the HTML, Typst for the PDF.

A chart is a plain dict (``bars``: one group of bars per row; ``stacked``: one bar per
row split into parts), built here from the view's rows. ``svg`` draws it as an inline
SVG with Thai labels in the page's font (no script, no network); ``reports/report.typ``
draws the same dict with Typst shapes, so the PDF chart is vector and its labels are
real text in Sarabun.
"""

from __future__ import annotations

from html import escape
from typing import Any

PALETTE = ("#1f4e79", "#6fa8dc", "#f6b26b", "#cccccc")
STATUS_COLOURS = ("#38761d", "#f1c232", "#cc4125", "#b7b7b7")


def bars(
    key: str,
    title: str,
    series: list[str],
    rows: list[tuple[str, list[float | None]]],
    *,
    unit: str = "",
    top: float | None = None,
) -> dict[str, Any]:
    """Grouped horizontal bars: one row per label, one bar per series."""
    biggest = max((v or 0.0 for _, values in rows for v in values), default=0.0)
    return {
        "key": key,
        "kind": "bars",
        "title": title,
        "unit": unit,
        "max": float(top if top is not None else biggest) or 1.0,
        "series": [{"label": s, "color": PALETTE[i % len(PALETTE)]} for i, s in enumerate(series)],
        "rows": [
            {
                "label": label,
                "values": [round(float(v or 0.0), 2) for v in values],
                "texts": [_text(v, unit) for v in values],
            }
            for label, values in rows
        ],
    }


def stacked(
    key: str, title: str, series: list[str], rows: list[tuple[str, list[int]]]
) -> dict[str, Any]:
    """One 100 % bar per row, split by series (counts; the parts show their share)."""
    out = []
    for label, values in rows:
        total = sum(values)
        shares = [round(100 * v / total, 2) if total else 0.0 for v in values]
        out.append(
            {
                "label": label,
                "values": shares,
                "texts": [f"{v}" for v in values],
                "total": total,
            }
        )
    return {
        "key": key,
        "kind": "stacked",
        "title": title,
        "unit": "%",
        "max": 100.0,
        "series": [
            {"label": s, "color": STATUS_COLOURS[i % len(STATUS_COLOURS)]}
            for i, s in enumerate(series)
        ],
        "rows": out,
    }


def _text(value: float | None, unit: str) -> str:
    """The number beside a bar; None (nothing to divide) shows as a dash."""
    if value is None:
        return "–"
    return f"{value:.1f}%" if unit == "%" else f"{value:g}"


# --- SVG ---------------------------------------------------------------------------

_W, _LABEL, _BAR_H, _GAP, _FONT = 800, 330, 12, 8, 12


def _label(x: float, y: float, text: str, anchor: str = "start", size: int = _FONT) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}">'
        f"{escape(text)}</text>"
    )


def svg(chart: dict[str, Any]) -> str:
    """The chart as one ``<svg>`` element (sized by its rows, scaled to the page width)."""
    area = _W - _LABEL - 70
    parts: list[str] = [
        f'<text x="0" y="14" font-size="14" font-weight="bold">{escape(chart["title"])}</text>'
    ]
    y = 24.0
    x = float(_LABEL)
    for s in chart["series"]:  # legend
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="10" height="10" fill="{s["color"]}"/>')
        parts.append(_label(x + 14, y + 9.5, s["label"], size=11))
        x += 24 + 7.5 * len(s["label"])
    y += 24
    per_row = _BAR_H * (len(chart["series"]) if chart["kind"] == "bars" else 1) + _GAP
    for row in chart["rows"]:
        parts.append(_label(_LABEL - 8, y + per_row / 2, row["label"], anchor="end"))
        if chart["kind"] == "bars":
            for i, (value, text) in enumerate(zip(row["values"], row["texts"], strict=True)):
                w = area * value / chart["max"]
                top = y + i * _BAR_H
                colour = chart["series"][i]["color"]
                parts.append(
                    f'<rect x="{_LABEL}" y="{top:.1f}" width="{w:.1f}" height="{_BAR_H - 2}"'
                    f' fill="{colour}"/>'
                )
                parts.append(_label(_LABEL + w + 4, top + _BAR_H - 2.5, text, size=10))
        else:
            left = float(_LABEL)
            for i, value in enumerate(row["values"]):
                w = area * value / 100
                colour = chart["series"][i]["color"]
                parts.append(
                    f'<rect x="{left:.1f}" y="{y:.1f}" width="{w:.1f}" height="{_BAR_H}"'
                    f' fill="{colour}"><title>{escape(chart["series"][i]["label"])}'
                    f" {escape(row['texts'][i])}</title></rect>"
                )
                left += w
            parts.append(_label(left + 4, y + _BAR_H - 2, str(row.get("total", "")), size=10))
        y += per_row
    height = int(y + 6)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {_W} {height}"'
        f' width="100%" style="max-width:{_W}px" font-family="Sarabun, sans-serif"'
        f' aria-label="{escape(chart["title"])}">' + "".join(parts) + "</svg>"
    )
