"""What one measure cell means: units, status, indicator, category, enumerators."""

from __future__ import annotations

import re

from itaflow.thai import THAI_LETTER, normalize, to_arabic_digits

# --- responsible units -------------------------------------------------------

# Words that start a unit name; a space before one of them separates two units
# ("สำนักปลัด กองคลัง"), elsewhere a space is wrapping ("กอง การศึกษาฯ",
# "กองการ เจ้าหน้าที่"). "และ"/"หรือ" before one of them also separates.
UNIT_HEADS = ("สำนัก", "กอง", "งาน", "ฝ่าย", "ส่วน", "หน่วย", "ศูนย์", "ทุก")
_HEADS_RE = "|".join(map(re.escape, UNIT_HEADS))
_ENUM_CHARS = r"(?:\(?[\d๐-๙]{1,2}[.)]|[-•●▪◦∙·*–])"
# How a responsible cell starts when it is not the tail of a cut cell.
UNIT_START = re.compile(
    rf"^\s*{_ENUM_CHARS}?\s*(?:{_HEADS_RE}|ผู้|ปลัด|รองปลัด|นายก|หัวหน้า|นัก|เจ้าหน้าที่|คณะ|ผอ)"
)
_ENUM = r"(?:\(?\d{1,2}[.)]|[-•●▪◦∙·*–])"
_SPLIT_UNITS = re.compile(
    rf"\n+|\s*[/,;、]\s*|(?:^|\s+){_ENUM}\s*|\s*(?:และ|หรือ)\s*(?=(?:{_HEADS_RE}))"
)
_LEADING_ENUM = re.compile(rf"^\s*{_ENUM}\s*")


_OPEN_END = re.compile(rf"(?:ใน|ของ|แต่ละ)(?:{_HEADS_RE})$")


def _whole_names(parts: list[str]) -> list[str]:
    """Join a part that ends "ในส่วน"/"ของงาน" with the next: a sentence wrapped
    before a head word, not two units."""
    out: list[str] = []
    for part in parts:
        if out and _OPEN_END.search(out[-1]):
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
    return out


def split_responsible(text: str) -> list[str]:
    """One entry per unit: "-สำนักปลัด -กองคลัง -กองช่าง", "๑.สำนักปลัด ๒.กองคลัง",
    "งานนิติการ / สำนักปลัด", one unit per line, "กองคลัง และกองช่าง" ..."""
    text = to_arabic_digits(normalize(text, rejoin=False))
    if not text:
        return []
    out: list[str] = []
    for piece in _SPLIT_UNITS.split(text):
        piece = _LEADING_ENUM.sub("", piece or "").strip(" .,:;-")
        if not piece:
            continue
        # Spaces before a unit head separate units; other spaces are wrapping.
        parts = _whole_names(re.split(rf"\s+(?=(?:{_HEADS_RE}))", piece))
        for part in parts:
            part = re.sub(f"(?<=[{THAI_LETTER}]) (?=[{THAI_LETTER}])", "", part).strip()
            if part and part not in out:
                out.append(part)
    return out


# --- status ------------------------------------------------------------------

_NOT_STARTED = re.compile(r"ยัง(?:ไม่|มิ)(?:ได้|มีการ|ดำเนินการ|เริ่ม)")
_IN_PROGRESS = re.compile(r"อยู่ระหว่าง|คาดว่าจะ(?:แล้วเสร็จ|ดำเนินการ)|กำลังดำเนินการ|ดำเนินการต่อเนื่อง")
# "ได้" before a verb is the past tense ("ได้แจ้งเวียน"); a dated action happened.
_DONE = re.compile(
    r"ดำเนินการแล้ว|แล้วเสร็จ|เรียบร้อย|เสร็จสิ้น|แล้ว(?!\s*(?:รายงาน|นำ|จึง))"
    r"|(?<!ไม่)(?<!ให้)ได้(?=\s?[ก-ฮเ-ไ])|(?:เมื่อ|ณ\s?)วันที่\s*[0-9๐-๙]"
)
_THAI_GAP = re.compile(r"(?<=[ก-๙])\s+(?=[ก-๙])")
_TICKED = re.compile(r"☑\s*([^☑☐\n]*)")
_UNTICKED = re.compile(r"☐[^☑☐\n]*")


