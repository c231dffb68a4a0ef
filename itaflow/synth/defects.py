"""Plant the faults real submissions have, each with the findings it must produce.

``plant(record, defect, rng)`` returns a changed copy of the record and a ``Truth``:
which check ids must fire, on which measure and field, and which others may fire as
a side effect without counting as false alarms (a swapped period cell also makes the
period unparseable). Names of defects are not check ids: ``h1_past_march`` is found
by ``round_inconsistent`` (or ``period_outside_fiscal_year``).

Over 400 lines on purpose: one short planter per defect, kept in one catalogue
(``DEFECTS``) so that the list of faults the benchmark plants reads as one table.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import date

from rapidfuzz import fuzz, process

from itaflow.models import Agency, Measure, Reporter, SubmissionRecord
from itaflow.registry import LONG_FORM, Lao, get
from itaflow.synth import vocab
from itaflow.synth.periods import MONTHS, period_text, round_bounds, thai_digits
from itaflow.synth.records import copy_record, full_name, province_rows, registry


@dataclass(frozen=True)
class Expected:
    """A finding that must appear; any of ``alternatives`` counts as found too."""

    check: str
    measure_seq: int | None = None
    field: str | None = None
    alternatives: tuple[str, ...] = ()

    @property
    def checks(self) -> tuple[str, ...]:
        return (self.check, *self.alternatives)


@dataclass
class Truth:
    defect: str
    expected: list[Expected]
    allowed: tuple[str, ...] = ()  # may also fire without being a false alarm
    note: str = ""

    @property
    def acceptable(self) -> set[str]:
        return {c for e in self.expected for c in e.checks} | set(self.allowed)

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Defect:
    name: str
    plant: Callable[[SubmissionRecord, random.Random], tuple[SubmissionRecord, Truth]]
    round: str | None = None  # the round the clean record must have
    layouts_excluded: tuple[str, ...] = ()
    cp874_safe: bool = True  # False: needs a Unicode encoding (not cp874)
    min_measures: int = 1
    extra: dict = field(default_factory=dict)


def _pick(record: SubmissionRecord, rng: random.Random, start: int = 0) -> Measure:
    return rng.choice(record.measures[start:])


def _same_digits(record: SubmissionRecord, text: str) -> str:
    return thai_digits(text) if record.evidence["synth"].get("digits") == "thai" else text


def _own_row(record: SubmissionRecord) -> Lao:
    row = get(record.agency.lao_code or "")
    if row is None:
        raise ValueError("defects are planted in records of registry LAOs")
    return row


# --- text copied from elsewhere ------------------------------------------------------


def foreign_agency(record, rng):
    rec = copy_record(record)
    own = _own_row(rec)
    # a peer LAO, not the อบจ. (naming the provincial organisation as a partner is normal)
    others = [
        r
        for r in province_rows(own.province_th)
        if r.name_th != own.name_th and r.type_th != "อบจ."
    ]
    other = full_name(rng.choice(others))
    m = _pick(rec, rng)
    template = rng.choice(
        [
            "{o}ได้ดำเนินการตามมาตรการดังกล่าวครบถ้วนแล้ว",
            "ประชาสัมพันธ์ผ่านเว็บไซต์ของ{o}",
            "กรณีร้องเรียนด้วยตนเองโดยตรงที่{o}",
        ]
    )
    m.result = f"{m.result}\n{template.format(o=other)}"
    return rec, Truth(
        "foreign_agency",
        [Expected("foreign_agency_mentioned", m.seq, "result")],
        note=f"{other} named in measure {m.seq}'s result",
    )


def duplicate_result(record, rng):
    rec = copy_record(record)
    j = rng.randrange(len(rec.measures) - 1)
    src, m = rec.measures[j], rng.choice(rec.measures[j + 1 :])
    fld = rng.choice(["result", "outcome"])
    setattr(m, fld, getattr(src, fld))
    if fld == "result":
        m.status = src.status
    return rec, Truth(
        "duplicate_result",
        [Expected("duplicate_text", m.seq, fld)],
        note=f"measure {m.seq}'s {fld} copied from measure {src.seq}",
    )


# --- table structure -----------------------------------------------------------------


def column_shift(record, rng):
    rec = copy_record(record)
    m = _pick(rec, rng)
    units = " / ".join(m.responsible)
    m.responsible, m.period_text = [m.period_text], units
    m.period_start = m.period_end = None
    return rec, Truth(
        "column_shift",
        [Expected("column_shift", m.seq, "responsible")],
        allowed=("period_unparseable", "missing_field"),
        note=f"measure {m.seq}: responsible and period cells swapped",
    )


def header_row_as_data(record, rng):
    """A header row between two measures of one group, so it sits inside a table,
    never right under the table's own header (that would read as a two-line header)."""
    rec = copy_record(record)
    ms = rec.measures
    k = rng.choice([i for i in range(1, len(ms)) if ms[i].category == ms[i - 1].category] or [1])
    rec.evidence["synth"]["header_rows"] = [k]
    return rec, Truth(
        "header_row_as_data",
        [Expected("header_row_as_data", k + 1)],
        allowed=("period_unparseable", "missing_field", "column_shift", "duplicate_text"),
        note=f"the header row repeated as a data row before measure {k + 1}",
    )


