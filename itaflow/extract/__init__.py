"""Document → SubmissionRecord: read a report the way a careful officer would.

Works on the blocks every reader produces (text lines and tables), so txt, md,
html, docx, xlsx and pdf documents give the same record. Extraction is faithful:
it reports what the document says (a swapped cell stays swapped, a misspelt
agency name is kept as written) and leaves judging to ``itaflow.checks``; what
checks need beyond the record's fields goes into ``record.evidence``:

``title_years``          BE years written in the title lines (list of int).
``text_years``           BE years in the whole text: {"2566": count}.
``round_text``           the words the round was read from ("รอบ 6 เดือน"), or "".
``title_period``         [start, end] ISO dates of a period written in the title, or None.
``fiscal_year_source``   "title" | "periods" (inferred from measure periods) | None.
``stated_district``      อำเภอ as written near the agency name, or None.
``stated_province``      จังหวัด as written, or None.
``agency_names``         every distinct way the document writes its own agency
                         (type + name as written, e.g. both หนองหัวแรต and หนองหัวแรด).
``agency_name_variants`` the distinct bare names among ``agency_names`` (type word and
                         wrapping spaces removed): more than one means the document
                         spells its own name in conflicting ways.
``non_lao_agency``       the organisation named when it is not an LAO (โรงพยาบาลน้ำยืน).
``other_lao_mentions``   LAOs named that are not the author: list of {text, lao_code,
                         lao_codes, measure_seq, field}; ``measure_seq``/``field`` are
                         None/"text" for lines outside the measure tables.
``header_row_like``      seqs of measures whose cells read like column titles.
``repeated_header_rows`` seqs of measures that follow a header row repeated in the
                         middle of a table (the header row itself was dropped).
``placeholder_hits``     unfilled template text: list of {measure_seq, field, text}
                         (measure_seq None for the signature and other lines).
``period_source``        {seq: "column" | "monitoring" | "steps"}: where period_text came
                         from when the table has no period column.
``column_fields``        fields of the measure-table columns found (sorted).
``measure_tables``       how many measure-table headers were found.
``doc_kind``             plan-vs-report signals: {result_column, results_filled,
                         report_title, plan_title, ita_analysis_words, non_lao_orgs}.
"""

from __future__ import annotations

import re
from collections import Counter

from rapidfuzz import fuzz

from itaflow import registry
from itaflow.extract.cells import placeholders
from itaflow.extract.heading import read_heading
from itaflow.extract.layout import Layout, layout
from itaflow.extract.measures import build, group_rows
from itaflow.extract.signature import read_reporter
from itaflow.models import Document, Measure, SubmissionRecord
from itaflow.periods import fiscal_year_of, years_in
from itaflow.thai import normalize, one_line

__all__ = ["extract"]

_MENTION_FIELDS = ("measure", "steps", "responsible", "result", "outcome")
_ITA_WORDS = re.compile(r"ผลการประเมิน|ข้อค้นพบ|วิเคราะห์ผล|คะแนน|ITA")
_NON_LAO = re.compile(r"โรงพยาบาล\S*|สำนักงานสาธารณสุข\S*|โรงเรียน\S*")


def extract(
    doc: Document, *, file: str, sha256: str, size: int = 0, province: str | None = None
) -> SubmissionRecord:
    """One Document to one unchecked SubmissionRecord; never raises on content.

    ``province``: the office's province (``Settings.province``), used only when
    the document names no province, to choose among same-name LAOs.
    """
    record = SubmissionRecord(
        file=file,
        sha256=sha256,
        format=doc.format,
        size=size,
        readable=doc.readable,
        findings=list(doc.problems),
    )
    if not doc.readable:
        return record
    lay = layout(doc)
    head = read_heading(lay.lines, lay.first_table_order, province)
    record.title = head.title
    record.agency = head.agency
    record.fiscal_year = head.fiscal_year
    record.round = head.round  # type: ignore[assignment]
    record.text = _full_text(doc, soft_breaks=doc.format == "pdf")
    ev = record.evidence
    ev.update(head.evidence)
    ev["fiscal_year_source"] = "title" if head.fiscal_year else None

    groups = group_rows(lay.rows)
    soft = doc.format == "pdf"
    built = [build(g, i, head.fiscal_year, soft) for i, g in enumerate(groups, 1)]
    if record.fiscal_year is None and built:
        fy = _fiscal_year_from([b.measure for b in built])
        if fy:
            record.fiscal_year = fy
            ev["fiscal_year_source"] = "periods"
            built = [build(g, i, fy, soft) for i, g in enumerate(groups, 1)]
    record.measures = [b.measure for b in built]
    ev["period_source"] = {
        str(b.measure.seq): b.period_source
        for b in built
        if b.period_source not in (None, "column")
    }
    ev["header_row_like"] = [b.measure.seq for b in built if b.header_like]
    ev["repeated_header_rows"] = [b.measure.seq for b in built if b.after_repeated_header]
    ev["column_fields"] = sorted({f for h in lay.headers for f in h.fields if f})
    ev["measure_tables"] = len(lay.headers)

    after = [ln.text for ln in lay.lines if not lay.rows or ln.order > lay.rows[-1].order]
    record.reporter = (
        read_reporter(after) if after else read_reporter([ln.text for ln in lay.lines])
    )
    if record.reporter.name is None and after:
        record.reporter = read_reporter([ln.text for ln in lay.lines])

    ev["text_years"] = {str(y): n for y, n in sorted(Counter(years_in(record.text)).items())}
    ev["other_lao_mentions"] = _other_mentions(record, lay)
    ev["placeholder_hits"] = _placeholder_hits(record.measures, lay)
    ev["doc_kind"] = _doc_kind(record, lay)
    return record


