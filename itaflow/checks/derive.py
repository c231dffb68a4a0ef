"""Derived columns: what Python must compute before an expectation can judge it.

A batch of records becomes two DataFrames, one validation each:

- ``submissions``: one row per record, row id ``submission_key`` (the record's
  index in the batch);
- ``measures``: one row per measure, row ids ``submission_key`` and ``measure_seq``.

Every column here is a fact about the text (a share, a count, a yes/no), never a
verdict: thresholds and severities live in ``expectations/*.json``. A column is
None (null) where the question does not apply — no period to parse, a round that
is not H1, an unreadable file — and Great Expectations skips nulls, so a rule
never fires on a question that was not asked.

Besides the fields of ``SubmissionRecord``, the columns read these
``record.evidence`` keys when present (documented in ``itaflow.extract``):

- ``stated_district`` / ``stated_province``: the อำเภอ / จังหวัด the document
  writes next to its own name (else read from the first lines of the text);
- ``period_source``: where a period came from when the table has no period
  column (such text is no sign of a column shift);
- ``header_row_like`` / ``repeated_header_rows``: measures that read like column
  titles, and measures that follow a header row repeated inside a table;
- ``duplicate_of``: set by the pipeline when the same bytes were received before
  (the earlier file or submission id).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from itaflow import periods, registry, thai
from itaflow.checks import signals
from itaflow.checks.near_dup import nearest_earlier
from itaflow.models import MEASURE_TEXT_FIELDS, Measure, SubmissionRecord
from itaflow.settings import Settings

if TYPE_CHECKING:
    import pandas as pd

ROW_IDS: dict[str, tuple[str, ...]] = {
    "submissions": ("submission_key",),
    "measures": ("submission_key", "measure_seq"),
}

# Texts shorter than this (letters only) are too short to call a copy: "ไม่มีข้อร้องเรียน"
# may honestly end two measures. Up to ``DUPLICATE_FUZZY_LETTERS`` only an exact
# repeat counts; longer texts are compared fuzzily (a copy with a few words changed).
DUPLICATE_MIN_LETTERS = 20
DUPLICATE_FUZZY_LETTERS = 40
# Below this many Thai letters a word share says nothing.
WORD_SHARE_MIN_THAI = 30
# Fields compared for copied text.
DUPLICATE_FIELDS = ("result", "outcome")

DOC_KIND_TH = {
    "implementation_report": "รายงานผลการดำเนินการตามมาตรการ",
    "plan": "แผน/มาตรการ (ยังไม่มีผลการดำเนินการ)",
    "ita_analysis": "การวิเคราะห์ผลการประเมิน ITA",
    "other": "เอกสารประเภทอื่น",
}
DOC_KIND_EN = {
    "implementation_report": "an implementation report",
    "plan": "a measures plan without results",
    "ita_analysis": "an ITA score analysis",
    "other": "another kind of document",
}


def frames(
    records: list[SubmissionRecord],
    settings: Settings,
    rows: list[tuple[dict[str, Any], list[dict[str, Any]]]] | None = None,
) -> dict[str, pd.DataFrame]:
    """The batch as one DataFrame per checked table, keyed by table name.

    ``rows``: each record's (submission row, measure rows) when already derived
    (``checks.batch.derive_within_budget`` does so under a time limit per file)."""
    import pandas as pd

    fields = measure_fields(settings)
    if rows is None:
        rows = [(submission_row(i, r), measure_rows(i, r, fields)) for i, r in enumerate(records)]
    submissions = [sub for sub, _ in rows]
    measures = [row for _, ms in rows for row in ms]
    return {
        "submissions": pd.DataFrame(submissions, columns=_columns(submissions)),
        "measures": pd.DataFrame(measures, columns=_columns(measures) or _measure_columns(fields)),
    }


def _measure_columns(fields: tuple[str, ...]) -> list[str]:
    """The measures table's columns even when no record in the batch has a measure
    (a batch of unreadable files): every rule must still find its columns."""
    probe = SubmissionRecord(file="", sha256="", format="unknown", measures=[Measure(seq=1)])
    return _columns(measure_rows(0, probe, fields))


def measure_fields(settings: Settings) -> tuple[str, ...]:
    """Every field that gets a ``<field>_present`` column: the model's text fields
    and whatever the settings require or recommend."""
    seen = dict.fromkeys(
        (*MEASURE_TEXT_FIELDS, *settings.required_fields, *settings.recommended_fields)
    )
    return tuple(seen)


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(k for row in rows[:1] for k in row))


def field_text(measure: Measure, name: str) -> str:
    """A measure field as one string ("period" is the period as written)."""
    if name == "period":
        return measure.period_text
    value = getattr(measure, name, None)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


_WORD_CHAR = re.compile(r"[^\W_]")


def present(text: str) -> bool:
    """Something was written: at least one letter or digit ("-" is not an answer)."""
    return bool(_WORD_CHAR.search(text))


# --- submissions -------------------------------------------------------------------


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
    kind = doc_kind(record)
    fy_ok, title_fys, period_fy = fiscal_year_consistency(record)
    own = _own_name(record)
    variants = own_name_variants(record, own)
    district, province = stated_place(record)
    page_hits, page_sample, page_field = signals.placeholders(
        _text_outside_measures(record), page=True
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
        "thai_word_share": _word_share(text),
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


def _head(record: SubmissionRecord) -> str:
    """The title, or the first lines of the text when extraction found no title."""
    return record.title or "\n".join((record.text or "").splitlines()[:8])


_REPORT_WORDS = re.compile(r"รายงาน(?:ผล|การดำเนิน|สรุป)|แบบรายงาน|ผลการดำเนิน(?:การ|งาน)")
_PLAN_HEAD = re.compile(r"^\W*(?:แผน|มาตรการ|ประกาศ)")
_ANALYSIS_WORDS = re.compile(r"วิเคราะห์ผลการประเมิน|ผลการประเมิน\s*(?:ITA|คุณธรรม)")
_SUBJECT_WORDS = re.compile(r"คุณธรรม|โปร่งใส|ทุจริต|สินบน|ITA|จริยธรรม|ผลประโยชน์ทับซ้อน")


def doc_kind(record: SubmissionRecord) -> str | None:
    """What the document is: an implementation report, a plan (measures without
    results), an ITA score analysis, or another kind; None when it cannot be told.

    The title decides first ("รายงานผล..." is a report, "มาตรการ.../แผน..." without
    "รายงาน" is a plan); without a telling title, measures with results make a
    report and measures without make a plan.
    """
    head = thai.one_line(_head(record))
    text = record.text or ""
    with_result = sum(1 for m in record.measures if present(m.result))
    result_share = with_result / len(record.measures) if record.measures else 0.0
    if _REPORT_WORDS.search(head):
        return "implementation_report" if result_share > 0 or not record.measures else "plan"
    if _PLAN_HEAD.search(head) and result_share < 0.5:
        return "plan"
    if _ANALYSIS_WORDS.search(head) and result_share < 0.5:
        return "ita_analysis"
    if not _SUBJECT_WORDS.search(text):
        return "other"
    if record.measures:
        return "implementation_report" if result_share >= 0.5 else "plan"
    if _ANALYSIS_WORDS.search(text):
        return "ita_analysis"
    return None


_FY_WRITTEN = re.compile(
    r"(?:(?:ปี\s*)?งบประมาณ|ประจำปี)\s*(?:พ\s?\.?\s?ศ\s?\.?)?\s*(\d{4}|\d{2})(?!\d)"
)
_ASSESSMENT_LINE = re.compile(r"ประเมิน|ITA|วิเคราะห์")


def title_fiscal_years(title: str) -> set[int]:
    """Fiscal years a title states: "ปีงบประมาณ พ.ศ. ๒๕๖๖" and the fiscal year(s)
    of a written round range "(ตุลาคม ๒๕๖๕ - มีนาคม ๒๕๖๖)". Lines about the ITA
    assessment are left out: a report for 2567 rightly cites the 2566 assessment."""
    lines = [
        thai.to_arabic_digits(line)
        for line in title.splitlines()
        if line.strip() and not _ASSESSMENT_LINE.search(line)
    ]
    years = {int(y) + (2500 if len(y) == 2 else 0) for y in _FY_WRITTEN.findall(" ".join(lines))}
    for line in lines:
        span = periods.parse_period(line)
        if span and 0 <= (span[1] - span[0]).days <= 366:
            years |= {periods.fiscal_year_of(span[0]), periods.fiscal_year_of(span[1])}
    return years


def _plausible_year(year: int) -> bool:
    return 2540 <= year <= date.today().year + periods.BE_OFFSET + 2


def fiscal_year_consistency(record: SubmissionRecord) -> tuple[bool | None, set[int], int | None]:
    """Whether the years a report states agree: title, extracted fiscal year, and
    the fiscal year most periods fall in. Returns (consistent, title years,
    dominant period fiscal year); consistent is None when no year is stated."""
    title_fys = title_fiscal_years(record.title or "")
    stated = title_fys | ({record.fiscal_year} if record.fiscal_year else set())
    period_fys = [periods.fiscal_year_of(m.period_end) for m in record.measures if m.period_end]
    dominant = max(set(period_fys), key=period_fys.count) if period_fys else None
    if not stated and dominant is None:
        return None, title_fys, dominant
    if len(stated) > 1 or not all(_plausible_year(y) for y in stated):
        return False, title_fys, dominant
    fy = next(iter(stated), None)
    if fy is not None and dominant is not None:
        off = sum(1 for y in period_fys if y != fy)
        if off >= 2 and off > len(period_fys) / 2:
            return False, title_fys, dominant
    return True, title_fys, dominant


def _own_name(record: SubmissionRecord) -> tuple[str | None, str]:
    """(type_th, bare name) of the author: the registry's when matched, else as written."""
    if record.agency.lao_code and (row := registry.get(record.agency.lao_code)):
        return row.type_th, row.name_th
    types, bare = registry.split_type(record.agency.name or "")
    return (types[0] if len(types) == 1 else record.agency.type_th), bare


