"""Who reports, for which fiscal year and round: read from the title and heading lines."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from itaflow import registry
from itaflow.evidence.title_years import title_fiscal_years, title_period
from itaflow.extract.cells import category_heading
from itaflow.extract.layout import PAGE_FURNITURE, Line
from itaflow.models import Agency
from itaflow.periods import parse_period
from itaflow.thai import one_line, to_arabic_digits

_TITLE_MAX_LINES = 10
_TITLE_MAX_CHARS = 200
# Lines that start the body text, not the title ("จากการวิเคราะห์...", "ตามที่...",
# a numbered list of the measures).
_BODY_START = re.compile(
    r"^(?:ตามที่|จากการ|ด้วย|เนื่องจาก|ทั้งนี้|โดย|ในการ|อนุสนธิ|[0-9๐-๙]{1,2}\s*[.)]\s*[^0-9๐-๙])|ดังนี้$"
)
_BODY_CHARS = 150

_FY = (
    re.compile(r"ปี\s*งบ\s*ประมาณ\s*(?:พ\s*\.?\s*ศ\s*\.?)?\s*(25\d\d)(?!\d)"),
    re.compile(r"ประจำปี\s*(?:พ\s*\.?\s*ศ\s*\.?)?\s*(25\d\d)(?!\d)"),
    re.compile(r"พ\s*\.\s*ศ\s*\.?\s*(25\d\d)(?!\d)"),
)
_H1 = re.compile(
    r"รอบ\s*(?:ที่\s*1\s*)?\(?\s*6\s*เดือน|6\s*เดือน\s*แรก|ครึ่ง\s*ปี(?:\s*แรก)?|รอบ\s*ที่\s*1(?!\d)|ไตรมาส(?:ที่)?\s*1\s*[-–]\s*2"
)
_FY_ROUND = re.compile(r"รอบ\s*(?:ที่\s*2\s*)?\(?\s*12\s*เดือน|รอบ\s*ที่\s*2(?!\d)|รอบ\s*ปี|ประจำปี")
_TICK = "☑"

_THAI_WORD = r"[ก-๙]+(?:\.[ก-๙]+)*"
# the district's name stops at จังหวัด even when the text layer lost the space before it
_DISTRICT = re.compile(r"(?:อำเภอ|(?<![ก-๙])อ\.)\s*((?:(?!จังหวัด|จ\.)[ก-๙])+(?:\.[ก-๙]+)*)")
_PROVINCE = re.compile(rf"(?:จังหวัด|(?<![ก-๙])จ\.)\s*({_THAI_WORD})")
# Organisations that are not LAOs but send similar reports, most telling first:
# a labelled หน่วยงาน, then a hospital or school, then any office.
_NON_LAO = (
    re.compile(r"(?<=หน่วยงาน)\s*:?\s*([ก-๙][ก-๙.]+)"),
    re.compile(r"(?:โรงพยาบาล(?:ส่งเสริมสุขภาพตำบล)?|โรงเรียน|มหาวิทยาลัย|สถานีตำรวจ)\s?[ก-๙]+"),
    re.compile(r"(?:สำนักงาน|กรม|ศาลากลาง|ที่ว่าการอำเภอ)\s?[ก-๙]+"),
)
# A type word + name not in the registry (so find_lao_mentions misses it).
_LAO_LIKE = re.compile(
    r"(?:องค์การบริหารส่วนตำบล|องค์การบริหารส่วนจังหวัด|เทศบาลตำบล|เทศบาลเมือง|เทศบาลนคร"
    r"|(?<![ก-๙])(?:อบต|อบจ|ทต|ทม|ทน)\.?)\s?([ก-๙]+)"
)
_NAME_STOP = re.compile(r"(?:อำเภอ|จังหวัด|ประจำปี|ปีงบประมาณ|ดังนี้|ได้|ที่|และ)")


@dataclass
class Heading:
    title: str = ""
    agency: Agency = field(default_factory=Agency)
    fiscal_year: int | None = None
    round: str | None = None
    evidence: dict = field(default_factory=dict)


def title_lines(lines: list[Line], first_table_order: int | None) -> list[str]:
    """The lines that open the document, up to the first table or long paragraph."""
    out: list[str] = []
    first_page = lines[0].page if lines else None
    for line in lines:
        if first_table_order is not None and line.order >= first_table_order:
            break
        text = one_line(line.text).strip("* ")
        if len(text) > _BODY_CHARS or len(out) >= _TITLE_MAX_LINES or _BODY_START.search(text):
            break
        if category_heading(text) or PAGE_FURNITURE.match(text) or line.page != first_page:
            break
        out.append(text)
    return out


def fiscal_year_in(text: str) -> int | None:
    t = to_arabic_digits(text)
    for pattern in _FY:
        if m := pattern.search(t):
            return int(m.group(1))
    return None


def round_in(lines: list[str]) -> tuple[str | None, str]:
    """("H1" | "FY" | None, the words that said so). Ticked options win.

    Words first ("รอบ ๖ เดือน"), then a period written in the lines (joined,
    since a PDF may wrap "(ตุลาคม ๒๕๖๕ -" and "มีนาคม ๒๕๖๖)" onto two lines),
    then words for the whole year ("รอบ ๑๒ เดือน", "ประจำปี").
    """
    ticked = [ln.split(_TICK, 1)[1] for ln in lines if _TICK in ln]
    for candidates in (ticked, lines):
        text = to_arabic_digits(" ".join(candidates))
        if m := _H1.search(text):
            return "H1", m.group(0)
        span = parse_period(text, dates_only=True)
        if span and (span[1] - span[0]).days >= 60:
            return ("H1" if span[1].month in (3, 4) else "FY"), text
        if m := _FY_ROUND.search(text):
            return "FY", m.group(0)
    return None, ""


def _own_mentions(
    texts: list[tuple[str, float]],
) -> tuple[list[registry.Mention], list[registry.Mention]]:
    """The mentions naming the author (the most weighted LAO) and all others."""
    mentions = [(m, w) for text, w in texts for m in registry.find_lao_mentions(text)]
    if not mentions:
        return [], []
    weight: Counter[tuple[str, str]] = Counter()
    for m, w in mentions:
        weight[(m.type_th, m.name)] += w
    own_key = weight.most_common(1)[0][0]
    own = [m for m, _ in mentions if (m.type_th, m.name) == own_key]
    others = [m for m, _ in mentions if (m.type_th, m.name) != own_key]
    return own, others


def _place(pattern: re.Pattern[str], lines: list[str]) -> str | None:
    for line in lines:
        if m := pattern.search(line):
            return m.group(1)
    return None


def read_heading(
    lines: list[Line], first_table_order: int | None, province_hint: str | None = None
) -> Heading:
    """Title, agency, fiscal year and round from the document's text lines.

    The author is the LAO named most in the title (weight 3) and other text
    lines (weight 1); the district and province are the first อำเภอ/จังหวัด
    in the title, else in any line naming the author. ``province_hint`` (the
    office's own province) stands in when the document states none, to tell
    apart LAOs of the same name in different provinces.
    """
    head = Heading()
    title = title_lines(lines, first_table_order)
    head.title = "\n".join(title)
    all_text = [one_line(ln.text) for ln in lines]
    title_set = set(title)
    own, _ = _own_mentions([(t, 3.0 if t in title_set else 1.0) for t in all_text])

    # Fiscal year and round: the title first, then any line that reads like one.
    head.fiscal_year = fiscal_year_in(" ".join(title))
    titleish = [
        t for t in all_text if "รายงาน" in t and "ปีงบประมาณ" in t and len(t) <= _TITLE_MAX_CHARS
    ]
    if head.fiscal_year is None and titleish:
        head.fiscal_year = fiscal_year_in(titleish[0])
    head.round, round_text = round_in(title or titleish[:1])
    if head.round is None and titleish:
        head.round, round_text = round_in(titleish[:3])
    head.evidence.update(
        title_years=sorted(title_fiscal_years(head.title)),
        round_text=round_text,
        title_period=title_period(head.title),
    )

    # District and province: near the agency name, else anywhere in the title.
    own_lines = [t for t in all_text if any(m.text in t for m in own[:3])]
    place_lines = [t for t in title if any(m.text in t for m in own)] or title
    district = _place(_DISTRICT, place_lines + own_lines + title)
    province = _place(_PROVINCE, place_lines + own_lines + title)
    head.evidence.update(stated_district=district, stated_province=province)

    if own:
        written = Counter(m.text for m in own).most_common(1)[0][0]
        head.agency = registry.resolve(
            written, district=district, province=province or province_hint
        )
        return head
    # No registry LAO named: an unknown LAO-like name, or another organisation.
    for text in title + all_text:
        if m := _LAO_LIKE.search(text):
            name = m.group(0)
            if stop := _NAME_STOP.search(name, len(m.group(0)) - len(m.group(1)) + 2):
                name = name[: stop.start()]
            head.agency = registry.resolve(
                name, district=district, province=province or province_hint
            )
            return head
    for pattern in _NON_LAO:
        hit = next((m for text in title + all_text[:40] if (m := pattern.search(text))), None)
        if hit:
            name = hit.group(hit.lastindex or 0)
            head.agency.name = name
            head.agency.district, head.agency.province = district, province
            break
    return head
