"""Ground-truth records for real LAOs: what a perfect reader would extract.

``make_record`` draws a whole report (agency, year, round, 5–20 measures, reporter)
deterministically from ``rng``. The record is both the truth and the source the
renderers write from, so a file never says anything its record does not.

Keys of ``SubmissionRecord.evidence["synth"]`` (the document's wording, set here,
changed by ``defects``, read by ``render``):

- ``seed``: int, drives the renderers' cosmetic choices (column titles, layout details)
- ``title``: title lines; ``agency_lines``: the agency name/district/province lines
- ``intro``: paragraphs between title and table; ``signature``: the signature block lines
- ``grouped``: measures sit under ด้าน IIT/EIT/OIT headings (their ``category`` is shown)
- ``enum``: how the measure titles are numbered in the table (``"1. "`` style or none)
- ``header_rows``: measure indexes before which a header row is repeated *as data*
- ``digits``: ``"thai" | "arabic" | "mixed"``, how the author wrote numbers
- ``corrupt``: ``"empty" | "truncate" | "garbage"``: spoil the file's bytes after rendering
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta

from itaflow import registry as registry_
from itaflow.models import Agency, Measure, Reporter, SubmissionRecord
from itaflow.registry import Lao, full_name
from itaflow.synth import vocab
from itaflow.synth.periods import (
    draw_period,
    months_between,
    period_text,
    round_bounds,
    round_phrase,
    thai_date,
    thai_digits,
    thai_month,
)

TEXT_FIELDS = ("measure", "steps", "period_text", "result", "outcome")


def registry() -> list[Lao]:
    """Every LAO of the packaged registry, in a stable order."""
    return registry_.expected_laos()


def province_rows(province_th: str) -> list[Lao]:
    return registry_.expected_laos(province_th)


def _type_group(type_th: str) -> str:
    return "อบต." if type_th == "อบต." else "อบจ." if type_th == "อบจ." else "เทศบาล"


def _district_phrase(district: str, rng: random.Random) -> str:
    return ("อ." if rng.random() < 0.1 else "อำเภอ") + district


def _province_phrase(province: str, rng: random.Random) -> str:
    return ("จ." if rng.random() < 0.1 else "จังหวัด") + province


def agency_lines(row: Lao, rng: random.Random) -> list[str]:
    name = full_name(row)
    prov = _province_phrase(row.province_th, rng)
    if row.type_th == "อบจ." and rng.random() < 0.5:
        return [name]
    dist = _district_phrase(row.district_th, rng)
    shape = rng.randrange(3)
    if shape == 0:
        return [name, f"{dist} {prov}"]
    if shape == 1:
        return [f"{name} {dist} {prov}"]
    return [name, dist, prov]


def _person(rng: random.Random) -> str:
    from pythainlp.corpus import thai_family_names, thai_female_names, thai_male_names

    if rng.random() < 0.5:
        title, first = "นาย", rng.choice(sorted(thai_male_names()))
    else:
        title, first = rng.choice(["นาง", "นางสาว"]), rng.choice(sorted(thai_female_names()))
    return f"{title}{first} {rng.choice(sorted(thai_family_names()))}"


def _reporter(row: Lao, rng: random.Random) -> tuple[Reporter, list[str]]:
    """The reporter and the signature block that names them (empty when unsigned)."""
    if rng.random() < 0.1:
        return Reporter(), []
    group = _type_group(row.type_th)
    position = rng.choice(vocab.POSITIONS[group]).format(name=row.name_th)
    if group == "เทศบาล" and position == "ปลัดเทศบาล" and rng.random() < 0.5:
        position = "ปลัด" + full_name(row)
    name = _person(rng)
    shape = rng.randrange(3)
    if shape == 0:
        lines = ["(ลงชื่อ)..........ผู้รายงาน", f"({name})", position]
    elif shape == 1:
        lines = [
            "ลงชื่อ ................................ ผู้รายงาน",
            f"( {name} )",
            f"ตำแหน่ง {position}",
        ]
    else:
        lines = [f"ผู้รายงาน {name}", f"ตำแหน่ง {position}"]
    if rng.random() < 0.3:
        approver = "นายก" + full_name(row).replace("เทศบาล", "เทศมนตรี", 1)
        lines += ["", "(ลงชื่อ)..........ผู้รับรอง", f"({_person(rng)})", approver]
    return Reporter(name=name, position=position), lines


def _status(round_: str, rng: random.Random) -> str:
    done, progress = (0.75, 0.93) if round_ == "FY" else (0.5, 0.9)
    x = rng.random()
    return "done" if x < done else "in_progress" if x < progress else "not_started"


def _items(items: list[str], style: str) -> str:
    """Join a cell's items as the author numbered them, one per line."""
    if len(items) == 1 or style == "none":
        return "\n".join(items)
    if style == "dash":
        return "\n".join(f"- {t}" for t in items)
    if style == "paren":
        return "\n".join(f"{i}) {t}" for i, t in enumerate(items, 1))
    return "\n".join(f"{i}. {t}" for i, t in enumerate(items, 1))


