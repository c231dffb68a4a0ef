"""Tie a file that could not be read to the LAO that sent it, from what surrounds it.

An unreadable file (corrupt, empty, "not really a spreadsheet") still tells who sent
it: its name often carries the LAO code or the LAO's name ("o36_อบต.ด่านช้าง.xlsx",
"3300101_2568_FY.pdf"), the folder it arrived in may be named after the LAO, or after
the sender's e-mail address (looked up in the office's contacts list). Such an LAO has
*received – must resubmit (file could not be opened)*, never *missing*: telling it "we
did not receive it" would be false.

Only sure answers are given: an LAO code that is in the registry, or one LAO name
(with or without its type prefix) that is unique in the office's province. The round
comes from the name ("2568", "รอบ 6 เดือน", "FY") or else from when the file arrived
(the round that closed last). Pure functions; the pipeline calls ``attribute``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

from itaflow import periods, registry
from itaflow.thai import to_arabic_digits

_CODE = re.compile(r"(?<!\d)(\d{7})(?!\d)")
_YEAR = re.compile(r"(?<!\d)(25[5-9]\d)(?!\d)")
_H1 = re.compile(r"(?<![A-Za-z])H1(?![A-Za-z0-9])|6\s*เดือน|ครึ่งปี", re.I)
_FY = re.compile(r"(?<![A-Za-z])FY(?![A-Za-z])|12\s*เดือน|ประจำปี|รอบปี", re.I)
_EMAIL = re.compile(r"[^@\s/\\]+@[^@\s/\\]+\.[A-Za-z]{2,}")
# Words of a file name that are not the LAO's name.
_NOISE = re.compile(
    r"รายงานผล(?:การดำเนินการ)?|มาตรการส่งเสริมคุณธรรม(?:และความโปร่งใส)?|ITA|o36|"
    r"รอบ\s*\d+\s*เดือน|ปีงบประมาณ|ปีงบ|พ\.ศ\.|\d+|H1|FY|final|แก้ไข|ฉบับ(?:ที่)?",
    re.I,
)


@dataclass(frozen=True)
class Attribution:
    """Who sent an unreadable file, for which round, and how we know (Thai, for the officer)."""

    lao_code: str
    fiscal_year: int
    round: str
    how: str


def _stem(name: str) -> str:
    return to_arabic_digits(PurePath(name).stem if "." in name else name)


def lao_from_text(text: str, province: str | None, bare: bool = True) -> tuple[str, str] | None:
    """The one LAO a file or folder name names: (lao_code, how) or None when unsure.

    ``bare``: also accept a name without its type when it is unique in the province
    (not for folders, which are often named after a district or the province).
    """
    rows = registry.load()
    text = to_arabic_digits(text)
    codes = {c for c in _CODE.findall(text) if c in rows}
    if province:
        codes = {c for c in codes if rows[c].province_th == province} or codes
    if len(codes) == 1:
        return codes.pop(), "รหัส อปท. ในชื่อไฟล์"
    if codes:
        return None
    mentioned = {
        code
        for m in registry.find_lao_mentions(text.replace("_", " ").replace("-", " "))
        if m.score >= 0.99
        for code in m.lao_codes
        if province is None or rows[code].province_th == province
    }
    if len(mentioned) == 1:
        return mentioned.pop(), "ชื่อ อปท. พร้อมประเภทในชื่อไฟล์"
    if mentioned or province is None or not bare:
        return None
    bare = [w for w in re.split(r"[\s_\-.,()\[\]]+", _NOISE.sub(" ", text)) if len(w) >= 2]
    same = {
        r.lao_code
        for r in rows.values()
        if r.province_th == province and r.name_th in bare and r.type_th != "อบจ."
    }
    if len(same) == 1:
        return same.pop(), "ชื่อ อปท. ในชื่อไฟล์ (ชื่อเดียวในจังหวัด)"
    return None


def round_from_name(text: str) -> tuple[int | None, str | None]:
    """The fiscal year (BE) and round a file name states, each None when it does not."""
    text = to_arabic_digits(text)
    years = {int(y) for y in _YEAR.findall(text)}
    fiscal_year = years.pop() if len(years) == 1 else None
    h1, fy = bool(_H1.search(text)), bool(_FY.search(text))
    return fiscal_year, ("H1" if h1 and not fy else "FY" if fy and not h1 else None)


def _day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def attribute(
    original_name: str,
    inbox_path: str,
    received_at: Any,
    province: str | None,
    contacts: dict[str, str] | None = None,
) -> Attribution | None:
    """The LAO and round an unreadable file belongs to, or None (listed apart).

    Looks at the file name, then each folder of its inbox path (innermost first),
    then a sender's e-mail address in a folder name (``contacts``: email → lao_code).
    """
    folders = list(PurePath(inbox_path).parts[:-1])[::-1]
    found = lao_from_text(_stem(original_name), province)
    if found is None:
        for folder in folders:
            hit = lao_from_text(folder, province, bare=False)
            if hit:
                found = (hit[0], hit[1].replace("ชื่อไฟล์", "ชื่อโฟลเดอร์"))
                break
    if found is None and contacts:
        for folder in folders:
            email = _EMAIL.search(folder)
            if email and email.group(0).casefold() in contacts:
                found = (contacts[email.group(0).casefold()], "อีเมลผู้ส่ง")
                break
    if found is None:
        return None
    fiscal_year, round_ = round_from_name(" ".join([_stem(original_name), *folders]))
    closed_fy, closed_round = periods.latest_closed_round(_day(received_at))
    if fiscal_year is None:
        fiscal_year = closed_fy
        round_ = round_ or closed_round
    elif round_ is None:
        round_ = closed_round if fiscal_year == closed_fy else "FY"
    return Attribution(found[0], fiscal_year, round_, found[1])