def _full_text(doc: Document, soft_breaks: bool) -> str:
    """Normalised text, table cells kept apart by " | " so words never join across cells."""
    parts: list[str] = []
    for b in doc.blocks:
        if b.kind == "text":
            parts.append(normalize(b.text))
        else:
            for row in b.rows:
                cells = (c.strip().replace("\n", " ") if soft_breaks else c.strip() for c in row)
                parts.append(" | ".join(one_line(c) for c in cells))
    return "\n".join(p for p in parts if p)


def _fiscal_year_from(measures: list[Measure]) -> int | None:
    years = Counter(fiscal_year_of(m.period_end) for m in measures if m.period_end)
    return years.most_common(1)[0][0] if years else None


def _is_own(mention: registry.Mention, record: SubmissionRecord) -> bool:
    agency = record.agency
    if agency.lao_code:
        row = registry.get(agency.lao_code)
        return (
            bool(row)
            and mention.type_th == row.type_th
            and fuzz.ratio(mention.name, row.name_th) >= 85
        )  # type: ignore[union-attr]
    written = record.evidence.get("agency_names", [])
    return any(fuzz.ratio(mention.text, w) >= 90 for w in written)


def _code_of(mention: registry.Mention, province: str | None) -> str | None:
    if len(mention.lao_codes) == 1:
        return mention.lao_codes[0]
    local = [c for c in mention.lao_codes if (r := registry.get(c)) and r.province_th == province]
    return local[0] if len(local) == 1 else None


def _other_mentions(record: SubmissionRecord, lay: Layout) -> list[dict]:
    """LAOs named anywhere that are not the author; own-name variants join agency_names."""
    sources: list[tuple[int | None, str, str]] = [
        (m.seq, f, getattr(m, f) if f != "responsible" else " ".join(m.responsible))
        for m in record.measures
        for f in _MENTION_FIELDS
    ]
    sources += [(None, "text", one_line(ln.text)) for ln in lay.lines]
    names = set(record.evidence.get("agency_names", []))
    out: list[dict] = []
    for seq, field, text in sources:
        for mention in registry.find_lao_mentions(text):
            if _is_own(mention, record):
                names.add(mention.text)
                continue
            out.append(
                {
                    "text": mention.text,
                    "lao_code": _code_of(mention, record.agency.province),
                    "lao_codes": list(mention.lao_codes),
                    "measure_seq": seq,
                    "field": field,
                }
            )
    record.evidence["agency_names"] = sorted(names)
    record.evidence["agency_name_variants"] = sorted(
        {registry.split_type(n)[1].replace(" ", "") for n in names}
    )
    return out


def _placeholder_hits(measures: list[Measure], lay: Layout) -> list[dict]:
    hits = [
        {"measure_seq": m.seq, "field": f, "text": hit}
        for m in measures
        for f in ("measure", "steps", "period_text", "result", "outcome")
        for hit in placeholders(getattr(m, f))
    ]
    hits += [
        {"measure_seq": None, "field": "text", "text": hit}
        for ln in lay.lines
        for hit in placeholders(ln.text)
    ]
    return hits


def _doc_kind(record: SubmissionRecord, lay: Layout) -> dict:
    """Signals that tell a results report from a plan, an ITA analysis or another body's report."""
    title = record.title
    head_text = " ".join([title, *(one_line(ln.text) for ln in lay.lines[:15])])
    return {
        "result_column": any(h.has("result") for h in lay.headers),
        "results_filled": sum(1 for m in record.measures if m.result),
        "report_title": "รายงาน" in title,
        "plan_title": "แผน" in title or ("มาตรการ" in title and "รายงาน" not in title),
        "ita_analysis_words": len(_ITA_WORDS.findall(record.text)),
        "non_lao_orgs": sorted(set(_NON_LAO.findall(head_text))),
    }
