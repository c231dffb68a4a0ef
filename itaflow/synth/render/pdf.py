"""PDF reports compiled with Typst and the Sarabun font: a ruled table with a text layer.

The record's text reaches Typst as JSON through ``sys_inputs``, never as markup, so
whatever an officer typed is printed as typed.

- ``pdf_table``: portrait, one table, ด้าน headings as spanning rows;
- ``pdf_landscape``: landscape, a ลำดับ column, a table per group under a heading;
- ``pdf_unruled``: landscape, no cell borders (only a rule under the header): the
  columns exist only as x-positions of the text.
"""

from __future__ import annotations

import json
from pathlib import Path

import fontpkg_sarabun
import typst

from itaflow.models import SubmissionRecord
from itaflow.synth.render.compose import compose, rng_for

LAYOUTS = ("pdf_table", "pdf_landscape", "pdf_unruled")

TEMPLATE = Path(__file__).with_name("report.typ")
WIDTHS = {
    "seq": 0.9,
    "measure": 2.0,
    "steps": 2.6,
    "responsible": 1.9,
    "period": 2.0,
    "result": 2.6,
    "outcome": 2.0,
}


def breakable(text: str, longest: int = 9) -> str:
    """Let Typst break long Thai runs between words (U+200B), as Word would.

    Typst breaks Thai only where its dictionary allows and lets a longer run
    overflow the cell (คุณธรรมจริยธรรม in a narrow column), which would push
    characters out of their cell. Word users' files carry U+200B too, so
    readers must drop it anyway.
    """
    from pythainlp.tokenize import word_tokenize

    def split(chunk: str) -> str:
        words = word_tokenize(chunk, engine="newmm", keep_whitespace=False)
        return "\u200b".join(words).replace("/", "/\u200b").replace("\u200b\u200b", "\u200b")

    return " ".join(
        split(c) if len(c) > longest or ("/" in c and len(c) > 6) else c for c in text.split(" ")
    )


def pdf(record: SubmissionRecord, layout: str, path: Path) -> Path:
    if layout not in LAYOUTS:
        raise ValueError(f"unknown pdf layout {layout!r}")
    rng = rng_for(record, "pdf")
    landscape = layout != "pdf_table"
    doc = compose(
        record,
        "group" if layout == "pdf_landscape" else "one",
        with_seq=True if layout == "pdf_landscape" else None,
    )
    data = {
        "landscape": landscape,
        "ruled": layout != "pdf_unruled",
        "size": rng.choice([10, 11, 12]) if landscape else rng.choice([9, 10, 11]),
        "title": doc.title,
        "agency": doc.agency,
        "intro": doc.intro,
        "signature": doc.signature,
        "tables": [
            {
                "heading": t.heading,
                "header": t.header,
                "widths": [WIDTHS[f] for f in t.fields],
                "rows": [
                    {
                        "kind": r.kind,
                        "cells": [[breakable(x) for x in c.split("\n")] for c in r.cells],
                    }
                    for r in t.rows
                ],
            }
            for t in doc.tables
        ],
    }
    pdf_bytes = typst.compile(
        str(TEMPLATE),
        font_paths=[str(fontpkg_sarabun.ROOT / "files")],
        ignore_system_fonts=True,
        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
        timestamp=1735689600,
    )
    path.write_bytes(pdf_bytes)
    return path
