"""Unfilled template text ("วันที่ ... เดือน", "(ระบุ...)", a dotted line): one pattern set.

Two sets, because a blank means different things in a measure cell and on the page:
a dotted line in a cell is an unanswered question, while "(ลงชื่อ)........ผู้รายงาน"
on the page is where the signature goes on paper (only an empty name or position
under it is a blank). Extraction records the spots (``record.evidence
["placeholder_hits"]``) and the checks count them, both with these patterns, tuned
against ``benchmarks/defects.py`` (``placeholder_text``).
"""

from __future__ import annotations

import re
from typing import TypedDict

from itaflow.models import MEASURE_TEXT_FIELDS, SubmissionRecord, field_text
from itaflow.thai import around

_DOTS = r"(?:\.{3,}|…+|_{3,})"
# Patterns that mean "the author did not fill this in", in measure cells.
# ``blank`` is the word after a spot that shows it is blank (kept in the spot as written).
_CELL = re.compile(
    "|".join(
        (
            rf"วันที่\s*(?:{_DOTS}|(?=(?P<blank>เดือน)))",  # "เมื่อวันที่ เดือน มีนาคม": no day
            rf"เดือน\s*(?:{_DOTS}|(?=(?:พ\s?\.?\s?ศ|ปี)\s*\.?\s*(?:\d|{_DOTS})))",  # "เดือน พ.ศ. 2566"
            rf"(?:พ\s?\.\s?ศ\s?\.|ปี)\s*{_DOTS}",  # "พ.ศ. ....": no year
            r"\.{4,}|…{2,}|_{4,}",  # a dotted line to write on
            r"[(\[<]\s*(?:โปรด)?(?:ระบุ|กรอก|ใส่|ชื่อ)[^)\]>]{0,30}[)\]>]",  # "(ระบุ...)", "[ชื่อหน่วยงาน]"
            r"(?i:\b(?:x{3,}|lorem ipsum|todo|tbd)\b)",
        )
    )
)
# Outside the table (signature block, headings): a blank name or position. The
# line "(ลงชื่อ)........ผู้รายงาน" itself is where the signature goes on paper.
_PAGE = re.compile(
    "|".join(
        (
            rf"(?P<reporter>\(\s*{_DOTS}\s*\)|ตำแหน่ง\s*{_DOTS})",  # no name, no position
            rf"วันที่\s*(?:{_DOTS}|(?=(?P<blank>เดือน)))",
            rf"(?:พ\s?\.\s?ศ\s?\.|ปี)\s*{_DOTS}",
            r"[(\[<]\s*(?:โปรด)?(?:ระบุ|กรอก|ใส่|ชื่อ)[^)\]>]{0,30}[)\]>]",
            r"(?m:^[.…_ ]{10,}$)",  # a line of dots to write on
        )
    )
)


class PlaceholderHit(TypedDict):
    """One unfilled spot, as extraction records it."""

    measure_seq: int | None  # None on the page (headings, signature block)
    field: str  # a measure field, or "text" on the page
    text: str  # the spot as written ("วันที่ เดือน")


def _matches(text: str, page: bool) -> list[re.Match[str]]:
    return list((_PAGE if page else _CELL).finditer(text))


def placeholders(text: str, *, page: bool = False) -> tuple[int, str, str | None]:
    """How many unfilled-template spots a text has, the first with some context,
    and "reporter" when (on a page) that first one is the signature block's."""
    hits = _matches(text, page)
    if not hits:
        return 0, "", None
    first = hits[0]
    where = "reporter" if page and first.group("reporter") else None
    return len(hits), around(text, first.start(), first.end()), where


def spots(text: str, *, page: bool = False) -> list[str]:
    """Each unfilled spot as written, with the word that shows it is blank."""
    out = []
    for m in _matches(text, page):
        end = max(m.end(), m.end("blank"))
        out.append(" ".join(text[m.start() : end].split()))
    return out


def page_text(record: SubmissionRecord) -> str:
    """The text outside the measure cells (headings, signature block), for
    page-level placeholders. Extraction joins table cells with " | "; pieces of
    measure cells are dropped, the rest (a signature block typed into a
    spreadsheet) kept."""
    blob = "\n".join(
        " ".join(field_text(m, f).split()) for m in record.measures for f in MEASURE_TEXT_FIELDS
    )
    lines = (record.text or "").splitlines()
    parts = (" ".join(p.split()) for line in lines for p in line.split(" | "))
    return "\n".join(p for p in parts if p and p not in blob)
