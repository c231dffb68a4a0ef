"""The monitoring page for one round: who sent, who is late or missing, who must fix what.

Plain functions from the warehouse's ``ReportData`` to one JSON-ready dict that the
Airflow plugin renders with ``reports/monitor.html.j2`` and serves as JSON. The
words, figures, district table and rows are ``itaflow.present``'s, so the page says
what the compiled report, the mails and ``itaflow status`` say; only the filters,
links and figure cards are the page's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from datetime import date
from typing import Any

from itaflow import periods
from itaflow.models import ReportData
from itaflow.monitor.files import list_reports
from itaflow.monitor.request import Query, href, matches, read_query, round_item
from itaflow.present import vocabulary as words
from itaflow.present.counts import filter_counts, percent, summarize
from itaflow.present.heading import heading_view
from itaflow.present.rows import tracked_row, unmatched_row
from itaflow.present.tables import district_rows
from itaflow.present.text import clean, thai_key
from itaflow.settings import Settings

# The figure cards in the order the page shows them; a card whose key is a filter
# links to the rows it counts, "expected" to all of them.
_CARDS = (
    "expected",
    "received",
    "reporting_rate",
    "on_time",
    "on_time_rate",
    "late",
    "missing",
    "must_resubmit",
    "rejected",
    "quarantined",
    "accepted_with_warnings",
    "accepted",
    "resubmitted",
)
_TONES = {  # the others are "plain"
    **dict.fromkeys(("on_time", "on_time_rate", "accepted"), "good"),
    **dict.fromkeys(("late", "accepted_with_warnings"), "warn"),
    **dict.fromkeys(("missing", "must_resubmit", "rejected", "quarantined"), "bad"),
}


def _filter(key: str) -> str:
    return key if key in words.STATE_FILTERS else ""


def _summary(counts: dict[str, int], expected: int, unmatched: int, query: Query) -> list[dict]:
    """The figures at the top, DHIS2 style; each links to the rows it counts."""
    values = {
        **counts,
        "expected": expected,
        "reporting_rate": percent(counts["received"], expected),
        "on_time_rate": percent(counts["on_time"], expected),
        "must_resubmit": counts["rejected"] + counts["quarantined"],
    }
    cards = [
        {
            "key": key,
            "label": words.FIGURES[key],
            "value": values[key],
            "tone": _TONES.get(key, "plain"),
            "href": href(query, state=_filter(key), district="", q="")
            if key in words.STATE_FILTERS or key == "expected"
            else "",
        }
        for key in _CARDS
    ]
    cards.append(
        {
            "key": "unmatched",
            "label": words.SECTIONS["unmatched"],
            "value": unmatched,
            "tone": "warn" if unmatched else "plain",
            "href": "",
        }
    )
    return cards


def build_view(
    data: ReportData,
    query: Query,
    *,
    rounds: list[dict[str, Any]] | None = None,
    reports: list[dict[str, Any]] | None = None,
    provinces: list[str] | None = None,
) -> dict[str, Any]:
    """Everything the page shows for one round, formatted, filtered and JSON-ready."""
    from itaflow.compile import report_stem

    head = heading_view(data)
    ordered = sorted(
        data.laos,
        key=lambda x: (
            thai_key(clean(x.province)),
            thai_key(clean(x.district)),
            thai_key(clean(x.name_th)),
        ),
    )
    rows = [tracked_row(i, lao, head["due_short"]) for i, lao in enumerate(ordered, 1)]
    shown = [r for r in rows if matches(r, query.state, query.district, query.q)]
    counts = filter_counts(data.laos)
    unmatched = [unmatched_row(u) for u in data.unmatched_files]
    round_list = list(rounds or [])
    if not any(
        (r["fiscal_year"], r["round"]) == (query.fiscal_year, query.round) for r in round_list
    ):
        round_list.append(round_item(query.fiscal_year, query.round, 0))
    for r in round_list:
        r["href"] = href(query, fy=r["fiscal_year"], round=r["round"], state="", district="", q="")
        r["current"] = (r["fiscal_year"], r["round"]) == (query.fiscal_year, query.round)
    stem = report_stem(data)
    files = list(reports or [])
    return {
        **head,
        "page_title": "ติดตามการส่งรายงาน",
        "query": {**asdict(query), "province": query.province or ""},
        "filtering": bool(query.state or query.district or query.q),
        "state_label": words.STATE_FILTERS.get(query.state, ""),
        "expected": len(rows),
        "counts": counts,
        "figures": summarize(data),  # the same figures as ``itaflow status`` and the report
        "summary": _summary(counts, len(rows), len(unmatched), query),
        "states": [
            {"key": k, "label": v, "count": counts[k], "href": href(query, state=k)}
            for k, v in words.STATE_FILTERS.items()
        ],
        "districts": [
            {**d, "href": href(query, district=d["district"], state="", q="")}
            for d in district_rows(data.laos, data.province is None)
            if not d["total"]
        ],
        "district_names": sorted({r["district"] for r in rows}, key=thai_key),
        "rows": shown,
        "unmatched": unmatched,
        "rounds": round_list,
        "fiscal_years": sorted({r["fiscal_year"] for r in round_list}, reverse=True),
        "round_names": [{"key": k, "label": words.ROUNDS[k]} for k in periods.ROUNDS],
        "provinces": provinces or [],
        "reports": [f for f in files if f["stem"] == stem],
        "other_reports": [f for f in files if f["stem"] != stem],
        "clear_href": href(query, state="", district="", q=""),
        "columns": words.COLUMNS,
        "summary_labels": words.SUMMARY,
        "sections": words.SECTIONS,
    }


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

    query, rounds = read_query(settings, params, today)
    data = report_data(
        settings.warehouse_url, query.fiscal_year, query.round, query.province, settings
    )
    return build_view(
        data,
        query,
        rounds=rounds,
        reports=list_reports(settings.reports_out),
        provinces=registry.provinces(),
    )
