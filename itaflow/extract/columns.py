"""Column titles to measure fields.

Reports name the same column many ways ("ขั้นตอน/วิธีการปฏิบัติ", "วิธีการดำเนินการ",
"ขั้นตอนหรือวิธีการ/มาตรการ" ...) and wrapping puts spaces inside them, so a title
is compared with every known synonym after removing spaces, and columns are given
fields best match first (one column per field).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from itaflow.thai import to_arabic_digits

# Fields a column can hold. Beyond the Measure fields: ``issue`` (the weakness
# found by the assessment; becomes the measure when no measure column exists),
# ``monitoring`` (follow-up, often with the deadline inside), ``score``,
# ``finding`` and ``target`` (ITA-analysis and plan columns), ``category``.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "seq": ("ลำดับ", "ลำดับที่", "ที่", "ข้อที่", "ข้อ", "no", "no."),
    "measure": (
        "มาตรการ",
        "กิจกรรม",
        "มาตรการ/กิจกรรม",
        "กิจกรรม/โครงการ",
        "โครงการ/กิจกรรม",
        "มาตรการ/โครงการ/กิจกรรม",
        "แผนงาน/โครงการ/กิจกรรม",
        "โครงการ",
        "ชื่อมาตรการ",
        "มาตรการส่งเสริมคุณธรรมและความโปร่งใส",
        "มาตรการป้องกันการรับสินบน",
        "วิธีการนำผลการวิเคราะห์ไปสู่การปฏิบัติ",
        "แนวทางการนำผลการวิเคราะห์ไปสู่การปฏิบัติ",
    ),
    "issue": (
        "ประเด็น",
        "ประเด็นที่เป็นข้อบกพร่อง/จุดอ่อน",
        "ประเด็นที่เป็นข้อบกพร่อง/จุดอ่อนจากการประเมิน",
        "ประเด็นที่ต้องพัฒนา",
        "ประเด็นที่ต้องแก้ไข",
        "ข้อบกพร่อง/จุดอ่อน",
        "ประเด็นการประเมิน",
    ),
    "steps": (
        "ขั้นตอน",
        "วิธีการ",
        "ขั้นตอน/วิธีการ",
        "ขั้นตอน/วิธีการปฏิบัติ",
        "ขั้นตอน/วิธีปฏิบัติ",
        "วิธีการดำเนินการ",
        "วิธีการดำเนินงาน",
        "ขั้นตอนหรือวิธีการ/มาตรการ",
        "ขั้นตอนหรือวิธีการ",
        "แนวทางการดำเนินการ",
        "แนวทางปฏิบัติ",
        "ขั้นตอนการดำเนินการ",
        "ขั้นตอนการดำเนินงาน",
        "วิธีปฏิบัติ",
    ),
    "responsible": (
        "ผู้รับผิดชอบ",
        "หน่วยงานผู้รับผิดชอบ",
        "หน่วยงานที่รับผิดชอบ",
        "ผู้รับผิดชอบ/ผู้ดำเนินการ",
        "ผู้รับผิดชอบ/ผู้ที่เกี่ยวข้อง",
        "ส่วนราชการที่รับผิดชอบ",
        "ผู้ดำเนินการ",
        "หน่วยงาน",
    ),
    "period": (
        "ระยะเวลา",
        "ระยะเวลาดำเนินการ",
        "ระยะเวลาในการดำเนินการ",
        "ระยะเวลาการดำเนินการ",
        "ระยะเวลาดำเนินงาน",
        "กำหนดเวลาแล้วเสร็จ",
        "กำหนดเวลา",
        "ห้วงเวลา",
        "ช่วงเวลา",
        "ช่วงเวลาดำเนินการ",
        "วันที่ดำเนินการ",
        "ระยะเวลาการติดตามและรายงานผล",
    ),
    "monitoring": (
        "การรายงานผลและการกำกับติดตาม",
        "การรายงานผลและการกำกับติดตามกำหนดเวลาแล้วเสร็จ",
        "การติดตามประเมินผล",
        "การกำกับติดตาม",
        "การติดตามและรายงานผล",
    ),
    "result": (
        "การดำเนินการ",
        "ผลการดำเนินการ",
        "ผลการดำเนินงาน",
        "สรุปผลการดำเนินการ",
        "สรุปผลการดำเนินงาน",
        "ผลการดำเนินงานตามมาตรการ",
        "ผลการดำเนินการตามมาตรการ",
        "สรุปผลการดำเนินงานตามมาตรการ",
        "สรุปผลการดำเนินการตามมาตรการ",
        "ผลการปฏิบัติตามมาตรการ",
        "ผลการปฏิบัติ",
        "ผลการปฏิบัติงาน",
    ),
    "outcome": (
        "ผลลัพธ์",
        "ความสำเร็จ",
        "ผลลัพธ์หรือความสำเร็จ",
        "ผลลัพธ์/ความสำเร็จ",
        "ความสำเร็จ/ผลลัพธ์",
        "ผลลัพธ์หรือความสำเร็จในการดำเนินการ",
        "ผลสัมฤทธิ์",
        "ผลที่ได้รับ",
        "ตัวชี้วัดความสำเร็จ",
    ),
    "score": ("ผลการประเมิน", "ผลการประเมิน(คะแนน)", "คะแนน", "คะแนนที่ได้"),
    "finding": ("ข้อค้นพบ", "ข้อค้นพบ*แสดงการวิเคราะห์ผลการประเมิน*"),
    "target": ("กลุ่มเป้าหมาย", "เป้าหมาย"),
    "category": ("ด้าน", "เครื่องมือการประเมิน", "ประเภท"),
}
MEASURE_SIDE = ("measure", "issue", "steps")
REPORT_SIDE = ("responsible", "period", "result", "outcome", "monitoring")
MIN_SCORE = 0.6


def key(text: str) -> str:
    """A title reduced for comparison: no spaces, marks or asterisks; Arabic digits."""
    return re.sub(r"[\s*:()\[\]\"'“”]+", "", to_arabic_digits(text)).lower()


_KEYS = {f: tuple(key(s) for s in syns) for f, syns in SYNONYMS.items()}


@lru_cache(maxsize=4096)
def field_scores(title: str) -> dict[str, float]:
    """How well a column title names each field, 0..1 (only fields above 0)."""
    k = key(title)
    if not k or len(k) > 80:
        return {}
    out: dict[str, float] = {}
    for f, syns in _KEYS.items():
        best = 0.0
        for s in syns:
            if k == s:
                best = 1.0
                break
            if s in k and (len(s) > 3 or k.startswith(s)):
                best = max(best, 0.5 + 0.45 * len(s) / len(k))
            elif len(s) >= 6 and abs(len(s) - len(k)) <= 3:
                r = fuzz.ratio(k, s) / 100  # OCR damage, a letter off
                if r >= 0.85:
                    best = max(best, 0.9 * r)
        if best:
            out[f] = best
    return out


@dataclass
class Header:
    """Which field each column holds (``None`` for unknown columns)."""

    fields: list[str | None]
    titles: list[str]
    score: float  # mean match of the mapped columns

    def col(self, field: str) -> int | None:
        return self.fields.index(field) if field in self.fields else None

    def has(self, *fields: str) -> bool:
        return any(f in self.fields for f in fields)


def map_header(cells: list[str]) -> Header | None:
    """The header a row spells, or None when it does not look like a measure header.

    A measure header names a measure-side column (measure, issue, steps) and a
    report-side one (responsible, period, result, outcome, monitoring); ITA
    score tables (ข้อคำถาม, คะแนน) are not measure tables.
    """
    scored = sorted(  # best match first; on a tie the leftmost column
        (
            (s, i, f)
            for i, c in enumerate(cells)
            for f, s in field_scores(c).items()
            if s >= MIN_SCORE
        ),
        key=lambda x: (-x[0], x[1]),
    )
    fields: list[str | None] = [None] * len(cells)
    taken: set[str] = set()
    total = 0.0
    for s, i, f in scored:
        if fields[i] is None and f not in taken:
            fields[i] = f
            taken.add(f)
            total += s
    if not (taken & set(MEASURE_SIDE) and taken & set(REPORT_SIDE)):
        return None
    if len(taken) < 3 and not (taken >= {"measure", "result"}):
        return None
    return Header(fields=fields, titles=list(cells), score=total / len(taken))


def best_title(*variants: str) -> str:
    """The variant that reads most like a column title (for two-row headers:
    the spanning title, the sub-title, or both joined)."""
    return max(
        variants, key=lambda v: max(field_scores(v).values(), default=0.0) if v.strip() else -1.0
    )


def header_likeness(cells: list[str]) -> float:
    """Share of non-empty cells that read like a column title (a repeated header)."""
    filled = [c for c in cells if c.strip()]
    if not filled:
        return 0.0
    hits = sum(1 for c in filled if max(field_scores(c).values(), default=0) >= 0.85)
    return hits / len(filled)
