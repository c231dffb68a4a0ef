"""What the officer asked the monitoring page for: the round, province and filters,
validated, and the links that change one of them.

Only rounds the warehouse knows (or the default round) are read; every text
parameter is made inert and bounded. A request the page cannot answer raises
``MonitorError`` with a Thai message and the HTTP status.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from itaflow import periods
from itaflow.present.text import clean
from itaflow.present.vocabulary import ROUNDS, STATE_FILTERS
from itaflow.settings import Settings

ALL_PROVINCES = "all"  # the ``province`` value that asks for every province
ROUND_ORDER = {r: i for i, r in enumerate(periods.ROUNDS)}
_TEXT_PARAM_LIMIT = 200

# How a filter other than a plain state picks its rows.
_STATE_TEST: dict[str, Callable[[dict[str, Any]], bool]] = {
    "missing": lambda r: r["state"] == "missing",
    "received": lambda r: r["state"] != "missing",
    "on_time": lambda r: r["on_time"] is True,
    "late": lambda r: r["on_time"] is False,
    "resubmitted": lambda r: r["version"] >= 2,
}


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
    return (-fy, -ROUND_ORDER.get(rnd, 0))


def round_label(fiscal_year: int, round: str) -> str:
    return f"ปีงบประมาณ {fiscal_year} {ROUNDS.get(round, round)}"


def round_item(fiscal_year: int, round: str, laos_sent: int) -> dict[str, Any]:
    return {
        "fiscal_year": fiscal_year,
        "round": round,
        "label": round_label(fiscal_year, round),
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
        raise MonitorError(
            f"ยังไม่มีข้อมูล{round_label(fiscal_year, round_)} / no data for this round", 404
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


def read_query(
    settings: Settings, params: Mapping[str, Any], today: date | None
) -> tuple[Query, list[dict[str, Any]]]:
    """The validated query of a page request and the rounds it may choose from."""
    from itaflow.warehouse.db import BANGKOK

    province = parse_province(params.get("province"), settings)
    rounds = available_rounds(settings.warehouse_url, province)
    return parse_query(params, province, rounds, today or datetime.now(BANGKOK).date()), rounds


def href(query: Query, **changes: Any) -> str:
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
