"""HTML reports: a bordered ``<table>``, items split by ``<br>`` or ``<p>`` inside cells.

- ``html_table``: one table, ด้าน headings as full-width rows;
- ``html_p``: one table per group under an ``<h4>``, cells made of ``<p>`` paragraphs.
"""

from __future__ import annotations

from html import escape

from itaflow.models import SubmissionRecord
from itaflow.synth.render.compose import Table, compose

LAYOUTS = ("html_table", "html_p")

_CHARSET = {"utf-8": "utf-8", "utf-8-sig": "utf-8", "cp874": "windows-874", "utf-16": "utf-16"}


def _cell(text: str, paragraphs: bool) -> str:
    parts = [escape(t) for t in text.split("\n")] if text else []
    return "".join(f"<p>{t}</p>" for t in parts) if paragraphs else "<br>".join(parts)


def _table(t: Table, paragraphs: bool) -> list[str]:
    out = ['<table border="1" cellspacing="0" cellpadding="4">', "<thead><tr>"]
    out += [f"<th>{escape(h)}</th>" for h in t.header]
    out.append("</tr></thead><tbody>")
    for row in t.rows:
        if row.kind == "group":
            out.append(f'<tr><td colspan="{len(t.header)}"><b>{escape(row.cells[0])}</b></td></tr>')
        else:
            out.append(
                "<tr>" + "".join(f"<td>{_cell(c, paragraphs)}</td>" for c in row.cells) + "</tr>"
            )
    out.append("</tbody></table>")
    return out


def html(record: SubmissionRecord, layout: str, encoding: str = "utf-8") -> str:
    if layout not in LAYOUTS:
        raise ValueError(f"unknown html layout {layout!r}")
    paragraphs = layout == "html_p"
    doc = compose(record, "group" if paragraphs else "one")
    out = [
        "<!DOCTYPE html>",
        f'<html lang="th"><head><meta charset="{_CHARSET.get(encoding, encoding)}">',
        f"<title>{escape(doc.title[0])}</title></head><body>",
    ]
    out += [f'<h3 style="text-align:center">{escape(t)}</h3>' for t in doc.title]
    out += [f'<p style="text-align:center">{escape(t)}</p>' for t in doc.agency]
    out += [f"<p>{escape(t)}</p>" for t in doc.intro]
    for t in doc.tables:
        if t.heading:
            out.append(f"<h4>{escape(t.heading)}</h4>")
        out += _table(t, paragraphs)
    out += [f'<p style="text-align:right">{escape(t)}</p>' for t in doc.signature if t]
    out.append("</body></html>")
    return "\n".join(out) + "\n"