def _is_own(mention: registry.Mention, own: tuple[str | None, str], province: str | None) -> bool:
    """Whether a mention names the author. The mention finder already maps a
    misspelt name to the registry name it resembles, so a registered author is
    matched exactly; an unregistered one (its name as written) by likeness."""
    own_type, own_name = own
    if not own_name:
        return False
    registered = own_name in _registered_names()
    same_name = mention.name == own_name or (
        not registered and signals.similarity(mention.name, own_name) >= 0.85
    )
    if not same_name:
        return False
    if own_type is None or mention.type_th == own_type:
        return True
    # Same name, another type: a real neighbour when the registry has one in
    # the province (อบต.ตาพระยา and เทศบาลตำบลตาพระยา), else the author's own
    # name with the wrong type.
    return not any(
        (row := registry.get(code)) and row.province_th == province for code in mention.lao_codes
    )


def _written_name(mention: registry.Mention) -> str:
    return registry.split_type(mention.text)[1].replace(" ", "")


_TYPE_BEFORE = re.compile(
    r"(องค์การบริหารส่วนตำบล|องค์การบริหารส่วนจังหวัด|เทศบาลตำบล|เทศบาลเมือง|เทศบาลนคร|เทศบาล"
    r"|อ\.?บ\.?ต\.?|อ\.?บ\.?จ\.?|ท\.?ต\.|ท\.?ม\.|ท\.?น\.)\s?$"
)


