"""The round's tables by district and by LAO type, built once for the report and the page.

Each row is a group of LAOs with the same counts (``counts.state_counts``) and
rates, then a total row ("รวม"); the monitor links each district row to its LAOs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from itaflow.models import LaoRoundStatus
from itaflow.present.counts import state_counts, with_rates
from itaflow.present.text import clean, thai_key
from itaflow.present.vocabulary import LAO_TYPES

NO_DISTRICT = "ไม่ระบุอำเภอ"
NO_TYPE = "ไม่ระบุประเภท"
TOTAL = "รวม"


def district_rows(laos: Sequence[LaoRoundStatus], several_provinces: bool) -> list[dict[str, Any]]:
    """One row per district (per province and district when ``several_provinces``), in
    Thai order, then the total. ``district`` is the name the page filters by, ``label``
    what a table shows (with "จ.<province>" when the table spans provinces)."""
    groups: dict[tuple[str, str], list[LaoRoundStatus]] = defaultdict(list)
    for lao in laos:
        province = clean(lao.province) if several_provinces else ""
        groups[(province, clean(lao.district) or NO_DISTRICT)].append(lao)
    rows = []
    for (province, district), members in sorted(
        groups.items(), key=lambda kv: (thai_key(kv[0][0]), thai_key(kv[0][1]))
    ):
        rows.append(
            {
                "district": district,
                "province": province or clean(members[0].province),
                "label": f"{district} จ.{province}" if several_provinces else district,
                "total": False,
                **with_rates(state_counts(members)),
            }
        )
    total = {"district": TOTAL, "province": "", "label": TOTAL, "total": True}
    rows.append({**total, **with_rates(state_counts(laos))})
    return rows


def type_rows(laos: Sequence[LaoRoundStatus]) -> list[dict[str, Any]]:
    """Reporting by LAO type (อบจ. … อบต.), every type listed even when the province has none."""
    groups: dict[str, list[LaoRoundStatus]] = defaultdict(list)
    for lao in laos:
        groups[lao.type_th or ""].append(lao)
    order = list(LAO_TYPES) + sorted(k for k in groups if k not in LAO_TYPES)
    rows = [
        {"type": k or NO_TYPE, "total": False, **with_rates(state_counts(groups[k]))} for k in order
    ]
    rows.append({"type": TOTAL, "total": True, **with_rates(state_counts(laos))})
    return rows
