"""ReportData → one plain, JSON-ready view that every renderer shows as is.

The HTML template, the Typst template (through JSON inputs), the XLSX writer and
the mails all read this one dict, so they never disagree on a count, a label or a
date, and no renderer formats anything itself. Words, figures, tables and rows come
from ``itaflow.present`` (which the monitoring page and the CLI use too); this
module puts the report's sections together.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from itaflow.compile import analysis
from itaflow.compile.activity import activity
from itaflow.models import ReportData
from itaflow.present import vocabulary as labels
from itaflow.present.counts import percent, state_counts, with_rates
from itaflow.present.heading import heading_view, office_view
from itaflow.present.rows import lao_row, unmatched_row
from itaflow.present.tables import district_rows, type_rows
from itaflow.present.text import clean, safe_href, thai_key

_STATE_ORDER = ("missing", "quarantined", "rejected", "accepted_with_warnings", "accepted")


def _category_rows(counts: dict[Any, int]) -> list[dict[str, Any]]:
    """Measures per IIT/EIT/OIT; an empty key is "not stated", an unexpected one is kept."""
    merged: dict[str | None, int] = defaultdict(int)
    for key, n in counts.items():
        merged[None if key in (None, "", "None", "null") else clean(key)] += n
    order = [k for k in labels.CATEGORIES if k in merged]
    order += sorted(k for k in merged if k not in labels.CATEGORIES)
    total = sum(merged.values())
    return [
        {
            "category": k or "",
            "label": labels.CATEGORIES.get(k, k),
            "count": merged[k],
            "share": percent(merged[k], total),
        }
        for k in order
    ]


def _check_rows(data: ReportData, laos: list[dict[str, Any]]) -> list[dict[str, Any]]:
    who: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for lao in laos:
        for f in lao["findings"]:
            who[f["check"]].append({"name": lao["name"], "district": lao["district"], **f})
    ids = list(data.check_counts) + [c for c in who if c not in data.check_counts]
    rows = [
        {
            "check": clean(c),
            "check_th": labels.CHECKS.get(c, clean(c)),
            "count": data.check_counts.get(c, len(who[c])),
            "items": who.get(c, []),
        }
        for c in ids
    ]
    return sorted(rows, key=lambda r: -r["count"])


def annex_rows(act: Any, laos: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every measure of every LAO for the XLSX annex (all states; the state is a column),
    in the order of the LAO list, then document order."""
    from itaflow.compile.themes import load_themes

    names = {t.key: t.label for t in load_themes()}
    by_code = {row["lao_code"]: row for row in laos}
    order = {row["lao_code"]: row["seq"] for row in laos}
    rows = []
    for m in sorted(act.rows, key=lambda r: (order.get(r["lao"].lao_code, 0), r["position"])):
        lao = by_code.get(clean(m["lao"].lao_code))
        if lao is None:
            continue
        rows.append(
            {
                "lao_code": lao["lao_code"],
                "name": lao["name"],
                "type": lao["type"],
                "district": lao["district"],
                "state_th": lao["state_th"],
                "received_iso": lao["received_iso"],
                "seq": m["seq"],
                "indicator": clean(m.get("indicator")),
                "category_stated": m["category_stated"] or "",
                "category_used": labels.CATEGORIES.get(m["category_used"], ""),
                "category_code": m["category_used"] or "",
                "themes": "; ".join(names.get(k, k) for k in m["themes"]) or labels.NO_THEME,
                "theme_keys": ";".join(m["themes"]),
                "measure": clean(m.get("measure"), oneline=False),
                "steps": clean(m.get("steps"), oneline=False),
                "responsible": ", ".join(clean(x) for x in m.get("responsible") or []),
                "period_text": clean(m.get("period_text")),
                "period_start": m["period_start"].isoformat() if m.get("period_start") else "",
                "period_end": m["period_end"].isoformat() if m.get("period_end") else "",
                "result": clean(m.get("result"), oneline=False),
                "outcome": clean(m.get("outcome"), oneline=False),
                "status": m["status"],
                "status_th": labels.MEASURE_STATUS.get(m["status"], ""),
            }
        )
    return rows


def report_view(data: ReportData) -> dict[str, Any]:
    """Everything the report shows, formatted and labelled, as JSON-ready data."""
    head = heading_view(data)
    ordered = sorted(
        data.laos, key=lambda x: (thai_key(clean(x.district)), thai_key(clean(x.name_th)))
    )
    laos = [lao_row(i, lao, head["due_short"]) for i, lao in enumerate(ordered, 1)]
    counts = state_counts(data.laos)
    summary = [
        {"key": k, "label": labels.SUMMARY[k], "value": v} for k, v in with_rates(counts).items()
    ]
    must_act = sorted(
        (row for row in laos if row["action"]),
        key=lambda r: (
            _STATE_ORDER.index(r["state"]),
            thai_key(r["district"]),
            thai_key(r["name"]),
        ),
    )
    act = activity(data)
    categories = analysis.category_rows(act)
    themes = analysis.theme_rows(act)
    districts = district_rows(data.laos, data.province is None)
    checks = _check_rows(data, laos)
    received = counts["received"]
    for c in checks:
        c["laos"] = len({f["name"] + f["district"] for f in c["items"]})
        c["share"] = percent(c["laos"], received)
    return {
        **head,
        **office_view(data),
        "counts": counts,
        "types": type_rows(data.laos),
        "activity": analysis.activity_summary(act),
        "category_status": categories,
        "themes": themes,
        "comparison": analysis.comparison(data, act, labels.STATES),
        "recurring": analysis.recurring_rows(data),
        "top_checks": checks[:10],
        "late": [row for row in laos if row["on_time"] is False],
        "annex": annex_rows(act, laos),
        "charts": analysis.chart_specs(districts, categories, themes, data.trend),
        "summary": summary,
        "districts": districts,
        "must_act": must_act,
        "laos": laos,
        "checks": checks,
        "categories": _category_rows(data.category_counts),
        "data_docs": [{"text": clean(p), "href": safe_href(p)} for p in data.data_docs],
        "unmatched": [unmatched_row(u) for u in data.unmatched_files],
        "labels": {
            "summary": labels.SUMMARY,
            "columns": labels.COLUMNS,
            "sections": labels.SECTIONS,
            "metrics": labels.METRICS,
            "status": labels.MEASURE_STATUS,
        },
    }
