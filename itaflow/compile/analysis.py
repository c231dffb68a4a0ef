"""The report's analytical sections as view rows: what the LAOs did (category,
theme, status), the comparison with earlier rounds, recurring problems and the charts.

Like ``view``, everything here is labelled and formatted once for every renderer;
the numbers come from ``activity`` (counts) and ``ReportData``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from itaflow.compile import activity as act_mod
from itaflow.compile import charts
from itaflow.compile.themes import load_themes
from itaflow.models import LaoRoundStatus, ReportData
from itaflow.present import vocabulary as labels
from itaflow.present.counts import percent, share


def round_label(fiscal_year: int, round_: str) -> str:
    return f"{fiscal_year} {labels.ROUNDS.get(round_, round_)}"


def _status_cells(counts: Counter[str]) -> dict[str, Any]:
    total = sum(counts.values())
    return {
        **{k: counts[k] for k in act_mod.STATUSES},
        "total": total,
        "share_done": percent(counts["done"], total),
    }


def category_rows(act: act_mod.Activity) -> list[dict[str, Any]]:
    """Per IIT/EIT/OIT: as stated, inferred from the theme, and by status; then the
    measures whose category is still unknown, shown as such."""
    rows = []
    for cat in act_mod.CATEGORIES:
        counts = act.by_category.get(cat, Counter())
        rows.append(
            {
                "category": cat or "",
                "label": labels.CATEGORIES[cat],
                "stated": act.stated[cat] if cat else 0,
                "inferred": act.inferred[cat] if cat else 0,
                "share": percent(sum(counts.values()), act.measures),
                **_status_cells(counts),
            }
        )
    total = Counter(act.status)
    rows.append(
        {
            "category": "total",
            "label": "รวม",
            "stated": sum(v for k, v in act.stated.items() if k),
            "inferred": sum(act.inferred.values()),
            "share": percent(act.measures, act.measures),
            **_status_cells(total),
        }
    )
    return rows


def theme_rows(act: act_mod.Activity) -> list[dict[str, Any]]:
    """Per theme (configured order, then "no theme found"): measures, LAOs, status."""
    names = {t.key: t.label for t in load_themes()}
    rows = []
    for key, counts in act.by_theme.items():
        n = sum(counts.values())
        if key is not None and n == 0:
            continue
        rows.append(
            {
                "key": key or "",
                "label": names.get(key, labels.NO_THEME) if key else labels.NO_THEME,
                "laos": len(act.theme_laos.get(key, ())),
                "share": percent(n, act.measures),
                **_status_cells(counts),
            }
        )
    return rows


def activity_summary(act: act_mod.Activity) -> dict[str, Any]:
    unknown = act.by_category.get(None, Counter())
    n_unknown = sum(unknown.values())
    no_theme = sum(act.by_theme.get(None, Counter()).values())
    return {
        "laos": act.laos_counted,
        "measures": act.measures,
        "per_lao": f"{act.per_lao:.1f}" if act.per_lao is not None else "–",
        "share_done": percent(act.status["done"], act.measures),
        "inferred": sum(act.inferred.values()),
        "unknown_category": n_unknown,
        "unknown_share": percent(n_unknown, act.measures),
        "no_theme": no_theme,
        "no_theme_share": percent(no_theme, act.measures),
    }


def _fmt(metric: str, value: float | None) -> str:
    if value is None:
        return "–"
    if metric in ("reporting_rate", "on_time_rate", "share_done"):
        return f"{100 * value:.1f}%"
    return f"{value:.1f}" if metric == "measures_per_lao" else f"{value:.0f}"


def _change(metric: str, before: float | None, now: float | None) -> str:
    if before is None or now is None:
        return "–"
    diff = now - before
    if metric in ("reporting_rate", "on_time_rate", "share_done"):
        return f"{100 * diff:+.1f} จุด"
    return f"{diff:+.1f}" if metric == "measures_per_lao" else f"{diff:+.0f}"


def comparison(
    data: ReportData, act: act_mod.Activity, state_label: dict[str, str]
) -> list[dict[str, Any]]:
    """One block per earlier round with data: the figures side by side, themes, movers."""
    now = act_mod.rates(data, act)
    names = {t.key: t.label for t in load_themes()}
    blocks = []
    for prev in data.previous:
        prev_act = act_mod.activity(prev)
        before = act_mod.rates(prev, prev_act)
        metrics = [
            {
                "label": label,
                "previous": _fmt(key, before[key]),
                "current": _fmt(key, now[key]),
                "change": _change(key, before[key], now[key]),
            }
            for key, label in labels.METRICS.items()
        ]
        themes = []
        for key, label in names.items():
            a = sum(prev_act.by_theme.get(key, Counter()).values())
            b = sum(act.by_theme.get(key, Counter()).values())
            if a or b:
                themes.append(
                    {"label": label, "previous": a, "current": b, "change": f"{b - a:+d}"}
                )
        moved = act_mod.movers(data, prev)
        rows = [
            {
                "name": m["lao"].name_th,
                "district": m["lao"].district,
                "from_state": _state_text(m["before"], state_label),
                "to_state": _state_text(m["lao"], state_label),
                "improved": m["improved"],
                "direction": "ดีขึ้น" if m["improved"] else "ลดลง",
            }
            for m in moved
        ]
        rows.sort(key=lambda r: (not r["improved"], r["district"], r["name"]))
        blocks.append(
            {
                "label": round_label(prev.fiscal_year, prev.round),
                "metrics": metrics,
                "themes": themes,
                "improved": sum(1 for r in rows if r["improved"]),
                "fell_back": sum(1 for r in rows if not r["improved"]),
                "movers": rows,
            }
        )
    return blocks


def _state_text(lao: LaoRoundStatus, state_label: dict[str, str]) -> str:
    text = state_label.get(lao.state, lao.state)
    if lao.on_time is not None:
        text += f" ({labels.TIMELINESS[lao.on_time]})"
    return text


def recurring_rows(data: ReportData) -> list[dict[str, Any]]:
    rows = [
        {
            "name": r["lao"].name_th,
            "district": r["lao"].district,
            "lao_code": r["lao"].lao_code,
            "check": r["check"],
            "check_th": labels.CHECKS.get(r["check"], r["check"]),
            "times": len(r["rounds"]),
            "rounds": ", ".join(round_label(fy, rnd) for fy, rnd in r["rounds"]),
        }
        for r in act_mod.recurring(data)
    ]
    return sorted(rows, key=lambda r: (-r["times"], r["district"], r["name"], r["check"]))


def chart_specs(
    districts: list[dict[str, Any]],
    categories: list[dict[str, Any]],
    themes: list[dict[str, Any]],
    trend: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """The report's charts, from the same rows its tables show."""
    rate = labels.SUMMARY
    specs = [
        charts.bars(
            "districts",
            "อัตราการรายงานและการส่งตรงเวลา รายอำเภอ",
            [rate["reporting_rate"], rate["on_time_rate"]],
            [
                (
                    d["label"],
                    [share(d["received"], d["expected"]), share(d["on_time"], d["expected"])],
                )
                for d in districts
                if not d["total"]
            ],
            unit="%",
            top=100,
        )
    ]
    if any(t["total"] for t in themes):
        specs.append(
            charts.bars(
                "themes",
                "จำนวนมาตรการจำแนกตามประเด็น",
                ["จำนวนมาตรการ"],
                [(t["label"], [t["total"]]) for t in themes],
            )
        )
    status_names = [labels.MEASURE_STATUS[k] for k in act_mod.STATUSES]
    cats = [c for c in categories if c["category"] != "total" and c["total"]]
    if cats:
        specs.append(
            charts.stacked(
                "status",
                "สถานะการดำเนินการจำแนกตามด้าน",
                status_names,
                [(c["label"], [c[k] for k in act_mod.STATUSES]) for c in cats],
            )
        )
    if len(trend) > 1:
        specs.append(
            charts.bars(
                "trend",
                "แนวโน้มอัตราการรายงานและการส่งตรงเวลา รายรอบ",
                [rate["reporting_rate"], rate["on_time_rate"]],
                [
                    (
                        round_label(t["fiscal_year"], t["round"]),
                        [share(t["received"], t["expected"]), share(t["on_time"], t["expected"])],
                    )
                    for t in trend
                ],
                unit="%",
                top=100,
            )
        )
    return specs