def status_of(text: str) -> str:
    """done / in_progress / not_started / unknown from the words of a result.

    Ticked boxes decide when present ("☑ ดำเนินการแล้ว ☐ ยังไม่ดำเนินการ");
    unticked options are ignored. "Not started" beats "in progress" beats
    "done", because "คาดว่าจะแล้วเสร็จ" contains "แล้ว".
    """
    if not text:
        return "unknown"
    ticked = _TICKED.findall(text)
    text = " ".join(ticked) if ticked else _UNTICKED.sub(" ", text)
    # A line break inside a phrase ("อยู่\nระหว่าง") became a space: look for the
    # multi-word phrases with spaces between Thai letters removed.
    joined = _THAI_GAP.sub("", text)
    if _NOT_STARTED.search(joined):
        return "not_started"
    if _IN_PROGRESS.search(joined):
        return "in_progress"
    if _DONE.search(text):
        return "done"
    return "unknown"


# --- indicators and categories --------------------------------------------------

_ITEM_CODE = re.compile(r"(?<![A-Za-z0-9])([OoIiEe])\s?(\d{1,2})(?![\d.])(?=[\s:.)\-ก-๙]|$)")
_INDICATOR_NO = re.compile(r"ตัว\s?ชี้\s?วัด\s?(?:ที่)?\s*(\d{1,2}(?:\s?\.\s?\d{1,2})?)(?![\d])")
_CATEGORY = re.compile(r"(?<![A-Za-z])(IIT|EIT|OIT)(?![A-Za-z])")
_CATEGORY_WORDS = {
    "IIT": "ผู้มีส่วนได้ส่วนเสียภายใน",
    "EIT": "ผู้มีส่วนได้ส่วนเสียภายนอก",
    "OIT": "การเปิดเผยข้อมูลสาธารณะ",
}


def indicator_of(*texts: str) -> str | None:
    """The first ITA item code (O17, i3, e5 → "O17", "I3", "E5") or indicator
    number (ตัวชี้วัดที่ ๘.๔ → "8.4") in the texts, searched in order."""
    for text in texts:
        t = to_arabic_digits(text or "")
        m = _ITEM_CODE.search(t)
        n = _INDICATOR_NO.search(t)
        if m and (not n or m.start() < n.start()):
            return m.group(1).upper() + m.group(2)
        if n:
            return n.group(1).replace(" ", "")
    return None


_HEADING_ENUM = re.compile(r"^\s*(?:\(?\d{1,2}[.)]\s*|[-•*]\s*)?")


def category_heading(text: str) -> str | None:
    """IIT/EIT/OIT when a short line is a category heading ("๑.ด้าน IIT",
    "OIT การเปิดเผยข้อมูลสาธารณะ", "ด้านการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน"),
    else None. Lines with numbers after the enumerator are data ("OIT o17 100")."""
    t = _HEADING_ENUM.sub("", to_arabic_digits(text).strip().strip("*").strip())
    if not t or len(t) > 90 or re.search(r"\d", t):
        return None
    m = _CATEGORY.search(t)
    if m and (m.start() == 0 or t.startswith("ด้าน") or t.startswith("(")):
        return m.group(1)
    if t.startswith(("ด้าน", "แบบวัด")):
        if m:
            return m.group(1)
        squeezed = t.replace(" ", "")
        for code, words in _CATEGORY_WORDS.items():
            if words in squeezed:
                return code
    return None


def category_of_item(indicator: str | None) -> str | None:
    """The category an ITA item code belongs to (O17 → OIT), None for numbers."""
    if indicator and indicator[0] in "IEO" and indicator[1:].isdigit():
        return {"I": "IIT", "E": "EIT", "O": "OIT"}[indicator[0]]
    return None


# --- enumerators -----------------------------------------------------------------

_SEQ = re.compile(r"^\s*\(?\s*(\d{1,3})\s*[.)]?\s*$")
_LEAD_NUMBER = re.compile(r"^\s*\(?(\d{1,3})\s*[.)]\s*")


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


def visible(text: str) -> str:
    """Without the zero-width characters PDF text layers put between "๑" and "."."""
    return text.translate(_INVISIBLE)


def seq_number(text: str) -> int | None:
    """The number in a ลำดับ cell ("๑.", "(2)", "3"), else None."""
    m = _SEQ.match(to_arabic_digits(visible(text or "")))
    return int(m.group(1)) if m else None


def strip_enumerator(text: str) -> tuple[str, int | None]:
    """ "๑. มาตรการ..." → ("มาตรการ...", 1): the list number authors put before a title."""
    head = visible(text[:16])
    m = _LEAD_NUMBER.match(to_arabic_digits(head[:8]))
    if not m:
        return text, None
    return (head[m.end() :] + text[16:]).lstrip(), int(m.group(1))
