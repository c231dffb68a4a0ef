"""The XLSX report (openpyxl): sheets สรุป, รายอำเภอ, รายหน่วยงาน, ข้อค้นพบ, unmatched files.

No cell ever holds a formula. openpyxl turns any string starting with "=" into a
formula, so every text cell is forced to a string type (written as an inline
string) and text starting with = + - @ or a control character also gets Excel's
quotePrefix, so even re-editing the cell in Excel keeps it text.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

_RISKY_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_MAX_CELL = 32_767
_HEAD_FILL = PatternFill("solid", fgColor="E8EEF5")
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_DISTRICT_KEYS = (
    "expected",
    "received",
    "on_time",
    "late",
    "missing",
    "accepted",
    "accepted_with_warnings",
    "rejected",
    "quarantined",
)


def put(ws: Worksheet, row: int, col: int, value: Any) -> None:
    """Write one cell: numbers as numbers, everything else as inert text."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, bool) or value is None:
        value = "" if value is None else str(value)
    if isinstance(value, int | float):
        cell.value = value
        return
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))[:_MAX_CELL]
    cell.value = text
    cell.data_type = "s"
    if text.startswith(_RISKY_START):
        cell.quotePrefix = True


def _table(ws: Worksheet, top: int, header: list[str], rows: list[list[Any]]) -> int:
    """A header row plus rows from ``top``; returns the next free row."""
    for col, title in enumerate(header, 1):
        put(ws, top, col, title)
        ws.cell(row=top, column=col).font = _BOLD
        ws.cell(row=top, column=col).fill = _HEAD_FILL
    for r, values in enumerate(rows, top + 1):
        for col, value in enumerate(values, 1):
            put(ws, r, col, value)
    return top + len(rows) + 2


def _widths(ws: Worksheet, widths: list[int]) -> None:
    for col, width in enumerate(widths, 1):
        ws.column_dimensions[ws.cell(row=1, column=col).column_letter].width = width


def _rate(part: int, whole: int) -> float | str:
    return part / whole if whole else "–"


def _summary_sheet(ws: Worksheet, v: dict[str, Any]) -> None:
    L, S = v["labels"]["columns"], v["labels"]["sections"]
    for r, line in enumerate((v["title"], v["subtitle"], v["round_line"]), 1):
        put(ws, r, 1, line)
        ws.cell(row=r, column=1).font = _BOLD
    put(ws, 4, 1, f"กำหนดส่ง {v['due_th']} · จัดทำเมื่อ {v['generated_th']}")
    counts = v["counts"]
    rows: list[list[Any]] = [[row["label"], row["value"]] for row in v["summary"][:-2]]
    rows.append(
        [v["labels"]["summary"]["reporting_rate"], _rate(counts["received"], counts["expected"])]
    )
    rows.append(
        [v["labels"]["summary"]["on_time_rate"], _rate(counts["on_time"], counts["expected"])]
    )
    put(ws, 6, 1, S["summary"])
    ws.cell(row=6, column=1).font = _BOLD
    nxt = _table(ws, 7, [L["item"], L["count"]], rows)
    for r in (nxt - 3, nxt - 2):
        ws.cell(row=r, column=2).number_format = "0.0%"
    put(ws, nxt, 1, S["measures"])
    ws.cell(row=nxt, column=1).font = _BOLD
    nxt = _table(
        ws,
        nxt + 1,
        [L["category"], L["count"]],
        [[c["label"], c["count"]] for c in v["categories"]],
    )
    put(ws, nxt, 1, S["findings"])
    ws.cell(row=nxt, column=1).font = _BOLD
    nxt = _table(
        ws,
        nxt + 1,
        [L["check_th"], L["check"], L["count"]],
        [[c["check_th"], c["check"], c["count"]] for c in v["checks"]],
    )
    put(ws, nxt, 1, S["data_docs"])
    ws.cell(row=nxt, column=1).font = _BOLD
    _table(ws, nxt + 1, [L["link"]], [[d["text"]] for d in v["data_docs"]])
    _widths(ws, [42, 22, 10])


