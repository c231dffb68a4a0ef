"""The submission-level columns: one row per record, row id ``submission_key``.

Every column is a fact about the document (a kind, a count, a yes/no), never a
verdict; the rules on them are in ``expectations/submissions.json``. The document
kind, the author's own name and placeholders come from ``itaflow.evidence``, the
definitions extraction records its evidence with: read from ``record.evidence``
when extraction recorded it, else (records built by tests or ``itaflow.synth``)
computed by the same function.
"""

from __future__ import annotations

import re
from typing import Any

from itaflow import registry, thai
from itaflow.checks import signals
from itaflow.checks.fiscal_years import fiscal_year_consistency
from itaflow.checks.garbling import word_share
from itaflow.evidence import agency_mentions, placeholders
from itaflow.evidence.doc_kind import DOC_KIND_EN, DOC_KIND_TH, doc_kind
from itaflow.models import SubmissionRecord


def submission_row(key: int, record: SubmissionRecord) -> dict[str, Any]:
    """The submission-level columns of one record."""
    readable = record.readable and not any(f.check == "unreadable_file" for f in record.findings)
    row: dict[str, Any] = {
        "submission_key": key,
        "file": record.file,
        "sha256": record.sha256,
        "format": record.format,
        "readable": readable,
        "duplicate_of": _none_if_empty(record.evidence.get("duplicate_of")),
        "agency_name": record.agency.name or "",
        "lao_code": record.agency.lao_code,
        "fiscal_year": record.fiscal_year,
        "round": record.round,
    }
    if not readable:
        return row | dict.fromkeys(_READABLE_ONLY)
    text = record.text or ""
    ev = record.evidence
    kind = ev["doc_kind"] if "doc_kind" in ev else doc_kind(record)
    fy_ok, title_fys, period_fy = fiscal_year_consistency(record)
    variants = (
        ev["own_name_variants"]
        if "own_name_variants" in ev
        else agency_mentions.own_name_variants(record, agency_mentions.own_name(record))
    )
    district, province = stated_place(record)
    page_hits, page_sample, page_field = placeholders.placeholders(
        placeholders.page_text(record), page=True
    )
    scripts = signals.foreign_scripts(text)
    return row | {
        "measure_count": len(record.measures),
        "doc_kind": kind,
        "doc_kind_th": DOC_KIND_TH.get(kind or "", ""),
        "doc_kind_en": DOC_KIND_EN.get(kind or "", ""),
        "agency_match_score": record.agency.match_score if record.agency.lao_code else 0.0,
        "agency_name_variants": len(variants),
        "agency_name_variant_list": ", ".join(variants),
        "stated_district": district or "",
        "stated_province": province or "",
        "district_in_province": district_in_province(district, province),
        "title_fiscal_years": ", ".join(str(y) for y in sorted(title_fys)),
        "period_fiscal_year": period_fy,
        "fiscal_year_consistent": fy_ok,
        "round_determined": record.round is not None if kind == "implementation_report" else None,
        "placeholder_hits": page_hits,
        "placeholder_sample": page_sample,
        "placeholder_field": page_field,
        "thai_word_share": word_share(text),
        "foreign_script_share": scripts.share,
        "foreign_script_th": scripts.name_th,
        "foreign_script_en": scripts.name_en,
        "foreign_script_sample": scripts.sample,
        "replacement_or_pua_chars": signals.broken_chars(text),
    }


_READABLE_ONLY = (
    "measure_count",
    "doc_kind",
    "doc_kind_th",
    "doc_kind_en",
    "agency_match_score",
    "agency_name_variants",
    "agency_name_variant_list",
    "stated_district",
    "stated_province",
    "district_in_province",
    "title_fiscal_years",
    "period_fiscal_year",
    "fiscal_year_consistent",
    "round_determined",
    "placeholder_hits",
    "placeholder_sample",
    "placeholder_field",
    "thai_word_share",
    "foreign_script_share",
    "foreign_script_th",
    "foreign_script_en",
    "foreign_script_sample",
    "replacement_or_pua_chars",
)


def _none_if_empty(value: Any) -> Any:
    return value if value not in ("", None) else None


_STATED_PLACE = re.compile(r"อำเภอ\s*(?P<d>[ก-๙]+)[\s,]*(?:จังหวัด|จ\.)\s*(?P<p>[ก-๙]+)")


def stated_place(record: SubmissionRecord) -> tuple[str | None, str | None]:
    """The อำเภอ and จังหวัด the document writes next to its own name."""
    ev = record.evidence
    if ev.get("stated_district") or ev.get("stated_province"):
        return ev.get("stated_district"), ev.get("stated_province")
    m = _STATED_PLACE.search("\n".join((record.text or "").splitlines()[:40]))
    return (m.group("d"), m.group("p")) if m else (None, None)


def district_in_province(district: str | None, province: str | None) -> bool | None:
    """Whether the stated district is one of the stated province's (typos
    tolerated); None when either is not stated or the province is unknown."""
    if not district or not province:
        return None
    prov, prov_sim = registry.match_province(province)
    if not prov or prov_sim < 0.8:
        return None
    name = thai.one_line(district).replace(" ", "")
    name = re.sub(r"^(?:อำเภอ|อ\.)", "", name)
    if name == "เมือง":
        name = "เมือง" + prov
    _, sim = registry.match_district(name, prov)
    return sim >= 0.85
