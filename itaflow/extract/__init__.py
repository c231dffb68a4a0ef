"""Document → SubmissionRecord: read a report the way a careful officer would.

Works on the blocks every reader produces (text lines and tables), so txt, md,
html, docx, xlsx and pdf documents give the same record. Extraction is faithful:
it reports what the document says (a swapped cell stays swapped, a misspelt
agency name is kept as written) and leaves judging to ``itaflow.checks``; what
checks need beyond the record's fields goes into ``record.evidence``
(its keys: ``itaflow.evidence.Evidence``). The own-name, other-LAO, placeholder
and document-kind evidence comes from ``itaflow.evidence``, the definitions the
checks judge with.
"""

from __future__ import annotations

from collections import Counter

from itaflow.evidence import agency_mentions, placeholders
from itaflow.evidence.doc_kind import doc_kind
from itaflow.extract.heading import read_heading
from itaflow.extract.layout import layout
from itaflow.extract.measures import build, group_rows
from itaflow.extract.signature import read_reporter
from itaflow.models import MEASURE_TEXT_FIELDS, Document, Measure, SubmissionRecord, field_text
from itaflow.periods import fiscal_year_of
from itaflow.thai import normalize, one_line

__all__ = ["extract"]


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

    groups = group_rows(lay.rows)
    soft = doc.format == "pdf"
    built = [build(g, i, head.fiscal_year, soft) for i, g in enumerate(groups, 1)]
    if record.fiscal_year is None and built:
        fy = _fiscal_year_from([b.measure for b in built])
        if fy:
            record.fiscal_year = fy
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

    _record_evidence(record, [ln.text for ln in lay.lines])
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


def _record_evidence(record: SubmissionRecord, lines: list[str]) -> None:
    """The own-name, other-LAO, placeholder and document-kind evidence, by the
    definitions the checks judge with (``itaflow.evidence``)."""
    ev = record.evidence
    own = agency_mentions.own_name(record)
    variants = agency_mentions.own_name_variants(record, own)
    ev["own_name_variants"] = variants
    ev["agency_name_variants"] = agency_mentions.bare_names(record, variants)
    ev["other_lao_mentions"] = agency_mentions.other_lao_mentions(record, lines)
    ev["placeholder_hits"] = [
        placeholders.PlaceholderHit(measure_seq=m.seq, field=f, text=spot)
        for m in record.measures
        for f in MEASURE_TEXT_FIELDS
        for spot in placeholders.spots(field_text(m, f))
    ] + [
        placeholders.PlaceholderHit(measure_seq=None, field="text", text=spot)
        for spot in placeholders.spots(placeholders.page_text(record), page=True)
    ]
    ev["doc_kind"] = doc_kind(record)