def _responsible(topic: vocab.Topic, rng: random.Random) -> list[str]:
    pool = list(topic.units)
    units = rng.sample(pool, rng.randint(1, len(pool)))
    if rng.random() < 0.2:
        extra = [u for u in vocab.UNITS_COMMON if u not in units]
        units.append(rng.choice(extra))
    return units


def _measure(
    seq: int,
    topic: vocab.Topic,
    fiscal_year: int,
    round_: str,
    grouped: bool,
    ctx: dict[str, str],
    list_style: str,
    rng: random.Random,
) -> Measure:
    first, last = round_bounds(fiscal_year, round_)
    start, end = draw_period(fiscal_year, round_, rng)
    # the words: title, steps, result (implying the status), outcome
    title = rng.choice(topic.titles)
    steps = rng.sample(list(topic.steps), rng.randint(2, len(topic.steps)))
    steps.sort(key=topic.steps.index)
    indicator, finding = None, ""
    if rng.random() < 0.5:
        if grouped and topic.o_codes and rng.random() < 0.7:
            indicator = rng.choice(topic.o_codes)
            title = rng.choice([f"{indicator} {title}", f"{title} ({indicator})"])
        else:
            indicator = rng.choice(topic.indicator_numbers)
            finding = f"จากผลการประเมิน ITA ตัวชี้วัดที่ {indicator} พบประเด็นที่ต้องปรับปรุง\n"
    status = _status(round_, rng)
    day = start + timedelta(days=rng.randrange(max(1, (min(end, last) - start).days + 1)))
    month = rng.choice(months_between(max(start, first), last))
    slots = {**ctx, "date": thai_date(day), "month": thai_month(month)}
    if status == "done":
        result = rng.sample(list(topic.done), rng.randint(1, 2))
    elif status == "in_progress":
        result = ([topic.done[1]] if rng.random() < 0.4 else []) + [topic.in_progress]
    else:
        result = [topic.not_started]
    outcome = rng.sample(list(topic.outcomes), rng.randint(1, 2))
    m = Measure(
        seq=seq,
        category=topic.category if grouped else None,
        indicator=indicator,
        measure=title,
        steps=finding + _items(steps, list_style),
        responsible=_responsible(topic, rng),
        period_text=period_text(start, end, fiscal_year, round_, rng),
        period_start=start,
        period_end=end,
        result=_items([r.format(**slots) for r in result], list_style),
        outcome=_items(outcome, list_style),
        status=status,  # type: ignore[arg-type]
    )
    return m


