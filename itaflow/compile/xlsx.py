"""The XLSX report: สรุป, รายอำเภอ, ประเภท อปท., รายหน่วยงาน, มาตรการทั้งจังหวัด (every
measure of every LAO), one measures sheet per district, ข้อค้นพบ, ปัญหาที่พบซ้ำ and the
files tied to no LAO.

Thai column titles, a frozen header and an autofilter on every table sheet, real
dates, Thai status words (codes only in the technical columns at the right). Written
by ``xlsxpkg``: text is always an inline string, so no cell can become a formula, and
the same view gives the same bytes.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from itaflow.compile.xlsxpkg import BOLD, HEADER, Percent, Sheet, package
from itaflow.present.text import thai_key
from itaflow.present.vocabulary import COLUMNS, FIELDS

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
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def _table(sheet: Sheet, header: list[str], rows: list[list[Any]]) -> None:
    """A header row plus rows, then one blank row."""
    sheet.add(header, HEADER)
    for row in rows:
        sheet.add(row)
    sheet.add([])


def _title(sheet: Sheet, text: str) -> None:
    sheet.add([text], BOLD)


def _rate(part: int, whole: int) -> Percent | str:
    return Percent(part / whole) if whole else "–"


def _when(iso: str) -> datetime | str:
    """An ISO timestamp as a naive datetime Excel can sort and filter (office time)."""
    if not iso:
        return ""
    try:
        return datetime.fromisoformat(iso).replace(tzinfo=None)
    except ValueError:
        return iso


def _day(iso: str) -> date | str:
    try:
        return date.fromisoformat(iso) if iso else ""
    except ValueError:
        return iso


def _summary_sheet(v: dict[str, Any]) -> Sheet:
    L, S = v["labels"]["columns"], v["labels"]["sections"]
    sheet = Sheet("สรุป", widths=[46, 22, 12, 12])
    for line in (v["title"], v["subtitle"], v["round_line"]):
        _title(sheet, line)
    sheet.add([f"กำหนดส่ง {v['due_th']} · ข้อมูล ณ {v['generated_th']}"])
    sheet.add([v["office"]])
    _title(sheet, S["summary"])
    counts = v["counts"]
    rows: list[list[Any]] = [[row["label"], row["value"]] for row in v["summary"][:-2]]
    rows.append(
        [v["labels"]["summary"]["reporting_rate"], _rate(counts["received"], counts["expected"])]
    )
    rows.append(
        [v["labels"]["summary"]["on_time_rate"], _rate(counts["on_time"], counts["expected"])]
    )
    _table(sheet, [L["item"], L["count"]], rows)
    a = v["activity"]
    _title(sheet, S["activity"])
    _table(
        sheet,
        [L["item"], L["count"]],
        [
            ["หน่วยงานที่รายงานผ่านการตรวจ", a["laos"]],
            ["จำนวนมาตรการ", a["measures"]],
            ["มาตรการที่อนุมานด้านจากประเด็น", a["inferred"]],
            ["มาตรการที่ยังระบุด้านไม่ได้", a["unknown_category"]],
            ["มาตรการที่ไม่พบประเด็นที่กำหนด", a["no_theme"]],
        ],
    )
    status = ("done", "in_progress", "not_started", "unknown")
    _title(sheet, S["categories"])
    _table(
        sheet,
        [L["category"], L["category_stated"], L["inferred"], L["count"]] + [L[k] for k in status],
        [
            [c["label"], c["stated"], c["inferred"], c["total"]] + [c[k] for k in status]
            for c in v["category_status"]
        ],
    )
    _title(sheet, S["themes"])
    _table(
        sheet,
        [L["theme"], L["laos_count"], L["count"]] + [L[k] for k in status],
        [[t["label"], t["laos"], t["total"]] + [t[k] for k in status] for t in v["themes"]],
    )
    for block in v["comparison"]:
        _title(sheet, f"{S['comparison']}: {block['label']}")
        _table(
            sheet,
            [L["metric"], block["label"], L["current"], L["change"]],
            [[m["label"], m["previous"], m["current"], m["change"]] for m in block["metrics"]],
        )
    _title(sheet, S["findings"])
    _table(
        sheet,
        [L["check_th"], L["check"], L["count"]],
        [[c["check_th"], c["check"], c["count"]] for c in v["checks"]],
    )
    sig = v["signature"]
    _title(sheet, S["signature"])
    for line in (sig["name"], sig["position"], sig["office"]):
        if line:
            sheet.add([line])
    return sheet


def _districts_sheet(v: dict[str, Any]) -> Sheet:
    names = v["labels"]["summary"]
    header = [v["labels"]["columns"]["district"]] + [names[k] for k in _DISTRICT_KEYS]
    header.append(names["reporting_rate"])
    sheet = Sheet("รายอำเภอ", widths=[24] + [12] * (len(header) - 1), table=True)
    sheet.add(header, HEADER)
    for d in v["districts"]:
        row = [d["label"]] + [d[k] for k in _DISTRICT_KEYS]
        sheet.add(row + [_rate(d["received"], d["expected"])], BOLD if d["total"] else None)
    return sheet


def _types_sheet(v: dict[str, Any]) -> Sheet:
    names = v["labels"]["summary"]
    keys = ("expected", "received", "on_time", "late", "missing", "must_resubmit", "rejected")
    header = [v["labels"]["columns"]["lao_type"]] + [names[k] for k in keys]
    header += [names["reporting_rate"], names["on_time_rate"]]
    sheet = Sheet("ประเภท อปท.", widths=[16] + [12] * (len(header) - 1), table=True)
    sheet.add(header, HEADER)
    for t in v["types"]:
        row = [t["type"]] + [t[k] for k in keys]
        row += [_rate(t["received"], t["expected"]), _rate(t["on_time"], t["expected"])]
        sheet.add(row, BOLD if t["total"] else None)
    return sheet


_LAO_KEYS = (
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


def _laos_sheet(v: dict[str, Any]) -> Sheet:
    L = v["labels"]["columns"]
    header = [L[k] for k in _LAO_KEYS] + [L["reasons"], L["file"], "state"]
    sheet = Sheet(
        "รายหน่วยงาน",
        widths=[7, 11, 36, 11, 18, 14, 12, 17, 8, 18, 10, 10, 10, 22, 50, 30, 20],
        wrap={len(_LAO_KEYS) + 1},
        table=True,
    )
    sheet.add(header, HEADER)
    for row in v["laos"]:
        values = [row[k] for k in _LAO_KEYS]
        values[_LAO_KEYS.index("received_at")] = _when(row["received_iso"])
        values[_LAO_KEYS.index("state")] = row["state_th"]
        sheet.add(values + ["\n".join(row["reasons"]), row["original_name"], row["state"]])
    return sheet


# (view key, heading, width): the headings are the report's columns, the last three
# the machine codes for filtering.
_MEASURE_COLUMNS = (
    ("lao_code", COLUMNS["lao_code"], 11),
    ("name", COLUMNS["name"], 32),
    ("type", COLUMNS["type"], 11),
    ("district", COLUMNS["district"], 16),
    ("state_th", COLUMNS["state"], 16),
    ("received_iso", COLUMNS["received_at"], 17),
    ("seq", COLUMNS["measure_seq"], 8),
    ("indicator", FIELDS["indicator"], 9),
    ("category_stated", COLUMNS["category_stated"], 10),
    ("category_used", COLUMNS["category_used"], 26),
    ("themes", COLUMNS["themes_list"], 30),
    ("measure", COLUMNS["measure"], 45),
    ("steps", COLUMNS["steps"], 45),
    ("responsible", COLUMNS["responsible"], 20),
    ("period_text", COLUMNS["period"], 22),
    ("period_start", COLUMNS["period_start"], 11),
    ("period_end", COLUMNS["period_end"], 11),
    ("result", COLUMNS["result"], 50),
    ("outcome", COLUMNS["outcome"], 35),
    ("status_th", COLUMNS["status"], 18),
    ("category_code", "category", 9),
    ("theme_keys", "themes", 20),
    ("status", "status", 11),
)
_CONVERT = {"received_iso": _when, "period_start": _day, "period_end": _day}


def _measures_sheet(title: str, rows: list[dict[str, Any]]) -> Sheet:
    keys = [k for k, _, _ in _MEASURE_COLUMNS]
    sheet = Sheet(title, widths=[w for _, _, w in _MEASURE_COLUMNS], table=True)
    sheet.wrap = {keys.index(k) + 1 for k in ("measure", "steps", "result", "outcome")}
    sheet.add([t for _, t, _ in _MEASURE_COLUMNS], HEADER)
    for row in rows:
        sheet.add([_CONVERT[k](row[k]) if k in _CONVERT else row[k] for k in keys])
    return sheet


def _findings_sheet(v: dict[str, Any]) -> Sheet:
    L = v["labels"]["columns"]
    keys = ("lao_code", "name", "district", "check", "check_th", "severity", "measure_seq")
    header = [L[k] for k in keys] + [L["field"], L["message"], "message (technical)"]
    sheet = Sheet(
        "ข้อค้นพบ", widths=[11, 36, 18, 24, 30, 12, 10, 20, 70, 70], wrap={9, 10}, table=True
    )
    sheet.add(header, HEADER)
    for lao in v["laos"]:
        for f in lao["findings"]:
            sheet.add(
                [lao["lao_code"], lao["name"], lao["district"], f["check"], f["check_th"]]
                + [f["severity_th"], f["measure_seq"], f["field_th"], f["message"]]
                + [f["message_full"]]
            )
    return sheet


def _recurring_sheet(v: dict[str, Any]) -> Sheet:
    L = v["labels"]["columns"]
    sheet = Sheet("ปัญหาที่พบซ้ำ", widths=[11, 36, 18, 30, 8, 40, 22], table=True)
    sheet.add(
        [L["lao_code"], L["name"], L["district"], L["check_th"], L["count"], L["rounds"], "check"],
        HEADER,
    )
    for r in v["recurring"]:
        sheet.add(
            [r["lao_code"], r["name"], r["district"], r["check_th"], r["times"], r["rounds"]]
            + [r["check"]]
        )
    return sheet


def _unmatched_sheet(v: dict[str, Any]) -> Sheet:
    L = v["labels"]["columns"]
    keys = ("file", "agency", "received_at", "state_th", "reason", "sha256")
    sheet = Sheet("ไฟล์ที่ระบุหน่วยงานไม่ได้", widths=[40, 30, 20, 18, 50, 20], table=True)
    sheet.add(
        [L[k] for k in ("file", "agency", "received_at", "state", "reasons", "sha256")], HEADER
    )
    for u in v["unmatched"]:
        sheet.add([u[k] for k in keys])
    return sheet


def sheet_name(text: str, taken: set[str]) -> str:
    """A legal, unique sheet title (31 characters, none of []:*?/\\)."""
    base = _SHEET_NAME.sub(" ", text).strip("' ")[:31] or "แผ่นงาน"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def _stamp(iso: str) -> datetime:
    """The data's time (naive office time) for the document properties and zip entries."""
    try:
        stamp = datetime.fromisoformat(iso).replace(tzinfo=None)
    except ValueError:
        return datetime(2000, 1, 1)
    return max(stamp, datetime(1980, 1, 1))


def render_xlsx(view: dict[str, Any]) -> bytes:
    by_district: dict[str, list[dict[str, Any]]] = {}
    for row in view["annex"]:
        by_district.setdefault(row["district"], []).append(row)
    order = sorted(by_district, key=thai_key)
    sheets = [
        _summary_sheet(view),
        _districts_sheet(view),
        _types_sheet(view),
        _laos_sheet(view),
        _measures_sheet(view["labels"]["sections"]["annex_measures"], view["annex"]),
        *(_measures_sheet(f"อ.{d}", by_district[d]) for d in order),
        _findings_sheet(view),
        _recurring_sheet(view),
        _unmatched_sheet(view),
    ]
    taken: set[str] = set()
    for sheet in sheets:
        sheet.title = sheet_name(sheet.title, taken)
    return package(
        sheets,
        title=view["short_title"],
        creator=view.get("office") or "itaflow",
        stamp=_stamp(view["generated_at"]),
    )