@lru_cache(maxsize=1)
def _laos_by_name() -> dict[tuple[str, str], set[str]]:
    """(type_th, name) → the provinces that have such an LAO."""
    out: dict[tuple[str, str], set[str]] = {}
    for row in registry.load().values():
        out.setdefault((row.type_th, row.name_th), set()).add(row.province_th)
    return out


@lru_cache(maxsize=1)
def _registered_names() -> frozenset[str]:
    return frozenset(name for _, name in _laos_by_name())


def own_name_variants(record: SubmissionRecord, own: tuple[str | None, str]) -> list[str]:
    """Ways the document writes its own name beyond its main one: a misspelling
    ("หนองหัวแรด" for หนองหัวแรต) or another type with the same name
    ("เทศบาลตำบลด่านช้าง" in a report of อบต.ด่านช้าง) that is no LAO of the
    province. Abbreviated types (อบต., ทต.) are not variants."""
    own_type, own_name = own
    if not own_name:
        return []
    text = record.text or ""
    province = record.agency.province
    forms: dict[tuple[str, str], str] = {}
    main = registry.split_type(record.agency.name or "")[1].replace(" ", "") or own_name
    forms[(own_type or "", main)] = main
    for mention in registry.find_lao_mentions(text):
        if _is_own(mention, own, province):
            forms.setdefault((mention.type_th, _written_name(mention)), thai.one_line(mention.text))
    # The same name under another type: the registry may have no such LAO at all,
    # so the mention finder cannot see it; look at what precedes the name.
    for m in re.finditer(re.escape(own_name), text):
        before = _TYPE_BEFORE.search(text[max(0, m.start() - 25) : m.start()])
        if not before:
            continue
        types, _ = registry.split_type(before.group(1) + own_name)
        if not types or own_type in types:
            continue
        if any(province in _laos_by_name().get((t, own_name), ()) for t in types):
            continue  # a real neighbour (อบต.ตาพระยา and เทศบาลตำบลตาพระยา)
        key = (types[0] if len(types) == 1 else "เทศบาล", own_name)
        forms.setdefault(key, thai.one_line(before.group(1) + own_name))
    return list(forms.values())[1:]


def foreign_mentions(text: str, own: tuple[str | None, str], province: str | None) -> list[str]:
    """Other LAOs a text names (as written). The author's own province อบจ. is not
    foreign for a smaller LAO: they work together and say so."""
    out: list[str] = []
    for mention in registry.find_lao_mentions(text):
        if _is_own(mention, own, province):
            continue
        if mention.type_th == "อบจ." and own[0] != "อบจ." and mention.name == province:
            continue
        written = thai.one_line(mention.text)
        if written not in out:
            out.append(written)
    return out


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


