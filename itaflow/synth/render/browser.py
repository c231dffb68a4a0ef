"""The HTML page a browser user would print to PDF (Chromium ``--print-to-pdf``, ``producers``).

The Thai font comes from a local file through ``@font-face`` (Sarabun from the
packaged font, or a TLWG face when installed), so printing needs no network. The
table header sits in ``<thead>``, which Chromium repeats on every page a table
continues on; rows may break across pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

import fontpkg_sarabun

from itaflow.synth.render.sheet import Grid, Para, Piece

TLWG = Path("/usr/share/fonts/truetype/tlwg")


@dataclass(frozen=True)
class WebStyle:
    landscape: bool = False
    font: str = "Sarabun"  # Sarabun, or a TLWG face (Loma, Garuda, Norasi…) when installed
    size_pt: float = 11
    paragraphs: bool = False  # cell items as <p> (pasted from Word) instead of <br>
    ruled: bool = True
    furniture: bool = False  # print the browser's header and footer (date, title, URL, page n/N)
    rowspan: bool = False  # a row per step/result item, the measure's other cells spanning them


def font_file(name: str) -> Path:
    """The regular face of ``name``; Sarabun when that TLWG face is not installed."""
    tlwg = TLWG / f"{name}.ttf"
    if name != "Sarabun" and tlwg.is_file():
        return tlwg
    return fontpkg_sarabun.ROOT / "files" / "Sarabun-Regular.ttf"


def _bold_file(name: str) -> Path:
    regular = font_file(name)
    bold = regular.with_name(regular.stem.replace("-Regular", "") + "-Bold.ttf")
    return bold if bold.is_file() else regular


def _cell(text: str, paragraphs: bool) -> str:
    parts = [escape(t) for t in text.split("\n")] if text else []
    return "".join(f"<p>{t}</p>" for t in parts) if paragraphs else "<br>".join(parts)


def _split_rows(cells: list[str], split: list[bool], paragraphs: bool) -> list[str]:
    """One measure over several <tr>: an item per row in split columns, others rowspan."""
    items = [c.split("\n") if c else [""] for c in cells]
    height = max([len(i) for i, s in zip(items, split, strict=True) if s] or [1])
    rows: list[list[str]] = [[] for _ in range(height)]
    for text, parts, s in zip(cells, items, split, strict=True):
        if s:
            for k in range(height):
                rows[k].append(f"<td>{escape(parts[k]) if k < len(parts) else ''}</td>")
        else:
            rows[0].append(f'<td rowspan="{height}">{_cell(text, paragraphs)}</td>')
    return ["<tr>" + "".join(r) + "</tr>" for r in rows]


def _grid(grid: Grid, paragraphs: bool, rowspan: bool = False) -> list[str]:
    weights = grid.weights()
    out = ["<table>", "<colgroup>"]
    out += [f'<col style="width:{100 * w / sum(weights):.1f}%">' for w in weights]
    out.append("</colgroup><thead><tr>")
    out += [f"<th>{_cell(h, False)}</th>" for h in grid.header]
    out.append("</tr></thead><tbody>")
    split = grid.split_columns()
    for kind, cells in grid.rows:
        if kind == "group":
            out.append(f'<tr><td colspan="{len(grid.header)}"><b>{escape(cells[0])}</b></td></tr>')
        elif rowspan and any(split):
            out += _split_rows(cells, split, paragraphs)
        else:
            out.append(
                "<tr>" + "".join(f"<td>{_cell(c, paragraphs)}</td>" for c in cells) + "</tr>"
            )
    out.append("</tbody></table>")
    return out


def html_of(pieces: list[Piece], style: WebStyle) -> str:
    """A self-contained page of ``pieces`` in ``style``, ready to print."""
    border = "0.6pt solid #000" if style.ruled else "none"
    css = f"""
@font-face {{ font-family: "Report"; src: url("{font_file(style.font).as_uri()}"); }}
@font-face {{ font-family: "Report"; font-weight: bold;
  src: url("{_bold_file(style.font).as_uri()}"); }}
@page {{ size: A4 {"landscape" if style.landscape else "portrait"}; margin: 1.5cm 1.4cm; }}
body {{ font-family: "Report"; font-size: {style.size_pt}pt; line-height: 1.35; }}
table {{ border-collapse: collapse; width: 100%; table-layout: fixed; margin: 0.4em 0 1em; }}
th, td {{ border: {border}; padding: 3pt 4pt; vertical-align: top; overflow-wrap: anywhere; }}
th {{ border-bottom: 0.8pt solid #000; }}
td p {{ margin: 0; }}
p {{ margin: 0.2em 0; }}
"""
    title = next((p.text for p in pieces if isinstance(p, Para)), "report")
    out = [
        "<!DOCTYPE html>",
        f'<html lang="th"><head><meta charset="utf-8"><title>{escape(title)}</title>',
        f"<style>{css}</style></head><body>",
    ]
    for piece in pieces:
        if isinstance(piece, Para):
            text = f"<b>{escape(piece.text)}</b>" if piece.bold else escape(piece.text)
            out.append(f'<p style="text-align:{piece.align}">{text}</p>')
        else:
            out += _grid(piece, style.paragraphs, style.rowspan)
    out.append("</body></html>")
    return "\n".join(out) + "\n"


__all__ = ["WebStyle", "font_file", "html_of"]