def apply_digits(record: SubmissionRecord, style: str, rng: random.Random) -> None:
    """Write the record's digits Thai (๑๒๓), Arabic, or mixed per field, as authors do."""

    def conv(text: str) -> str:
        thai = style == "thai" or (style == "mixed" and rng.random() < 0.5)
        return thai_digits(text) if thai else text

    syn = record.evidence["synth"]
    for key in ("title", "intro", "signature"):
        syn[key] = [conv(t) for t in syn[key]]
    for m in record.measures:
        for f in TEXT_FIELDS:
            setattr(m, f, conv(getattr(m, f)))
    record.title = "\n".join(syn["title"])


def make_record(
    lao_row: Lao, fiscal_year: int, round_: str, rng: random.Random
) -> SubmissionRecord:
    """A whole report of ``lao_row`` for ``fiscal_year`` (BE) and ``round_`` (H1/FY)."""
    name = full_name(lao_row)
    grouped = rng.random() < 0.55
    ctx = {
        "agency": name,
        "short": vocab.SHORT_TYPE[lao_row.type_th],
        "fy": str(fiscal_year),
        "prev": str(fiscal_year - 1),
    }
    n = rng.randint(5, 20)
    topics = rng.sample(vocab.TOPICS, n)
    if grouped:
        topics.sort(key=lambda t: ("IIT", "EIT", "OIT").index(t.category))
    list_style = rng.choice(["num", "num", "paren", "dash", "none"])
    measures = [
        _measure(i, t, fiscal_year, round_, grouped, ctx, list_style, rng)
        for i, t in enumerate(topics, 1)
    ]
    reporter, signature = _reporter(lao_row, rng)
    title_line = rng.choice(vocab.REPORT_TITLES)
    year_line = (
        f"ประจำปีงบประมาณ พ.ศ. {fiscal_year} {round_phrase(fiscal_year, round_, rng)}".strip()
    )
    title = [title_line, year_line] if rng.random() < 0.7 else [f"{title_line} {year_line}"]
    intro = [rng.choice(vocab.INTRO_LINES).format(**ctx)] if rng.random() < 0.6 else []
    record = SubmissionRecord(
        file="",
        sha256="",
        format="unknown",
        agency=Agency(
            lao_code=lao_row.lao_code,
            name=name,
            type_th=lao_row.type_th,
            district=lao_row.district_th,
            province=lao_row.province_th,
            match_score=1.0,
        ),
        fiscal_year=fiscal_year,
        round=round_,  # type: ignore[arg-type]
        reporter=reporter,
        measures=measures,
        evidence={
            "synth": {
                "seed": rng.randrange(2**31),
                "title": title,
                "agency_lines": agency_lines(lao_row, rng),
                "intro": intro,
                "signature": signature,
                "grouped": grouped,
                "enum": rng.choice(["", "", "1. ", "1.", "(1) "]),
                "header_rows": [],
                "corrupt": None,
            }
        },
    )
    digits = rng.choice(["thai", "thai", "thai", "arabic", "arabic", "mixed"])
    record.evidence["synth"]["digits"] = digits
    apply_digits(record, digits, rng)
    return record


def copy_record(record: SubmissionRecord) -> SubmissionRecord:
    """A deep-enough copy for defects to change without touching the original."""
    syn = {k: (list(v) if isinstance(v, list) else v) for k, v in record.evidence["synth"].items()}
    return replace(
        record,
        agency=replace(record.agency),
        reporter=replace(record.reporter),
        measures=[
            replace(m, responsible=list(m.responsible), raw=dict(m.raw)) for m in record.measures
        ],
        findings=[],
        evidence={**record.evidence, "synth": syn},
    )


def random_round(rng: random.Random) -> tuple[int, str]:
    """A fiscal year and round like those the office receives (2565–2569)."""
    return rng.choice([2565, 2566, 2567, 2568, 2569]), rng.choice(["H1", "FY"])


__all__ = [
    "apply_digits",
    "copy_record",
    "full_name",
    "make_record",
    "province_rows",
    "random_round",
    "registry",
]
