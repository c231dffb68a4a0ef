"""The measure-level columns: one row per measure, row ids ``submission_key`` and
``measure_seq``.

Every column is a fact about a cell (present or not, a period's dates, a share, a
count), never a verdict; the rules on them are in ``expectations/measures.json``.
Other LAOs named and placeholders come from ``itaflow.evidence``, the definitions
extraction records its evidence with.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from itaflow import periods, thai
from itaflow.checks import signals
from itaflow.checks.garbling import garbled
from itaflow.checks.near_dup import nearest_earlier
from itaflow.evidence import agency_mentions, placeholders
from itaflow.models import Measure, SubmissionRecord, field_text
from itaflow.thai import present

# Texts shorter than this (letters only) are too short to call a copy: "ไม่มีข้อร้องเรียน"
# may honestly end two measures. Up to ``DUPLICATE_FUZZY_LETTERS`` only an exact
# repeat counts; longer texts are compared fuzzily (a copy with a few words changed).
DUPLICATE_MIN_LETTERS = 20
DUPLICATE_FUZZY_LETTERS = 40
# Fields compared for copied text.
DUPLICATE_FIELDS = ("result", "outcome")


def measure_rows(key: int, record: SubmissionRecord, fields: Iterable[str]) -> list[dict[str, Any]]:
    """The measure-level columns of one record, one row per measure."""
    fields = tuple(fields)
    own = agency_mentions.own_name(record)
    province = record.agency.province
    fy, round_ = record.fiscal_year, record.round
    fy_bounds = periods.round_bounds(fy, "FY") if fy else None
    h1_end = periods.round_bounds(fy, "H1")[1] if fy and round_ == "H1" else None
    # Where extraction took each period from when the table has no period
    # column ("monitoring", "steps"): such text is no evidence of a shift.
    period_source = record.evidence.get("period_source") or {}
    header_rows = set(record.evidence.get("header_row_like") or [])
    # A header row repeated inside a table that extraction dropped: the seq of
    # the measure that followed it.
    after_header = set(record.evidence.get("repeated_header_rows") or [])
    squashed = [
        {f: signals.squash(field_text(m, f)) for f in DUPLICATE_FIELDS} for m in record.measures
    ]
    duplicates = nearest_earlier(
        squashed,
        lambda a, b, cutoff: signals.similarity(a, b, cutoff=cutoff),
        DUPLICATE_MIN_LETTERS,
        DUPLICATE_FUZZY_LETTERS,
    )
    rows = []
    for i, m in enumerate(record.measures):
        texts = {f: field_text(m, f) for f in fields}
        shifted_resp = (
            signals.looks_like_period(texts["responsible"])
            if present(texts["responsible"])
            else None
        )
        from_column = period_source.get(str(m.seq), "column") == "column"
        shifted_period = (
            signals.looks_like_unit(m.period_text)
            if from_column and present(m.period_text)
            else None
        )
        span = _span(m, fy)
        row: dict[str, Any] = {
            "submission_key": key,
            "measure_seq": m.seq,
            "fiscal_year": fy,
            "round": round_,
            **texts,
            "category": m.category,
            "indicator": m.indicator,
            "status": m.status,
            **{f"{f}_present": present(t) for f, t in texts.items()},
            "responsible_looks_like_period": shifted_resp,
            "period_looks_like_unit": shifted_period,
            "column_shift_field": "responsible"
            if shifted_resp
            else "period"
            if shifted_period
            else None,
            "column_shift_text": texts["responsible"]
            if shifted_resp
            else m.period_text
            if shifted_period
            else "",
            "after_repeated_header": m.seq in after_header,
            "period_parseable": (span is not None)
            if present(m.period_text) and not shifted_period and not shifted_resp
            else None,
            "period_start": span[0].isoformat() if span else None,
            "period_end": span[1].isoformat() if span else None,
            "period_in_fy": (fy_bounds[0] <= span[0] and span[1] <= fy_bounds[1])
            if span and fy_bounds
            else None,
            "past_march_in_h1": span[1] > h1_end if span and h1_end else None,
            "header_like_score": 1.0
            if m.seq in header_rows
            else round(signals.header_like_share(list(texts.values())), 3),
            **duplicates[i],
            **_placeholder(texts),
            **garbled(texts, m.raw),
            **_scripts(texts),
        }
        foreign: dict[str, list[str]] = {}
        for f, t in texts.items():
            for name in agency_mentions.foreign_mentions(t, own, province):
                foreign.setdefault(name, []).append(f)
        row["foreign_agency_mentions"] = len(foreign)
        row["foreign_agency_names"] = ", ".join(foreign)
        row["foreign_agency_field"] = next(iter(foreign.values()))[0] if foreign else None
        rows.append(row)
    return rows


_SPACE_IN_THAI = re.compile(f"(?<=[{thai.THAI_LETTER}]) (?=[{thai.THAI_LETTER}])")


def _span(m: Measure, fiscal_year: int | None) -> tuple[date, date] | None:
    """The period's dates: extraction's, else parsed here, forgiving spaces that
    line wrapping left inside Thai words ("พฤศจิกาย น 2567")."""
    if m.period_start and m.period_end:
        return m.period_start, m.period_end
    if not m.period_text:
        return None
    return periods.parse_period(m.period_text, fiscal_year) or periods.parse_period(
        _SPACE_IN_THAI.sub("", m.period_text), fiscal_year
    )


def _placeholder(texts: dict[str, str]) -> dict[str, Any]:
    total, sample, where = 0, "", None
    for f, t in texts.items():
        hits, s, _ = placeholders.placeholders(t)
        if hits and not sample:
            sample, where = s, f
        total += hits
    return {
        "placeholder_hits": total,
        "placeholder_sample": sample,
        "placeholder_field": where,
    }


def _scripts(texts: dict[str, str]) -> dict[str, Any]:
    found = signals.foreign_scripts("\n".join(texts.values()))
    where = (
        next((f for f, t in texts.items() if signals.foreign_scripts(t).chars), None)
        if found.chars
        else None
    )
    return {
        "foreign_script_chars": found.chars,
        "foreign_script_share": round(found.share, 4),
        "foreign_script_th": found.name_th,
        "foreign_script_en": found.name_en,
        "foreign_script_sample": found.sample,
        "foreign_script_field": where,
    }
