"""The submission-monitoring view: who sent, who is late or missing, who must fix what.

Plain functions from the warehouse's ``ReportData`` to one JSON-ready dict that the
Airflow plugin (``plugins/itaflow_monitor.py``) renders with
``reports/monitor.html.j2`` and serves as JSON for the office's own tools. Words
come from ``itaflow.compile.labels`` (DHIS2-style: expected reports, reporting
rate, on time), so the page says what the compiled report says. Submission text
is made inert once here (``compile.view.clean``); the template escapes it again.

Reading a round goes through ``itaflow.warehouse.report_data``. Its
``ensure_round`` keeps the round's row with the due date the settings give now
(never frozen at first use), so the page only reads rounds that exist
(submissions or a ``rounds`` row) or the default round. The figures come from
``itaflow.status.summarize`` (the same as ``itaflow status``); the matrix and
an LAO's history (every version, findings, originals by hash) are built here too.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from itaflow import periods
from itaflow.compile import labels
from itaflow.compile.thaidate import thai_datetime
from itaflow.compile.view import clean, heading_view, lao_row, percent, thai_key
from itaflow.models import ReportData
from itaflow.settings import Settings
from itaflow.status import summarize

# What an officer can filter the table by, in the order the page offers them.
STATE_FILTERS: dict[str, str] = {
    "missing": labels.SUMMARY["missing"],
    "received": labels.SUMMARY["received"],
    "on_time": labels.SUMMARY["on_time"],
    "late": labels.SUMMARY["late"],
    "rejected": labels.SUMMARY["rejected"],
    "accepted_with_warnings": labels.SUMMARY["accepted_with_warnings"],
    "accepted": labels.SUMMARY["accepted"],
    "quarantined": labels.SUMMARY["quarantined"],
    "resubmitted": "ส่งฉบับแก้ไข",
}

_STATE_TEST: dict[str, Callable[[dict[str, Any]], bool]] = {
    "missing": lambda r: r["state"] == "missing",
    "received": lambda r: r["state"] != "missing",
    "on_time": lambda r: r["on_time"] is True,
    "late": lambda r: r["on_time"] is False,
    "resubmitted": lambda r: r["version"] >= 2,
}

ALL_PROVINCES = "all"  # the ``province`` value that asks for every province
REPORT_FILE = re.compile(r"^ita-[^/\\\x00]{1,200}\.(html|pdf|xlsx)$")
_ROUND_ORDER = {r: i for i, r in enumerate(periods.ROUNDS)}
_TEXT_PARAM_LIMIT = 200
_NOTES_SHOWN = 3


class MonitorError(ValueError):
    """A request the page cannot answer; ``status`` is the HTTP status, the message Thai."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Query:
    """What the officer asked for, validated (``parse_query``)."""

    fiscal_year: int
    round: str
    province: str | None
    state: str = ""
    district: str = ""
    q: str = ""


# --- rounds ----------------------------------------------------------------------------


def available_rounds(url: str, province: str | None) -> list[dict[str, Any]]:
    """Rounds the warehouse knows, newest first, each with how many LAOs of ``province``
    (None: any) sent a judged submission for it."""
    from itaflow.warehouse import rounds_sent

    counts = rounds_sent(url, province, periods.ROUNDS)
    return [round_item(fy, rnd, n) for (fy, rnd), n in sorted(counts.items(), key=_newest)]


def _newest(item: tuple[tuple[int, str], int]) -> tuple[int, int]:
    (fy, rnd), _ = item
    return (-fy, -_ROUND_ORDER.get(rnd, 0))


def round_item(fiscal_year: int, round: str, laos_sent: int) -> dict[str, Any]:
    round_th = labels.ROUNDS.get(round, round)
    return {
        "fiscal_year": fiscal_year,
        "round": round,
        "label": f"ปีงบประมาณ {fiscal_year} {round_th}",
        "laos_sent": laos_sent,
    }