# --- unfilled template text ------------------------------------------------------------


def placeholder(record, rng):
    rec = copy_record(record)
    if rng.random() < 0.6 or not rec.evidence["synth"]["signature"]:
        m = _pick(rec, rng)
        month = MONTHS[(m.period_end or date(2025, 3, 1)).month - 1]
        year = _same_digits(rec, str((m.period_end or date(2025, 3, 1)).year + 543))
        blank = rng.choice(
            [
                f"ดำเนินการเมื่อวันที่ เดือน {month} {year}",
                "เมื่อวันที่ ............ เดือน .................... พ.ศ. ..........",
                f"ลงวันที่ ...... {month} {year}",
            ]
        )
        m.result = f"{m.result}\n{blank}"
        return rec, Truth(
            "placeholder",
            [Expected("placeholder_text", m.seq, "result")],
            note=f"blank date in measure {m.seq}",
        )
    rec.evidence["synth"]["signature"] = [
        "(ลงชื่อ)........................................ผู้รายงาน",
        "(........................................)",
        "ตำแหน่ง........................................",
    ]
    rec.reporter = Reporter()
    return rec, Truth(
        "placeholder",
        [Expected("placeholder_text", None, "reporter")],
        allowed=("missing_field",),
        note="unfilled signature block",
    )


# --- years, rounds, periods ------------------------------------------------------------


def _replace_year(text: str, old: int, new: int) -> str:
    for a, b in ((str(old), str(new)), (thai_digits(str(old)), thai_digits(str(new)))):
        text = text.replace(f"พ.ศ. {a}", f"พ.ศ. {b}")
    return text


def wrong_title_year(record, rng):
    rec = copy_record(record)
    new = rec.fiscal_year + rng.choice([-1, 1, -2])
    syn = rec.evidence["synth"]
    syn["title"] = [_replace_year(t, rec.fiscal_year, new) for t in syn["title"]]
    rec.title = "\n".join(syn["title"])
    return rec, Truth(
        "wrong_title_year",
        [Expected("fiscal_year_inconsistent")],
        allowed=("period_outside_fiscal_year", "round_inconsistent"),
        note=f"title says พ.ศ. {new}, periods are in {rec.fiscal_year}",
    )


def h1_past_march(record, rng):
    rec = copy_record(record)
    m = _pick(rec, rng)
    first, _ = round_bounds(rec.fiscal_year, "H1")
    end = date(first.year + 1, rng.choice([6, 7, 8, 9]), 30)
    if end.month in (7, 8):
        end = end.replace(day=31)
    m.period_start, m.period_end = first, end
    m.period_text = _same_digits(rec, period_text(first, end, rec.fiscal_year, "FY", rng))
    return rec, Truth(
        "h1_past_march",
        [Expected("round_inconsistent", m.seq, "period", ("period_outside_fiscal_year",))],
        allowed=("period_outside_fiscal_year", "round_inconsistent"),
        note=f"6-month report, measure {m.seq} runs to {end.isoformat()}",
    )


