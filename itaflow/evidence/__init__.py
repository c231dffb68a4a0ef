"""What a document shows beyond its fields: the facts extraction records and checks read.

Each question has one definition here, imported by both stages (extraction must not
import ``itaflow.checks``): ``agency_mentions`` (the author's own name, its variants,
other LAOs named), ``placeholders`` (unfilled template text), ``doc_kind`` (report,
plan, analysis or other) and ``title_years`` (the fiscal years and period a title states). ``Evidence`` lists the keys of ``SubmissionRecord.evidence``.
"""

from __future__ import annotations

from typing import TypedDict

from itaflow.evidence.agency_mentions import OtherLaoMention
from itaflow.evidence.placeholders import PlaceholderHit


class Evidence(TypedDict, total=False):
    """``SubmissionRecord.evidence``: set by extraction unless noted; read by the checks
    (``itaflow.checks``) where said."""

    title_years: list[int]  # fiscal years the title states (``title_years``; checks read)
    round_text: str  # the words the round was read from ("รอบ 6 เดือน"), or ""
    title_period: list[str] | None  # [start, end] ISO dates the title writes (``title_years``)
    stated_district: str | None  # อำเภอ written near the agency name (checks read)
    stated_province: str | None  # จังหวัด as written (checks read)
    period_source: dict[str, str]  # {seq: "monitoring" | "steps"}: no period column (checks read)
    header_row_like: list[int]  # seqs of measures whose cells read like column titles (checks read)
    repeated_header_rows: list[int]  # seqs after a header row repeated mid-table (checks read)
    column_fields: list[str]  # fields of the measure-table columns found (sorted)
    measure_tables: int  # how many measure-table headers were found
    doc_kind: str | None  # ``doc_kind.doc_kind`` (checks read)
    own_name_variants: list[str]  # ``agency_mentions.own_name_variants`` (checks read)
    agency_name_variants: list[str]  # the distinct bare names the document gives itself
    other_lao_mentions: list[OtherLaoMention]  # LAOs named that are not the author
    placeholder_hits: list[PlaceholderHit]  # unfilled template text
    duplicate_of: str  # set by the pipeline: the same bytes were received before (checks read)
    attributed_by: str  # set by the pipeline: how an unreadable file was tied to its LAO
    synth: dict  # set by ``itaflow.synth``: the generated document's wording


__all__ = ["Evidence", "OtherLaoMention", "PlaceholderHit"]