def default_round(rounds: list[dict[str, Any]], today: date) -> tuple[int, str]:
    """The latest round something was sent for, else the latest round that has ended."""
    for item in rounds:  # newest first
        if item["laos_sent"]:
            return item["fiscal_year"], item["round"]
    return periods.latest_closed_round(today)


# --- the request -----------------------------------------------------------------------


def _text_param(params: Mapping[str, Any], name: str) -> str:
    value = clean(params.get(name) or "")
    if len(value) > _TEXT_PARAM_LIMIT:
        raise MonitorError(f"ค่า {name} ยาวเกินไป / {name} is too long")
    return value


def parse_province(value: str | None, settings: Settings) -> str | None:
    """``None`` (absent) means the office's province; ``all`` means every province."""
    from itaflow import registry

    if value is None or clean(value) == "":
        return settings.province
    value = clean(value)
    if value == ALL_PROVINCES:
        return None
    if value not in registry.provinces():
        raise MonitorError(f"ไม่พบจังหวัด '{value}' ในทะเบียน อปท. / unknown province", 404)
    return value


def parse_query(
    params: Mapping[str, Any],
    province: str | None,
    rounds: list[dict[str, Any]],
    today: date,
) -> Query:
    """Validate ``fy``, ``round``, ``state``, ``district`` and ``q``; fill the round from
    ``default_round`` when absent. Only known rounds (or the default) are read."""
    fallback = default_round(rounds, today)
    fy_text = _text_param(params, "fy")
    round_ = _text_param(params, "round").upper() or None
    try:
        fiscal_year = int(fy_text) if fy_text else None
    except ValueError:
        raise MonitorError("ปีงบประมาณต้องเป็นตัวเลข พ.ศ. เช่น 2568 / fy must be a BE year") from None
    if round_ is not None and round_ not in periods.ROUNDS:
        raise MonitorError("รอบต้องเป็น H1 (6 เดือน) หรือ FY (12 เดือน) / round must be H1 or FY")
    if fiscal_year is None and round_ is None:
        fiscal_year, round_ = fallback
    elif fiscal_year is None:
        fiscal_year = next((r["fiscal_year"] for r in rounds if r["round"] == round_), fallback[0])
    elif round_ is None:
        round_ = next((r["round"] for r in rounds if r["fiscal_year"] == fiscal_year), "FY")
    known = {(r["fiscal_year"], r["round"]) for r in rounds} | {fallback}
    if (fiscal_year, round_) not in known:
        round_th = labels.ROUNDS.get(round_, round_)
        raise MonitorError(
            f"ยังไม่มีข้อมูลปีงบประมาณ {fiscal_year} {round_th} / no data for this round", 404
        )
    state = _text_param(params, "state")
    if state and state not in STATE_FILTERS:
        raise MonitorError(f"ไม่รู้จักสถานะ '{state}' / unknown state")
    return Query(
        fiscal_year=fiscal_year,
        round=round_,  # type: ignore[arg-type]
        province=province,
        state=state,
        district=_text_param(params, "district"),
        q=_text_param(params, "q"),
    )


# --- the view --------------------------------------------------------------------------


def _row(seq: int, lao: Any, due: str) -> dict[str, Any]:
    """An LAO as the table shows it: ``compile.view.lao_row`` plus what the monitor adds
    (resubmission, observations of a report that passed with warnings)."""
    row = lao_row(seq, lao, due)
    row["state_th"] = state_label(lao.state)
    row["version_th"] = f"ฉบับที่ {lao.version}" if lao.version else ""
    row["resubmitted"] = lao.version >= 2
    notes = (
        list(dict.fromkeys(f["message"] for f in row["findings"] if f["severity"] == "warning"))
        if lao.state == "accepted_with_warnings"
        else []
    )
    if len(notes) > _NOTES_SHOWN:  # the rest stay one click away, in the full findings list
        notes = notes[:_NOTES_SHOWN] + [f"และอีก {len(notes) - _NOTES_SHOWN} รายการ"]
    row["notes"] = notes
    row["received_iso"] = clean(lao.received_at)
    return row