def period_other_year(record, rng):
    rec = copy_record(record)
    m = _pick(rec, rng)
    fy = rec.fiscal_year + rng.choice([-2, -1, 1])
    start, end = round_bounds(fy, "FY")
    m.period_start, m.period_end = start, end
    m.period_text = _same_digits(
        rec, rng.choice([f"1 ตุลาคม {fy - 1} ถึง 30 กันยายน {fy}", f"ตุลาคม {fy - 1} - กันยายน {fy}"])
    )
    return rec, Truth(
        "period_other_year",
        [Expected("period_outside_fiscal_year", m.seq, "period")],
        allowed=("fiscal_year_inconsistent", "round_inconsistent"),
        note=f"measure {m.seq}'s period is fiscal year {fy}",
    )


def period_unparseable(record, rng):
    rec = copy_record(record)
    m = _pick(rec, rng)
    m.period_text = rng.choice(vocab.UNPARSEABLE_PERIODS)
    m.period_start = m.period_end = None
    return rec, Truth(
        "period_unparseable",
        [Expected("period_unparseable", m.seq, "period")],
        allowed=("missing_field",),
        note=f"measure {m.seq}: period '{m.period_text}'",
    )


# --- the agency --------------------------------------------------------------------------


def district_mismatch(record, rng):
    rec = copy_record(record)
    own = _own_row(rec)
    here = {r.district_th for r in province_rows(own.province_th)}
    elsewhere = sorted({r.district_th for r in registry()} - here)
    wrong = rng.choice(elsewhere)
    syn = rec.evidence["synth"]
    lines = [re.sub(r"(อำเภอ|อ\.)\S+", rf"\g<1>{wrong}", t) for t in syn["agency_lines"]]
    if lines == syn["agency_lines"]:  # the document stated no district: add one
        lines = [*lines, f"อำเภอ{wrong} จังหวัด{own.province_th}"]
    syn["agency_lines"] = lines
    rec.agency = replace(rec.agency, district=wrong)
    # same type and name twice in the province: only the district told them apart
    twins = [
        r
        for r in province_rows(own.province_th)
        if (r.type_th, r.name_th) == (own.type_th, own.name_th)
    ]
    return rec, Truth(
        "district_mismatch",
        [Expected("district_province_mismatch")],
        allowed=("agency_unknown",) if len(twins) > 1 else (),
        note=f"district {wrong} is not in {own.province_th}",
    )


_FAKE_PARTS = (
    "สุข",
    "สันต์",
    "วัฒนา",
    "ทอง",
    "คำ",
    "ศรี",
    "เจริญ",
    "พัฒน์",
    "ไพร",
    "รุ่ง",
    "อรุณ",
    "นิรันดร์",
    "มณี",
    "ธารา",
)


def _fake_name(province: str, rng: random.Random) -> str:
    names = [r.name_th for r in registry()]
    local = [r.name_th for r in province_rows(province)]
    while True:
        name = "".join(rng.sample(_FAKE_PARTS, 3))
        if name in names:
            continue
        best = process.extractOne(name, local, scorer=fuzz.ratio)
        if best is None or best[1] < 60:
            return name


def _rename(
    rec: SubmissionRecord, old_full: str, old_bare: str, new_full: str, new_bare: str
) -> None:
    """Replace the agency's own name everywhere the document says it, but not in
    the district or province names it may share ("อำเภอตาพระยา")."""
    bare = re.compile(rf"(?<!อำเภอ)(?<!อ\.)(?<!เมือง)(?<!จังหวัด)(?<!จ\.){re.escape(old_bare)}")

    def sub(t: str) -> str:
        return bare.sub(new_bare, t.replace(old_full, new_full))

    syn = rec.evidence["synth"]
    for key in ("title", "agency_lines", "intro", "signature"):
        syn[key] = [sub(t) for t in syn[key]]
    for m in rec.measures:
        m.measure, m.steps, m.result, m.outcome = (
            sub(m.measure),
            sub(m.steps),
            sub(m.result),
            sub(m.outcome),
        )
    if rec.reporter.position:
        rec.reporter = replace(rec.reporter, position=sub(rec.reporter.position))


