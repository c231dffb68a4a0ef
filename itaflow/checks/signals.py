"""Text signals the derived columns are made of: scripts, marks, headers, sameness.

Each function takes a string and returns a number or a short sample, so that a
threshold never lives here: the rule on the number is an expectation in
``expectations/*.json``. The signals are generic (character classes, template
patterns, a header vocabulary), not tuned to particular samples, because the
synthetic defect corpus plants each defect in text the samples never had.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from itaflow.thai import around, to_arabic_digits

# --- scripts ------------------------------------------------------------------------

# Letters of scripts that do not belong in a Thai report. OCR of Thai text
# produces Lao (look-alike letters and digits), Khmer and CJK; the others are
# here because a script run is a script run. Latin is normal (E-Service, Facebook).
FOREIGN_SCRIPTS: tuple[tuple[str, str, str, int, int], ...] = (
    ("lao", "ลาว", "Lao", 0x0E80, 0x0EFF),
    ("khmer", "เขมร", "Khmer", 0x1780, 0x17FF),
    ("khmer", "เขมร", "Khmer", 0x19E0, 0x19FF),
    ("myanmar", "พม่า", "Myanmar", 0x1000, 0x109F),
    ("cjk", "จีน/ญี่ปุ่น/เกาหลี", "CJK", 0x3040, 0x30FF),
    ("cjk", "จีน/ญี่ปุ่น/เกาหลี", "CJK", 0x3400, 0x4DBF),
    ("cjk", "จีน/ญี่ปุ่น/เกาหลี", "CJK", 0x4E00, 0x9FFF),
    ("cjk", "จีน/ญี่ปุ่น/เกาหลี", "CJK", 0xAC00, 0xD7AF),
    ("cjk", "จีน/ญี่ปุ่น/เกาหลี", "CJK", 0x1100, 0x11FF),
    ("devanagari", "เทวนาครี", "Devanagari", 0x0900, 0x097F),
    ("arabic", "อาหรับ", "Arabic", 0x0600, 0x06FF),
    ("cyrillic", "ซีริลลิก", "Cyrillic", 0x0400, 0x04FF),
    ("hebrew", "ฮีบรู", "Hebrew", 0x0590, 0x05FF),
    ("tibetan", "ทิเบต", "Tibetan", 0x0F00, 0x0FFF),
)
_LAO_NAMED = re.compile(r"ภาษาลาว|อักษรลาว|สปป\.?\s?ลาว|ประเทศลาว")


@dataclass(frozen=True)
class ScriptCount:
    """Foreign letters in a text: how many, the share of all letters, which script, a sample."""

    chars: int
    share: float
    name_th: str
    name_en: str
    sample: str


_LETTER = re.compile(r"[^\W\d_]|[\u0e00-\u0eff]")
_ANY_FOREIGN = re.compile(
    "[" + "".join(f"{chr(lo)}-{chr(hi)}" for *_, lo, hi in FOREIGN_SCRIPTS) + "]"
)
_BY_SCRIPT = tuple(
    (th, en, key, re.compile(f"[{chr(lo)}-{chr(hi)}]")) for key, th, en, lo, hi in FOREIGN_SCRIPTS
)


def foreign_scripts(text: str) -> ScriptCount:
    """Count letters of foreign scripts; Lao letters are allowed when the text
    says it quotes Lao (ภาษาลาว, สปป.ลาว): a border LAO may, an OCR error never says so."""
    first = _ANY_FOREIGN.search(text)
    if not first:
        return ScriptCount(0, 0.0, "", "", "")
    allow_lao = bool(_LAO_NAMED.search(text))
    counts: dict[tuple[str, str], int] = {}
    for th, en, key, pattern in _BY_SCRIPT:
        if key == "lao" and allow_lao:
            continue
        if n := len(pattern.findall(text)):
            counts[(th, en)] = counts.get((th, en), 0) + n
    foreign = sum(counts.values())
    if not foreign:
        return ScriptCount(0, 0.0, "", "", "")
    th, en = max(counts, key=lambda k: counts[k])
    letters = len(_LETTER.findall(text))
    pos = next(
        m.start()
        for m in _ANY_FOREIGN.finditer(text)
        if not (allow_lao and "\u0e80" <= m.group() <= "\u0eff")
    )
    return ScriptCount(
        foreign, foreign / max(letters, foreign), th, en, around(text, pos, pos + 1, 10, 20)
    )


# --- broken Thai -------------------------------------------------------------------

_UPPER_LOWER = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47"
_TONES = "\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e"
_FOLLOWING = "\u0e30\u0e32\u0e33\u0e45"
_LEADING = "\u0e40\u0e41\u0e42\u0e43\u0e44"
_CONSONANT = "\u0e01-\u0e2e"
# A mark that has no consonant to sit on: at the start of a word, after a
# leading vowel or after a following vowel; a tone mark before the vowel it
# should follow; two tone marks; สระอำ before its tone mark ("นำ้" for "น้ำ").
_MISPLACED = re.compile(
    rf"(?:^|(?<=[^{_CONSONANT}{_UPPER_LOWER}{_TONES}\u0e24\u0e26]))[{_UPPER_LOWER}{_TONES}]"
    rf"|(?:^|(?<=[\s{_LEADING}]))[{_FOLLOWING}]"
    rf"|[{_TONES}][{_UPPER_LOWER}]"
    rf"|[{_TONES}][{_TONES}]"
    rf"|\u0e33[{_TONES}]"
    rf"|[{_LEADING}][{_LEADING}{_FOLLOWING}]"
)
# U+FFFD, private-use glyphs and C0/C1 controls: what a broken font or
# encoding leaves behind. Count them in the text as read (``Measure.raw``):
# ``itaflow.thai`` maps the Thai font glyphs (U+F700..) back to letters.
# U+F000..U+F0FF is left out: symbol fonts (Wingdings tick boxes) are meant.
_BROKEN_CHARS = re.compile("[\ufffd\ue000-\uefff\uf100-\uf8ff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def misplaced_marks(text: str) -> int:
    """Thai vowels and tone marks in places Thai spelling never puts them."""
    return len(_MISPLACED.findall(text))


def broken_chars(text: str) -> int:
    """Replacement characters, private-use glyphs and control characters."""
    return len(_BROKEN_CHARS.findall(text))


def first_broken_sample(text: str) -> str:
    """A few characters around the first misplaced mark or broken character."""
    m = _MISPLACED.search(text) or _BROKEN_CHARS.search(text)
    return around(text, m.start(), m.end(), 10, 10) if m else ""


# --- header rows --------------------------------------------------------------------

# Column titles seen in reports (and their usual variants). A measure row most
# of whose cells read like these is a repeated header row taken for data.
HEADER_WORDS = (
    "ลำดับ",
    "ที่",
    "มาตรการ",
    "มาตรการ/กิจกรรม",
    "มาตรการ/แนวทาง",
    "กิจกรรม",
    "ประเด็น",
    "ประเด็นที่เป็นข้อบกพร่อง/จุดอ่อนจากการประเมิน",
    "ตัวชี้วัด",
    "ขั้นตอน/วิธีการ",
    "ขั้นตอนหรือวิธีการ/มาตรการ",
    "ขั้นตอน/วิธีการปฏิบัติ",
    "ขั้นตอน/วิธีปฏิบัติ",
    "วิธีการดำเนินการ",
    "แนวทางการดำเนินการ",
    "ผู้รับผิดชอบ",
    "หน่วยงานผู้รับผิดชอบ",
    "ผู้รับผิดชอบ/ผู้ที่เกี่ยวข้อง",
    "ระยะเวลา",
    "ระยะเวลาดำเนินการ",
    "ระยะเวลาในการดำเนินการ",
    "กำหนดเวลาแล้วเสร็จ",
    "การรายงานผลและการกำกับติดตามกำหนดเวลาแล้วเสร็จ",
    "ผลการดำเนินการ",
    "ผลการดำเนินงาน",
    "สรุปผลการดำเนินการ",
    "สรุปผลการดำเนินงานตามมาตรการ",
    "ผลการดำเนินงานตามมาตรการ",
    "การดำเนินการ",
    "ผลลัพธ์",
    "ผลลัพธ์หรือความสำเร็จ",
    "ผลลัพธ์หรือความสำเร็จในการดำเนินการ",
    "ผลสัมฤทธิ์",
    "การติดตามประเมินผล",
    "หมายเหตุ",
    "สถานะ",
    "งบประมาณ",
)
_HEADER_KEYS = tuple(w.replace(" ", "") for w in HEADER_WORDS)
_HEADER_JUNK = re.compile(r"[\s\d.()\-:*]+")


def header_like_share(cells: list[str]) -> float:
    """Share of non-empty cells that read like a column title (0..1).

    A cell counts when it is short and nearly equal (≥ 0.85) to a known title,
    spaces, numbering and punctuation aside. Real measure cells are sentences;
    header cells are two to six words.
    """
    filled = [c for c in cells if c and c.strip()]
    if not filled:
        return 0.0
    hits = 0
    for cell in filled:
        if len(cell) > 120:  # a sentence, not a title: skip the cleaning
            continue
        key = _HEADER_JUNK.sub("", to_arabic_digits(cell))
        if not key or len(key) > 60:
            continue
        if process.extractOne(key, _HEADER_KEYS, scorer=fuzz.ratio, score_cutoff=85):
            hits += 1
    return hits / len(filled)


# --- cells under the wrong column ---------------------------------------------------

_MONTH_WORDS = (
    r"มกราคม|กุมภาพันธ์|มีนาคม|เมษายน|พฤษภาคม|มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม"
    r"|พฤศจิกายน|ธันวาคม|ม\.\s?ค\.|ก\.\s?พ\.|มี\.\s?ค\.|เม\.\s?ย\.|พ\.\s?ค\.|มิ\.\s?ย\."
    r"|ก\.\s?ค\.|ส\.\s?ค\.|ก\.\s?ย\.|ต\.\s?ค\.|พ\.\s?ย\.|ธ\.\s?ค\."
)
_DATE_SIGNAL = re.compile(
    rf"{_MONTH_WORDS}|ปีงบประมาณ|ตลอดปี|ทั้งปี|ไตรมาส|รายเดือน|ทุกเดือน|(?<!\d)25\d\d(?!\d)"
    r"|\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{2,4}"
)
_UNIT_SIGNAL = re.compile(
    r"สำนัก|กอง(?!ทุน)|ฝ่าย|ส่วน(?:ราชการ|งาน)|งาน(?:นิติ|บริหาร|การเจ้าหน้าที่|พัสดุ|ธุรการ|นโยบาย|ประชาสัมพันธ์|แผน)"
    r"|คณะกรรมการ|คณะทำงาน|เจ้าหน้าที่|ผู้อำนวยการ|ปลัด|นายก|หัวหน้า|ทุกภารกิจ|ทุกส่วน|ทุกกอง"
)


def looks_like_period(text: str) -> bool:
    """A cell that says when (months, years, "ตลอดปีงบประมาณ") and names no unit."""
    text = to_arabic_digits(text)
    return bool(_DATE_SIGNAL.search(text)) and not _UNIT_SIGNAL.search(text)


def looks_like_unit(text: str) -> bool:
    """A cell that names units or officers and says nothing about when."""
    text = to_arabic_digits(text)
    return bool(_UNIT_SIGNAL.search(text)) and not _DATE_SIGNAL.search(text)


# --- sameness ------------------------------------------------------------------------

_SQUASH = re.compile(r"[\s\d๐-๙.,;:()\-–—/\"'“”•·*]+")


def squash(text: str) -> str:
    """Text reduced to its letters, for comparing two cells: numbering, spacing
    and punctuation differ between copies of the same text."""
    return _SQUASH.sub("", text)


def similarity(a: str, b: str, cutoff: float = 0.0) -> float:
    """0..1 likeness of two squashed texts (rapidfuzz ratio); 0 below ``cutoff``."""
    return fuzz.ratio(a, b, score_cutoff=cutoff * 100) / 100