def matches(row: dict[str, Any], state: str = "", district: str = "", q: str = "") -> bool:
    """Does a table row pass the officer's filters? ``q`` looks in the name, code, file
    name, district and type, ignoring case and spaces around it."""
    if state:
        test = _STATE_TEST.get(state, lambda r: r["state"] == state)
        if not test(row):
            return False
    if district and row["district"] != district:
        return False
    if q:
        needle = q.casefold()
        hay = " ".join(
            row[k] for k in ("name", "lao_code", "original_name", "district", "type", "province")
        )
        if needle not in hay.casefold():
            return False
    return True


def _state_counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {key: sum(1 for r in rows if matches(r, state=key)) for key in STATE_FILTERS}


def _district_rows(rows: list[dict[str, Any]], several_provinces: bool) -> list[dict[str, Any]]:
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[(r["province"], r["district"])].append(r)
    out = []
    for (province, district), members in sorted(
        groups.items(), key=lambda kv: (thai_key(kv[0][0]), thai_key(kv[0][1]))
    ):
        counts = _state_counts(members)
        out.append(
            {
                "district": district or "ไม่ระบุอำเภอ",
                "province": province,
                "label": f"{district} จ.{province}" if several_provinces else district,
                "expected": len(members),
                **{k: counts[k] for k in ("received", "on_time", "late", "missing", "rejected")},
                "reporting_rate": percent(counts["received"], len(members)),
            }
        )
    return out


def _unmatched(item: Mapping[str, Any]) -> dict[str, str]:
    """A file of the round that no LAO could be tied to (``report_unmatched.sql`` row)."""
    state = clean(item.get("state"))
    default = labels.CHECKS["unreadable_file" if state == "quarantined" else "agency_unknown"]
    stated = [
        clean(item.get("agency_name")),
        f"อ.{clean(item.get('stated_district'))}" if item.get("stated_district") else "",
        f"จ.{clean(item.get('stated_province'))}" if item.get("stated_province") else "",
    ]
    return {
        "file": clean(item.get("original_name")),
        "agency": " ".join(x for x in stated if x),
        "received_at": thai_datetime(clean(item.get("received_at")) or None),
        "state_th": labels.STATES.get(state, state),
        "reason": clean(item.get("reason")) or default,
        "sha256": clean(item.get("sha256"))[:16],
    }


def _href(query: Query, **changes: Any) -> str:
    """A query-string link (relative, so it works under any mount point)."""
    values = {
        "fy": query.fiscal_year,
        "round": query.round,
        "province": query.province or ALL_PROVINCES,
        "state": query.state,
        "district": query.district,
        "q": query.q,
    }
    values.update(changes)
    return "?" + urlencode({k: v for k, v in values.items() if v not in ("", None)})


def _summary(counts: dict[str, int], expected: int, unmatched: int, query: Query) -> list[dict]:
    """The figures at the top, DHIS2 style; each links to the rows it counts."""

    def card(key: str, label: str, value: Any, tone: str, state: str = "") -> dict[str, Any]:
        href = _href(query, state=state, district="", q="") if state or key == "expected" else ""
        return {"key": key, "label": label, "value": value, "tone": tone, "href": href}

    return [
        card("expected", labels.SUMMARY["expected"], expected, "plain"),
        card("received", labels.SUMMARY["received"], counts["received"], "plain", "received"),
        card(
            "reporting_rate",
            labels.SUMMARY["reporting_rate"],
            percent(counts["received"], expected),
            "plain",
        ),
        card("on_time", labels.SUMMARY["on_time"], counts["on_time"], "good", "on_time"),
        card(
            "on_time_rate",
            labels.SUMMARY["on_time_rate"],
            percent(counts["on_time"], expected),
            "good",
        ),
        card("late", labels.SUMMARY["late"], counts["late"], "warn", "late"),
        card("missing", labels.SUMMARY["missing"], counts["missing"], "bad", "missing"),
        card(
            "must_resubmit",
            "ต้องส่งใหม่ (ต้องแก้ไข + เปิดไฟล์ไม่ได้)",
            counts["rejected"] + counts["quarantined"],
            "bad",
        ),
        card("rejected", labels.SUMMARY["rejected"], counts["rejected"], "bad", "rejected"),
        card(
            "quarantined",
            labels.SUMMARY["quarantined"],
            counts["quarantined"],
            "bad",
            "quarantined",
        ),
        card(
            "accepted_with_warnings",
            labels.SUMMARY["accepted_with_warnings"],
            counts["accepted_with_warnings"],
            "warn",
            "accepted_with_warnings",
        ),
        card("accepted", labels.SUMMARY["accepted"], counts["accepted"], "good", "accepted"),
        card(
            "resubmitted",
            STATE_FILTERS["resubmitted"],
            counts["resubmitted"],
            "plain",
            "resubmitted",
        ),
        card(
            "unmatched", labels.SECTIONS["unmatched"], unmatched, "warn" if unmatched else "plain"
        ),
    ]