def _districts_sheet(ws: Worksheet, v: dict[str, Any]) -> None:
    names = v["labels"]["summary"]
    header = [v["labels"]["columns"]["district"]] + [names[k] for k in _DISTRICT_KEYS]
    header.append(names["reporting_rate"])
    rows = [
        [d["district"]] + [d[k] for k in _DISTRICT_KEYS] + [_rate(d["received"], d["expected"])]
        for d in v["districts"]
    ]
    _table(ws, 1, header, rows)
    for r in range(2, len(rows) + 2):
        ws.cell(row=r, column=len(header)).number_format = "0.0%"
    ws.cell(row=len(rows) + 1, column=1).font = _BOLD
    _widths(ws, [24] + [12] * (len(header) - 1))


def _laos_sheet(ws: Worksheet, v: dict[str, Any]) -> None:
    L = v["labels"]["columns"]
    keys = (
        "seq",
        "lao_code",
        "name",
        "type",
        "district",
        "province",
        "timeliness",
        "received_at",
        "version",
        "state",
        "measures",
        "errors",
        "warnings",
        "action",
    )
    header = [L[k] for k in keys] + [L["reasons"], L["file"]]
    rows = [
        [row[k] for k in keys] + ["\n".join(row["reasons"]), row["original_name"]]
        for row in v["laos"]
    ]
    _table(ws, 1, header, rows)
    for r in range(2, len(rows) + 2):
        ws.cell(row=r, column=len(keys) + 1).alignment = _WRAP
    _widths(ws, [7, 11, 36, 11, 18, 14, 12, 20, 8, 18, 10, 10, 10, 22, 50, 30])


def _findings_sheet(ws: Worksheet, v: dict[str, Any]) -> None:
    L = v["labels"]["columns"]
    header = [
        L[k]
        for k in (
            "lao_code",
            "name",
            "district",
            "check",
            "check_th",
            "severity",
            "measure_seq",
            "field",
            "message",
        )
    ]
    rows = [
        [
            lao["lao_code"],
            lao["name"],
            lao["district"],
            f["check"],
            f["check_th"],
            f["severity_th"],
            f["measure_seq"],
            f["field_th"],
            f["message"],
        ]
        for lao in v["laos"]
        for f in lao["findings"]
    ]
    _table(ws, 1, header, rows)
    for r in range(2, len(rows) + 2):
        ws.cell(row=r, column=len(header)).alignment = _WRAP
    _widths(ws, [11, 36, 18, 24, 30, 12, 10, 20, 70])


def _unmatched_sheet(ws: Worksheet, v: dict[str, Any]) -> None:
    L = v["labels"]["columns"]
    keys = ("file", "agency", "received_at", "state_th", "reason", "sha256")
    header = [L[k] for k in ("file", "agency", "received_at", "state", "reasons", "sha256")]
    _table(ws, 1, header, [[u[k] for k in keys] for u in v["unmatched"]])
    _widths(ws, [40, 30, 20, 18, 50, 20])


def render_xlsx(view: dict[str, Any]) -> bytes:
    wb = Workbook()
    sheets = (
        ("สรุป", _summary_sheet),
        ("รายอำเภอ", _districts_sheet),
        ("รายหน่วยงาน", _laos_sheet),
        ("ข้อค้นพบ", _findings_sheet),
        ("ไฟล์ที่ระบุหน่วยงานไม่ได้", _unmatched_sheet),
    )
    wb.remove(wb.active)
    for title, fill in sheets:
        ws = wb.create_sheet(title)
        fill(ws, view)
        if title != "สรุป":
            ws.freeze_panes = "A2"
            ws.auto_filter.ref = ws.dimensions
    wb.properties.title = view["short_title"]
    wb.properties.creator = "itaflow"
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
