"""The monitoring page's matrix: LAOs (grouped by district) × the newest rounds, one
state per cell, filtered like the round page (``district``, ``q``, and ``state`` in
the chosen round)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import asdict
from datetime import date
from typing import Any
from urllib.parse import quote

from itaflow.monitor.request import matches, read_query
from itaflow.present.tables import NO_DISTRICT
from itaflow.present.text import clean, thai_key
from itaflow.present.vocabulary import ROUNDS, STATE_FILTERS, STATES, state_label
from itaflow.settings import Settings

MATRIX_ROUNDS = 6  # columns shown: the newest rounds the warehouse knows


def matrix_view(
    settings: Settings, params: Mapping[str, Any], *, today: date | None = None
) -> dict[str, Any]:
    """LAOs grouped by district × the newest rounds, one state per cell, with filters
    (``district``, ``q``, and ``state`` in the round ``fy``/``round``)."""
    from itaflow.warehouse import due_dates, round_matrix
    from itaflow.warehouse.db import local_time

    query, rounds = read_query(settings, params, today)
    province = query.province
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
        {"district": d or NO_DISTRICT, "province": p, "laos": members}
        for (p, d), members in sorted(
            groups.items(), key=lambda kv: (thai_key(kv[0][0]), thai_key(kv[0][1]))
        )
    ]
    return {
        "page_title": "ติดตามการส่งรายงาน · ภาพรวมรายหน่วยงาน",
        "where": f"จังหวัด{province}" if province else "ทุกจังหวัด",
        "query": {**asdict(query), "province": query.province or ""},
        "columns": [
            {"fiscal_year": fy, "round": r, "label": f"{fy} {ROUNDS[r]}"} for fy, r in columns
        ],
        "districts": districts,
        "shown": sum(len(d["laos"]) for d in districts),
        "counts": dict(counts),
        "states": [{"key": k, "label": v} for k, v in STATE_FILTERS.items()],
        "district_names": sorted({lao["district_th"] for lao in found["laos"]}, key=thai_key),
        "rounds": rounds,
        "legend": [{"state": s, "label": state_label(s)} for s in STATES],
    }