def build_view(
    data: ReportData,
    query: Query,
    *,
    rounds: list[dict[str, Any]] | None = None,
    reports: list[dict[str, Any]] | None = None,
    provinces: list[str] | None = None,
) -> dict[str, Any]:
    """Everything the page shows for one round, formatted, filtered and JSON-ready."""
    head = heading_view(data)
    ordered = sorted(
        data.laos,
        key=lambda x: (
            thai_key(clean(x.province)),
            thai_key(clean(x.district)),
            thai_key(clean(x.name_th)),
        ),
    )
    rows = [_row(i, lao, head["due_short"]) for i, lao in enumerate(ordered, 1)]
    shown = [r for r in rows if matches(r, query.state, query.district, query.q)]
    counts = _state_counts(rows)
    unmatched = [_unmatched(u) for u in data.unmatched_files]
    several = data.province is None
    districts = sorted({r["district"] for r in rows}, key=thai_key)
    round_list = list(rounds or [])
    if not any(
        (r["fiscal_year"], r["round"]) == (query.fiscal_year, query.round) for r in round_list
    ):
        round_list.append(round_item(query.fiscal_year, query.round, 0))
    for r in round_list:
        r["href"] = _href(query, fy=r["fiscal_year"], round=r["round"], state="", district="", q="")
        r["current"] = (r["fiscal_year"], r["round"]) == (query.fiscal_year, query.round)
    stem = _report_stem(data)
    files = list(reports or [])
    return {
        **head,
        "page_title": "ติดตามการส่งรายงาน",
        "query": {**asdict(query), "province": query.province or ""},
        "filtering": bool(query.state or query.district or query.q),
        "state_label": STATE_FILTERS.get(query.state, ""),
        "expected": len(rows),
        "counts": counts,
        "figures": summarize(data),  # the same figures as ``itaflow status`` and the report
        "summary": _summary(counts, len(rows), len(unmatched), query),
        "states": [
            {"key": k, "label": v, "count": counts[k], "href": _href(query, state=k)}
            for k, v in STATE_FILTERS.items()
        ],
        "districts": [
            {**d, "href": _href(query, district=d["district"], state="", q="")}
            for d in _district_rows(rows, several)
        ],
        "district_names": districts,
        "rows": shown,
        "unmatched": unmatched,
        "rounds": round_list,
        "fiscal_years": sorted({r["fiscal_year"] for r in round_list}, reverse=True),
        "round_names": [{"key": k, "label": labels.ROUNDS[k]} for k in periods.ROUNDS],
        "provinces": provinces or [],
        "reports": [f for f in files if f["stem"] == stem],
        "other_reports": [f for f in files if f["stem"] != stem],
        "clear_href": _href(query, state="", district="", q=""),
        "columns": labels.COLUMNS,
        "summary_labels": labels.SUMMARY,
        "sections": labels.SECTIONS,
    }


def _report_stem(data: ReportData) -> str:
    from itaflow.compile import report_stem

    return report_stem(data)


# --- compiled report files -----------------------------------------------------------