def _text_outside_measures(record: SubmissionRecord) -> str:
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


_THAI_RUNS = re.compile(f"[{thai.THAI_LETTER}]+")
_REPEAT_MARKS = re.compile("[ฯๆ]")


def _word_share(text: str) -> float | None:
    """``thai.thai_word_share``, None for text with too little Thai to judge.
    ฯ and ๆ are marks, not words: they would make their neighbours look stray."""
    text = _REPEAT_MARKS.sub(" ", text)
    thai_letters = sum(map(len, _THAI_RUNS.findall(text)))
    return round(thai.thai_word_share(text), 4) if thai_letters >= WORD_SHARE_MIN_THAI else None


# --- measures ----------------------------------------------------------------------


def measure_rows(key: int, record: SubmissionRecord, fields: Iterable[str]) -> list[dict[str, Any]]:
    """The measure-level columns of one record, one row per measure."""
    fields = tuple(fields)
    own = _own_name(record)
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
            **_garbled(texts, m.raw),
            **_scripts(texts),
        }
        foreign: dict[str, list[str]] = {}
        for f, t in texts.items():
            for name in foreign_mentions(t, own, province):
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
        hits, s, _ = signals.placeholders(t)
        if hits and not sample:
            sample, where = s, f
        total += hits
    return {
        "placeholder_hits": total,
        "placeholder_sample": sample,
        "placeholder_field": where,
    }


def _garbled(texts: dict[str, str], raw: dict[str, str]) -> dict[str, Any]:
    """Broken-text signals of a measure, and the field they are worst in.

    The word share is the lowest of the fields: one broken cell in a clean row is
    still broken. Replacement and private-use characters are counted in the
    cells as read (``Measure.raw``), because normalisation maps legacy Thai font
    glyphs back to letters and would hide that the file was damaged.
    """
    as_read = {("period" if k == "period_text" else k): v for k, v in raw.items()} or texts
    broken = {f: signals.broken_chars(t) for f, t in as_read.items()}
    marks = {f: signals.misplaced_marks(t) for f, t in texts.items()}
    shares = {f: s for f, s in ((f, _word_share(t)) for f, t in texts.items()) if s is not None}
    worst = (
        next((f for f, n in broken.items() if n), None)
        or next((f for f, n in marks.items() if n), None)
        or (min(shares, key=lambda f: shares[f]) if shares else None)
    )
    gains = {
        f: g
        for f, g in ((f, _repair_gain(t, shares[f])) for f, t in texts.items() if f in shares)
        if g
    }
    if not worst or (gains and not broken.get(worst) and not marks.get(worst)):
        worst = max(gains, key=lambda f: gains[f]) if gains else worst
    sample_text = as_read.get(worst, "") if broken.get(worst or "") else texts.get(worst or "", "")
    return {
        "thai_word_share": min(shares.values()) if shares else None,
        "glyph_repair_gain": max(gains.values()) if gains else 0.0,
        "misplaced_marks": sum(marks.values()),
        "replacement_or_pua_chars": sum(broken.values()),
        "garbled_field": worst,
        "garbled_sample": signals.first_broken_sample(sample_text)
        or _unknown_words_sample(sample_text),
    }


_TONE_AFTER = re.compile("([^\u0e48-\u0e4b\\s])([\u0e48-\u0e4b])")


def _repair_gain(text: str, share: float) -> float:
    """How much more of the text reads as Thai words once the usual PDF glyph damage is
    undone: ำ read for า (กำร for การ), or every tone mark shifted one letter late
    (ขัน้ for ขั้น). Clean text reads worse after such a "repair", damaged text much
    better, so the gain separates them even where the word share alone stays high.
    Only cells that are not already near-perfect are tried (it costs two more passes)."""
    if share >= 0.97:
        return 0.0
    repaired = []
    if "ำ" in text:
        repaired.append(text.replace("ำ", "า"))
    if _TONE_AFTER.search(text):
        repaired.append(_TONE_AFTER.sub(r"\2\1", text))
    best = max((thai.thai_word_share(r) for r in repaired), default=share)
    return round(max(0.0, best - share), 4)


def _unknown_words_sample(text: str) -> str:
    """The first stretch of Thai the dictionary does not know ("กำร"), for messages."""
    for run in re.findall(f"[{thai.THAI_LETTER}]+", text):
        if len(run) >= 3 and thai.thai_word_share(run) < 0.5:
            return run[:30]
    return ""


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
