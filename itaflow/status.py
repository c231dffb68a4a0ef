"""Where a round stands for ``itaflow status``: the figures and the per-LAO list as
JSON or as tables, and the round and province arguments as an officer types them.

The figures are ``itaflow.present.counts.summarize`` (the monitoring page shows the
same), the rows ``itaflow.present.rows``; a file that could not be opened but was
tied to its LAO counts as received – must resubmit ("unreadable"), never as missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from itaflow.models import ReportData
from itaflow.present.counts import summarize
from itaflow.present.rows import status_item, unmatched_item
from itaflow.present.vocabulary import ROUNDS
from itaflow.thai import to_arabic_digits


class StatusArgumentError(ValueError):
    """A province or round the office did not mean; the message is Thai + English."""


@dataclass(frozen=True)
class RoundArg:
    fiscal_year: int
    round: str


def round_status(data: ReportData) -> dict[str, Any]:
    """Everything ``itaflow status --json`` prints for one round and province."""
    return {
        "province": data.province,
        "fiscal_year": data.fiscal_year,
        "round": data.round,
        "round_th": ROUNDS.get(data.round, data.round),
        "due_date": data.due_date.isoformat(),
        "summary": summarize(data),
        "laos": [status_item(lao) for lao in data.laos],
        "unattributed_files": [unmatched_item(u) for u in data.unmatched_files],
    }


# --- arguments ------------------------------------------------------------------------

_ROUND = re.compile(r"^\s*(\d{4})\s*[-/ ]\s*([A-Za-z0-9]+)\s*$")


def parse_round(text: str) -> RoundArg:
    """``2568-H1`` / ``2568-FY`` (BE fiscal year); a CE year gets the BE one suggested."""
    m = _ROUND.match(to_arabic_digits(text or ""))
    if not m:
        raise StatusArgumentError(
            f"รูปแบบรอบไม่ถูกต้อง '{text}': ใช้ ปีงบประมาณ(พ.ศ.)-รอบ เช่น 2568-H1 หรือ 2568-FY / "
            "round must look like 2568-H1 or 2568-FY"
        )
    year, rnd = int(m[1]), m[2].upper()
    if rnd not in ("H1", "FY"):
        raise StatusArgumentError(
            f"ไม่รู้จักรอบ '{m[2]}': ใช้ H1 (รอบ 6 เดือน) หรือ FY (รอบ 12 เดือน) เช่น {year}-FY / "
            f"unknown round '{m[2]}': use H1 (6 months) or FY (12 months)"
        )
    if 1900 <= year < 2400:
        raise StatusArgumentError(
            f"ปี {year} เป็นปี ค.ศ.: ใช้ปีงบประมาณ พ.ศ. เช่น {year + 543}-{rnd} / "
            f"{year} is a CE year: use the Buddhist-era fiscal year, e.g. {year + 543}-{rnd}"
        )
    if not 2400 <= year <= 2800:
        raise StatusArgumentError(
            f"ปีงบประมาณ {year} ไม่ถูกต้อง: ใช้ปี พ.ศ. เช่น 2568 / fiscal year must be BE, e.g. 2568"
        )
    return RoundArg(year, rnd)


def parse_province(text: str, provinces: list[str]) -> str:
    """A registry province; a misspelt one gets the closest name suggested (rapidfuzz)."""
    from rapidfuzz import fuzz, process

    name = (text or "").strip().removeprefix("จังหวัด").removeprefix("จ.").strip()
    if name in provinces:
        return name
    hit = process.extractOne(name, provinces, scorer=fuzz.ratio) if name else None
    hint = f" หมายถึง '{hit[0]}' หรือไม่? / did you mean '{hit[0]}'?" if hit else ""
    raise StatusArgumentError(
        f"ไม่พบจังหวัด '{text}' ในทะเบียน อปท. / unknown province '{text}'.{hint}"
    )


def print_status(result: dict, *, show_all: bool) -> None:
    """The summary and the per-LAO list as rich tables (those that must act, or all)."""
    import sys

    from rich.console import Console
    from rich.table import Table

    from itaflow.present.vocabulary import STATES, SUMMARY, TIMELINESS_SHORT

    console = Console(width=None if sys.stdout.isatty() else 220)  # piped: no wrapping
    summary = result["summary"]
    words = {**SUMMARY, "unreadable": STATES["quarantined"]}
    head = Table(
        title=f"จ.{result['province']} ปีงบประมาณ {result['fiscal_year']} {result['round_th']} "
        f"(กำหนดส่ง {result['due_date']})"
    )
    head.add_column("รายการ / item")
    head.add_column("key")
    head.add_column("จำนวน", justify="right")
    for key, value in summary.items():
        shown = f"{value * 100:.1f} %" if key.endswith("_rate") else str(value)
        head.add_row(words.get(key, key), key, shown)
    console.print(head)
    rows = [r for r in result["laos"] if show_all or r["must_act"]]
    table = Table(title="หน่วยงานทั้งหมด" if show_all else "หน่วยงานที่ต้องดำเนินการ (--all: ทั้งหมด)")
    for col in ("รหัส", "หน่วยงาน", "อำเภอ", "สถานะ", "การส่ง", "ฉบับที่", "เหตุผล"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r["lao_code"],
            r["name"],
            r["district"],
            r["state_th"],
            TIMELINESS_SHORT[r["on_time"]],
            str(r["version"] or "-"),
            "; ".join(r["reasons"][:2]),
        )
    console.print(table)
    if result["unattributed_files"]:
        console.print(f"ไฟล์ที่ระบุหน่วยงานไม่ได้: {len(result['unattributed_files'])} ไฟล์")