_FORMAT_TH = {"html": "หน้าเว็บ (HTML)", "pdf": "PDF", "xlsx": "Excel (XLSX)"}


def list_reports(folder: Path) -> list[dict[str, Any]]:
    """The compiled reports (``ita-*.html|pdf|xlsx``) in ``folder`` and in its round
    folders (``<fiscal year>-<round>/``, where ``compile`` files them), newest first.

    Only regular files, no links, and only those two levels: serving a name from this
    list can never reach outside the folder.
    """
    from itaflow.warehouse.db import BANGKOK

    entries = _report_entries(Path(folder))
    found = []
    for path in entries:
        if not REPORT_FILE.match(path.name) or path.is_symlink() or not path.is_file():
            continue
        stat = path.stat()
        fmt = path.suffix[1:]
        found.append(
            {
                "name": path.name,
                "stem": path.name[: -len(path.suffix)],
                "format": fmt,
                "format_th": _FORMAT_TH[fmt],
                "size": stat.st_size,
                "size_th": _size_th(stat.st_size),
                "modified_at": thai_datetime(
                    datetime.fromtimestamp(stat.st_mtime, BANGKOK)
                    .replace(tzinfo=None)
                    .isoformat(timespec="minutes")
                ),
                "href": "reports/" + quote(path.name),
                "mtime": stat.st_mtime,
            }
        )
    found.sort(key=lambda f: (-f["mtime"], f["name"]))
    for f in found:
        del f["mtime"]
    return found


ROUND_DIR = re.compile(r"^\d{4}-(H1|FY)$")


def _report_entries(folder: Path) -> list[Path]:
    """Files directly in ``folder`` and in its round folders; never through a link."""
    try:
        top = list(folder.iterdir())
    except OSError:
        return []
    entries = []
    for path in top:
        if ROUND_DIR.match(path.name) and path.is_dir() and not path.is_symlink():
            try:
                entries.extend(path.iterdir())
            except OSError:
                continue
        else:
            entries.append(path)
    return entries


def _size_th(size: int) -> str:
    if size < 1024:
        return f"{size} ไบต์"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def report_file(folder: Path, name: str) -> Path | None:
    """The path of a compiled report named ``name``, only if ``list_reports`` lists it."""
    if not any(item["name"] == name for item in list_reports(folder)):
        return None
    return next(p for p in _report_entries(Path(folder)) if p.name == name)


# --- one call for the page and the API ---------------------------------------------------


def monitor_view(
    settings: Settings,
    params: Mapping[str, Any],
    *,
    today: date | None = None,
) -> dict[str, Any]:
    """The page for one request's parameters (``fy``, ``round``, ``province``, ``state``,
    ``district``, ``q``). Raises ``MonitorError`` for a request it cannot answer."""
    from itaflow import registry
    from itaflow.warehouse import report_data
    from itaflow.warehouse.db import BANGKOK

    province = parse_province(params.get("province"), settings)
    rounds = available_rounds(settings.warehouse_url, province)
    query = parse_query(params, province, rounds, today or datetime.now(BANGKOK).date())
    data = report_data(settings.warehouse_url, query.fiscal_year, query.round, province, settings)
    return build_view(
        data,
        query,
        rounds=rounds,
        reports=list_reports(settings.reports_out),
        provinces=registry.provinces(),
    )


# --- the matrix: LAOs (by district) × rounds ------------------------------------------

MATRIX_ROUNDS = 6  # columns shown: the newest rounds the warehouse knows
_WHY_REPLACED = {
    "rejected": "ฉบับนี้ต้องแก้ไข หน่วยงานจึงส่งฉบับแก้ไขมาแทน",
    "quarantined": "เปิดไฟล์นี้ไม่ได้ หน่วยงานจึงส่งไฟล์ใหม่มาแทน",
    "accepted_with_warnings": "หน่วยงานส่งฉบับปรับปรุงมาแทน",
    "accepted": "หน่วยงานส่งฉบับใหม่มาแทน",
}


