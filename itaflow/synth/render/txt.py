"""Plain-text reports in the three styles the office receives after conversion.

- ``tsv_repeat``: tab-separated, a header line (and often the title) repeated before
  every measure (like the ตาพระยา seed);
- ``tsv_p``: tab-separated rows whose cells hold HTML ``<p>`` paragraphs (หนองหัวแรต);
- ``md_groups``: markdown pipe tables under ด้าน IIT / EIT / OIT headings (ด่านช้าง);
- ``md_table``: one markdown pipe table, headings as bold rows.
"""

from __future__ import annotations

from itaflow.models import SubmissionRecord
from itaflow.synth.render.compose import Doc, Table, compose, rng_for

LAYOUTS = ("tsv_repeat", "tsv_p", "md_groups", "md_table")


def _flat(cell: str) -> str:
    return " ".join(cell.split("\n"))


def _p(cell: str) -> str:
    return " ".join(f"<p>{t}</p>" for t in cell.split("\n")) if cell else ""


def _tsv(table: Table, cell_fmt, with_heading: bool) -> list[str]:
    lines = [table.heading, ""] if with_heading and table.heading else []
    lines.append("\t".join(table.header))
    for row in table.rows:
        if row.kind == "group":
            lines.append(row.cells[0])
        else:
            lines.append("\t".join(cell_fmt(c) for c in row.cells))
    return lines


def _md(table: Table, cell_fmt, rng) -> list[str]:
    lines = [f"| {' | '.join(table.header)} |"]
    lines.append("|" + "|".join("-" * rng.randint(2, 14) for _ in table.header) + "|")
    for row in table.rows:
        if row.kind == "group":
            lines.append(f"| **{row.cells[0]}** |" + " |" * (len(table.header) - 1))
        else:
            lines.append(f"| {' | '.join(cell_fmt(c) for c in row.cells)} |")
    return lines


def _head(doc: Doc, bold: bool) -> list[str]:
    title = [f"**{doc.title[0]}", *doc.title[1:]] if bold else list(doc.title)
    if bold:
        title[-1] += "**"
    return ["", "", *title, ""]


def text(record: SubmissionRecord, layout: str) -> str:
    """The report as one string (line ends ``\\n``)."""
    rng = rng_for(record, "txt")
    if layout == "tsv_repeat":
        doc = compose(record, "measure", with_seq=True)
        agency_late = rng.random() < 0.5
        lines = _head(doc, rng.random() < 0.5)
        if not agency_late:
            lines += [*doc.agency, ""]
        lines += doc.intro + ([""] if doc.intro else [])
        for i, t in enumerate(doc.tables):
            if i:
                lines += [
                    "",
                    " ".join(doc.title),
                    *([" ".join(doc.agency)] if i == 1 or rng.random() < 0.6 else []),
                    "",
                ]
            lines += _tsv(t, _flat, True)
        if agency_late and not doc.tables:
            lines += doc.agency
    elif layout == "tsv_p":
        doc = compose(record, "pairs")
        lines = _head(doc, False) + [*doc.agency, ""] + doc.intro + [""]
        if rng.random() < 0.5 and record.measures:
            lines += [f"{i}. {m.measure}" for i, m in enumerate(record.measures, 1)] + [""]
        for t in doc.tables:
            lines += _tsv(t, _p, True) + [""]
    elif layout == "md_groups":
        doc = compose(record, "measure" if rng.random() < 0.6 else "group")
        fmt = rng.choice([_flat, _p, lambda c: "<br>".join(c.split("\n"))])
        lines = _head(doc, False) + [*doc.agency, ""] + doc.intro + [""]
        for t in doc.tables:
            if t.heading:
                lines += [t.heading, ""]
            lines += _md(t, fmt, rng) + [""]
    elif layout == "md_table":
        doc = compose(record, "one")
        lines = _head(doc, True) + [*doc.agency, ""] + doc.intro + [""]
        for t in doc.tables:
            lines += _md(t, _flat, rng) + [""]
    else:
        raise ValueError(f"unknown text layout {layout!r}")
    lines += ["", *doc.signature]
    return "\n".join(lines) + "\n"