def agency_unknown(record, rng):
    rec = copy_record(record)
    own = _own_row(rec)
    fake = _fake_name(own.province_th, rng)
    long = LONG_FORM[own.type_th]
    _rename(rec, full_name(own), own.name_th, long + fake, fake)
    rec.agency = Agency(None, long + fake, own.type_th, rec.agency.district, own.province_th, 0.0)
    return rec, Truth(
        "agency_unknown", [Expected("agency_unknown")], note=f"{long + fake} is not in the registry"
    )


def agency_name_inconsistent(record, rng):
    rec = copy_record(record)
    own = _own_row(rec)
    local = {(r.type_th, r.name_th) for r in province_rows(own.province_th)}
    types = [t for t in ("อบต.", "เทศบาลตำบล", "เทศบาลเมือง") if t != own.type_th]
    absent = [t for t in types if (t, own.name_th) not in local] or types
    other = LONG_FORM[rng.choice(absent)] + own.name_th
    syn = rec.evidence["synth"]
    syn["intro"] = [
        f"{other} ได้ดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน จึงขอรายงานผลการดำเนินการ ดังนี้"
    ]
    return rec, Truth(
        "agency_name_inconsistent",
        [Expected("agency_name_inconsistent")],
        allowed=("foreign_agency_mentioned",),
        note=f"calls itself {full_name(own)} and {other}",
    )


# --- the wrong kind of document, or none -------------------------------------------------


def measures_plan(record, rng):
    rec = copy_record(record)
    syn = rec.evidence["synth"]
    syn["title"] = [
        rng.choice(vocab.PLAN_TITLES),
        _same_digits(rec, f"ประจำปีงบประมาณ พ.ศ. {rec.fiscal_year}"),
    ]
    syn["intro"] = []
    rec.title = "\n".join(syn["title"])
    for m in rec.measures:
        m.result, m.outcome, m.status = "", "", "unknown"
    return rec, Truth(
        "measures_plan",
        [Expected("not_an_implementation_report")],
        allowed=("missing_field", "round_inconsistent"),
        note="a measures plan: no results",
    )


def unreadable(record, rng):
    rec = copy_record(record)
    how = rng.choice(["empty", "truncate", "garbage"])
    rec.evidence["synth"]["corrupt"] = how
    return rec, Truth(
        "unreadable", [Expected("unreadable_file")], allowed=("no_measures_found",), note=how
    )


def no_table(record, rng):
    rec = copy_record(record)
    rec.measures = []
    rec.evidence["synth"]["intro"] = [
        *rec.evidence["synth"]["intro"],
        "รายละเอียดการดำเนินการตามมาตรการปรากฏตามเอกสารแนบท้ายนี้",
    ]
    return rec, Truth(
        "no_table",
        [Expected("no_measures_found")],
        allowed=("not_an_implementation_report", "missing_field"),
        note="cover letter without the table",
    )


# --- broken text ----------------------------------------------------------------------

_TONES = "\u0e48\u0e49\u0e4a\u0e4b"
_PUA = {
    "\u0e48": "\uf70a",
    "\u0e49": "\uf70b",
    "\u0e4a": "\uf70c",
    "\u0e4b": "\uf70d",
    "\u0e4c": "\uf70e",
}