def state_label(state: str) -> str:
    """The officer's word for an LAO's state (``itaflow.status``: received – must resubmit)."""
    from itaflow.status import STATE_KEY, STATE_TH

    return STATE_TH.get(STATE_KEY.get(state, state), labels.STATES.get(state, state))


def matrix_view(
    settings: Settings, params: Mapping[str, Any], *, today: date | None = None
) -> dict[str, Any]:
    """LAOs grouped by district × the newest rounds, one state per cell, with filters
    (``district``, ``q``, and ``state`` in the round ``fy``/``round``)."""
    from itaflow.warehouse import due_dates, round_matrix
    from itaflow.warehouse.db import BANGKOK, local_time

    province = parse_province(params.get("province"), settings)
    rounds = available_rounds(settings.warehouse_url, province)
    query = parse_query(params, province, rounds, today or datetime.now(BANGKOK).date())
    columns = [(r["fiscal_year"], r["round"]) for r in rounds[:MATRIX_ROUNDS]]
    if (query.fiscal_year, query.round) not in columns:
        columns.insert(0, (query.fiscal_year, query.round))
    dues = due_dates(settings.warehouse_url, columns, settings)
    found = round_matrix(settings.warehouse_url, province)
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for lao in found["laos"]:
        cells = []
        for c in columns:
            cell = found["cells"].get(lao["lao_code"], {}).get(c)
            state = cell["status"] if cell else "missing"
            first = local_time(cell["first_received_at"]) if cell else None
            on_time = None if first is None else first.date() <= dues[c]
            cells.append(
                {
                    "fiscal_year": c[0],
                    "round": c[1],
                    "state": state,
                    "state_th": state_label(state),
                    "version": cell["version"] if cell else 0,
                    "on_time": on_time,
                    "late": on_time is False,
                }
            )
        row = {
            "lao_code": clean(lao["lao_code"]),
            "name": clean(lao["full_name_th"]),
            "type": clean(lao["type_th"]),
            "district": clean(lao["district_th"]),
            "province": clean(lao["province_th"]),
            "cells": cells,
            "href": f"lao/{quote(clean(lao['lao_code']))}",
        }
        chosen = next(
            x for x in cells if (x["fiscal_year"], x["round"]) == (query.fiscal_year, query.round)
        )
        row["state"] = chosen["state"]
        row["on_time"] = chosen["on_time"]
        row["original_name"] = ""
        row["version"] = chosen["version"]
        if not matches(row, query.state, query.district, query.q):
            continue
        counts[chosen["state"]] += 1
        groups[(row["province"], row["district"])].append(row)
    districts = [
        {"district": d or "ไม่ระบุอำเภอ", "province": p, "laos": members}
        for (p, d), members in sorted(
            groups.items(), key=lambda kv: (thai_key(kv[0][0]), thai_key(kv[0][1]))
        )
    ]
    return {
        "page_title": "ติดตามการส่งรายงาน · ภาพรวมรายหน่วยงาน",
        "where": f"จังหวัด{province}" if province else "ทุกจังหวัด",
        "query": {**asdict(query), "province": query.province or ""},
        "columns": [
            {"fiscal_year": fy, "round": r, "label": f"{fy} {labels.ROUNDS[r]}"}
            for fy, r in columns
        ],
        "districts": districts,
        "shown": sum(len(d["laos"]) for d in districts),
        "counts": dict(counts),
        "states": [{"key": k, "label": v} for k, v in STATE_FILTERS.items()],
        "district_names": sorted({lao["district_th"] for lao in found["laos"]}, key=thai_key),
        "rounds": rounds,
        "legend": [
            {"state": s, "label": state_label(s)}
            for s in ("accepted", "accepted_with_warnings", "rejected", "quarantined", "missing")
        ],
    }


# --- one LAO: every version it sent ----------------------------------------------------


