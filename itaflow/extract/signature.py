"""The reporter's name and position from the signature block.

Thai official documents sign as::

    (ลงชื่อ)..........ผู้รายงาน
    (นางโสภา สีมานอก)
    หัวหน้าสำนักปลัด

The name in parentheses, the position on the next line(s). When several people
sign (ผู้รายงาน, ผู้รับรอง), the one nearest "ผู้รายงาน" is the reporter.
"""

from __future__ import annotations

import re

from itaflow.extract.layout import PAGE_FURNITURE
from itaflow.models import Reporter
from itaflow.thai import one_line

_TITLES = (
    r"นาย|นางสาว|นาง|น\.ส\.|ว่าที่\s?(?:ร\.ต\.|ร้อยตรี|ร\.ท\.|ร้อยโท)\s?(?:หญิง)?|ดร\.|"
    r"จ\.ส\.[ตอท]\.|ส\.[ตอท]\.|พ\.จ\.[อ]\.|ร\.[ตทอ]\.|พ\.[ตทอ]\.|สิบ(?:เอก|โท|ตรี)|จ่าสิบ(?:เอก|โท|ตรี)"
)
_NAME = re.compile(rf"^\(?\s*((?:{_TITLES})\s?[ก-๙]+(?:\s+[ก-๙]+){{1,2}})\s*\)?$")
_PAREN_NAME = re.compile(r"^\(\s*([ก-๙]+(?:\s+[ก-๙]+){1,2})\s*\)$")
# a titled name in brackets whose space before the surname a PDF text layer lost
_PAREN_TITLED = re.compile(rf"^\(\s*((?:{_TITLES})\s?[ก-๙]{{4,}})\s*\)$")
_ROLES = r"ผู้รายงาน|ผู้รับรอง|ผู้ตรวจสอบ|ผู้จัดทำ"
_LABEL = re.compile(rf"^(?:\(?ลงชื่อ\)?|{_ROLES})[\s.…_:]*|[\s.…_]*(?:{_ROLES})$")
_POSITION_PREFIX = re.compile(r"^ตำแหน่ง\s*")
_NOT_POSITION = re.compile(r"ลงชื่อ|^\(|วันที่|^[-\d]|โทร|e-?mail", re.I)
# A position goes on to a second line only after words like these.
_ACTING = re.compile(
    r"(?:ปฏิบัติหน้าที่|รักษาราชการแทน|รักษาการแทน|รักษาการในตำแหน่ง)$|^(?:ปฏิบัติหน้าที่|รักษาราชการแทน|รักษาการ)"
)
_REPORTER_WORD = "ผู้รายงาน"
_MAX_LINE = 300  # signature lines are short; longer ones are body text


def _name_in(line: str) -> str | None:
    text = _LABEL.sub("", line).strip()
    if m := _NAME.match(text):
        return m.group(1)
    if m := _PAREN_NAME.match(text) or _PAREN_TITLED.match(text):
        return m.group(1)
    return None


def read_reporter(lines: list[str]) -> Reporter:
    """The signing reporter in ``lines`` (text after the measures, in order)."""
    lines = [
        t
        for ln in lines
        if len(ln) <= _MAX_LINE
        and (t := one_line(ln, rejoin=False))
        and not PAGE_FURNITURE.match(t)
    ]
    found: list[tuple[int, str]] = [(i, n) for i, ln in enumerate(lines) if (n := _name_in(ln))]
    if not found:
        return Reporter()
    marks = [i for i, ln in enumerate(lines) if _REPORTER_WORD in ln]
    if marks:
        index, name = min(found, key=lambda f: min(abs(f[0] - m) for m in marks))
    else:
        index, name = found[0]
    position_lines: list[str] = []
    for ln in lines[index + 1 : index + 3]:
        if _NOT_POSITION.search(ln) or _name_in(ln) or len(ln) > 100:
            break
        if position_lines and not (_ACTING.search(position_lines[-1]) or _ACTING.search(ln)):
            break
        position_lines.append(_POSITION_PREFIX.sub("", ln))
    return Reporter(name=name, position=" ".join(position_lines) or None)