def garble(text: str, how: str, rng: random.Random) -> str:
    """Break Thai the ways PDF extraction and old fonts do."""
    if how == "am":  # the glyph for า read as ำ (กำร for การ)
        return text.replace("า", "ำ")
    if how == "tone":  # tone marks after the next letter (ขัน้ for ขั้น)
        return re.sub(f"([{_TONES}])(\\S)", r"\2\1", text)
    if how == "pua":  # legacy fonts' private-use glyphs for tone marks
        return "".join(_PUA.get(c, c) for c in text)
    return "".join(
        "\ufffd" if "\u0e00" <= c <= "\u0e7f" and rng.random() < 0.12 else c for c in text
    )


def garbled(record, rng):
    rec = copy_record(record)
    m = _pick(rec, rng)
    how = rng.choice(["am", "tone", "pua", "fffd"])
    fld = rng.choice(["result", "steps"])
    setattr(m, fld, garble(getattr(m, fld), how, rng))
    return rec, Truth(
        "garbled",
        [Expected("garbled_text", m.seq, fld)],
        note=f"measure {m.seq}'s {fld} garbled ({how})",
    )


_FOREIGN = (
    "ការអនុវត្តវិធានការ",  # Khmer
    "ການປະຕິບັດມາດຕະການ",  # Lao
    "实施措施已完成",  # Chinese
    "조치 이행 완료",  # Korean
)


def foreign_script(record, rng):
    rec = copy_record(record)
    m = _pick(rec, rng)
    run = rng.choice(_FOREIGN)
    words = m.result.split(" ")
    words.insert(rng.randrange(len(words) + 1), run)
    m.result = " ".join(words)
    return rec, Truth(
        "foreign_script",
        [Expected("foreign_script", m.seq, "result")],
        allowed=("garbled_text",),
        note=f"'{run}' in measure {m.seq}'s result",
    )


def missing_field(record, rng):
    rec = copy_record(record)
    m = _pick(rec, rng)
    fld = rng.choice(["steps", "responsible", "period", "result", "outcome"])
    if fld == "responsible":
        m.responsible = []
    elif fld == "period":
        m.period_text, m.period_start, m.period_end = "", None, None
    else:
        setattr(m, fld, "")
        if fld == "result":
            m.status = "unknown"
    return rec, Truth(
        "missing_field",
        [Expected("missing_field", m.seq, fld)],
        note=f"measure {m.seq}: {fld} left empty",
    )


DEFECTS: dict[str, Defect] = {
    d.name: d
    for d in (
        Defect("foreign_agency", foreign_agency),
        Defect("duplicate_result", duplicate_result, min_measures=2),
        Defect("column_shift", column_shift),
        Defect(
            "header_row_as_data",
            header_row_as_data,
            layouts_excluded=(
                "tsv_repeat",
                "md_groups",
                "tsv_p",
                "docx_tables",
            ),  # a table per measure or pair
            min_measures=2,
        ),
        Defect("placeholder", placeholder),
        Defect("wrong_title_year", wrong_title_year),
        Defect("h1_past_march", h1_past_march, round="H1"),
        Defect("period_other_year", period_other_year),
        Defect("period_unparseable", period_unparseable),
        Defect("district_mismatch", district_mismatch),
        Defect("agency_unknown", agency_unknown),
        Defect("agency_name_inconsistent", agency_name_inconsistent),
        Defect("measures_plan", measures_plan),
        Defect("unreadable", unreadable),
        Defect("no_table", no_table),
        Defect("garbled", garbled, cp874_safe=False),
        Defect("foreign_script", foreign_script, cp874_safe=False),
        Defect("missing_field", missing_field),
    )
}


def plant(
    record: SubmissionRecord, defect: str, rng: random.Random
) -> tuple[SubmissionRecord, Truth]:
    """A copy of ``record`` with ``defect`` planted, and the findings it must produce."""
    spec = DEFECTS[defect]
    if spec.round and record.round != spec.round:
        raise ValueError(f"{defect} needs a {spec.round} record")
    if len(record.measures) < spec.min_measures:
        raise ValueError(f"{defect} needs at least {spec.min_measures} measures")
    return spec.plant(record, rng)


__all__ = ["DEFECTS", "Defect", "Expected", "Truth", "garble", "plant"]