def lao_view(settings: Settings, lao_code: str) -> dict[str, Any]:
    """An LAO's history: per round, every version (superseded ones with when and why),
    each version's findings and a download link by the file's hash."""
    from itaflow.warehouse import lao_history

    code = clean(lao_code)
    if not re.fullmatch(r"\d{1,16}", code):
        raise MonitorError("รหัส อปท. ไม่ถูกต้อง / bad lao_code", 404)
    found = lao_history(settings.warehouse_url, code)
    if found is None:
        raise MonitorError(f"ไม่พบ อปท. รหัส {code} / unknown LAO", 404)
    lao = found["lao"]
    rounds: dict[tuple[Any, Any], list[dict[str, Any]]] = defaultdict(list)
    for s in found["submissions"]:
        rounds[(s["fiscal_year"], s["round"])].append(_version_item(s))
    ordered = sorted(
        rounds.items(), key=lambda kv: (-(kv[0][0] or 0), -_ROUND_ORDER.get(kv[0][1] or "", -1))
    )
    return {
        "page_title": "ประวัติการส่งรายงาน",
        "lao": {
            "lao_code": code,
            "name": clean(lao["full_name_th"]),
            "type": clean(lao["type_th"]),
            "district": clean(lao["district_th"]),
            "province": clean(lao["province_th"]),
        },
        "rounds": [
            {
                "fiscal_year": fy,
                "round": rnd,
                "label": f"ปีงบประมาณ {fy} {labels.ROUNDS.get(rnd, rnd)}"
                if fy and rnd
                else "ไม่ระบุรอบ",
                "href": _href(Query(fy, rnd, clean(lao["province_th"])), q=code)
                if fy and rnd
                else "",
                "versions": versions,
            }
            for (fy, rnd), versions in ordered
        ],
        "submissions": len(found["submissions"]),
    }


def _version_item(s: dict[str, Any]) -> dict[str, Any]:
    state = s["status"]
    sup = s["superseded"]
    return {
        "submission_id": s["id"],
        "version": s["version"],
        "version_th": f"ฉบับที่ {s['version']}" if s["version"] else "ไม่นับเป็นฉบับ",
        "current": bool(s["is_current"]),
        "state": state,
        "state_th": state_label(state),
        "reason": clean(s["reason"]),
        "received_at": thai_datetime(clean(s["received_at"]) or None),
        "received_iso": clean(s["received_at"]),
        "file": clean(s["original_name"]),
        "format": clean(s["format"]),
        "size": s["size"],
        "sha256": s["sha256"],
        "download": f"files/{s['sha256']}",
        "superseded": (
            {
                "by_version": sup["by_version"],
                "at": thai_datetime(clean(sup["at"]) or None),
                "why": _WHY_REPLACED.get(state, "หน่วยงานส่งฉบับใหม่มาแทน"),
            }
            if sup
            else None
        ),
        "findings": [
            {
                "check": clean(f["check_id"]),
                "check_th": labels.CHECKS.get(f["check_id"], clean(f["check_id"])),
                "severity": f["severity"],
                "severity_th": labels.SEVERITIES.get(f["severity"], clean(f["severity"])),
                "field": clean(f["field"]),
                "field_th": labels.FIELDS.get(f["field"] or "", clean(f["field"])),
                "measure_seq": f["measure_seq"],
                "message": clean(f["message"], oneline=False),
            }
            for f in s["findings"]
        ],
    }


def original_download(settings: Settings, sha256: str) -> tuple[Path, str] | None:
    """The kept original with this hash and the name it arrived under, or None.

    The path is derived from the hash alone (``collect.stored_path_for`` under the
    store), never from the request or a stored path; the hash must be a submission's.
    """
    from itaflow.collect import stored_path_for
    from itaflow.warehouse import original_file

    row = original_file(settings.warehouse_url, sha256)
    if row is None:
        return None
    store = settings.store.resolve()
    path = stored_path_for(store, row["sha256"])
    try:
        path.resolve(strict=True).relative_to(store)
    except (OSError, ValueError):
        return None
    if path.is_symlink() or not path.is_file():
        return None
    return path, clean(row["original_name"]) or f"{row['sha256']}.bin"
