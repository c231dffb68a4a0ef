"""What the LAOs did: measures by ITA category and theme, their status, and how a round
compares with earlier ones. Numbers only (counts and fractions); ``view`` labels them.

Only measures of reports that passed the checks (accepted, with or without warnings)
are counted, the same rule as ``ReportData.category_counts``: a rejected report's
measures are not yet the LAO's word.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from itaflow.compile.themes import Theme, assign, infer_category, load_themes
from itaflow.models import LaoRoundStatus, ReportData

COUNTED = ("accepted", "accepted_with_warnings")
CATEGORIES = ("IIT", "EIT", "OIT", None)
STATUSES = ("done", "in_progress", "not_started", "unknown")
# How good an LAO's round is, worst to best: the comparison calls a rise "improved".
STATE_RANK = {
    "missing": 0,
    "quarantined": 1,
    "rejected": 1,
    "accepted_with_warnings": 2,
    "accepted": 3,
}


@dataclass
class Activity:
    """One round's measures, counted."""

    laos_counted: int = 0  # LAOs whose measures count
    measures: int = 0
    status: Counter[str] = field(default_factory=Counter)
    stated: Counter[str | None] = field(default_factory=Counter)  # category as written
    inferred: Counter[str] = field(default_factory=Counter)  # category from the themes
    by_category: dict[str | None, Counter[str]] = field(default_factory=dict)  # cat -> status
    by_theme: dict[str | None, Counter[str]] = field(default_factory=dict)  # theme -> status
    theme_laos: dict[str | None, set[str]] = field(default_factory=dict)  # theme -> LAO codes
    rows: list[dict[str, Any]] = field(default_factory=list)  # every measure, themed

    @property
    def share_done(self) -> float | None:
        return self.status["done"] / self.measures if self.measures else None

    @property
    def per_lao(self) -> float | None:
        return self.measures / self.laos_counted if self.laos_counted else None


def measure_rows(data: ReportData, themes: tuple[Theme, ...] | None = None) -> list[dict[str, Any]]:
    """Every measure of ``data`` with its LAO, themes and the category used."""
    themes = themes or load_themes()
    by_sub: dict[int, LaoRoundStatus] = {
        lao.submission_id: lao for lao in data.laos if lao.submission_id is not None
    }
    rows = []
    for m in data.measures:
        lao = by_sub.get(m["submission_id"])
        if lao is None:
            continue
        keys = assign(m.get("measure") or "", m.get("steps") or "", themes)
        stated = m.get("category") if m.get("category") in ("IIT", "EIT", "OIT") else None
        rows.append(
            {
                **m,
                "lao": lao,
                "themes": keys,
                "category_stated": stated,
                "category_used": infer_category(stated, keys, themes),
                "status": m.get("status") if m.get("status") in STATUSES else "unknown",
            }
        )
    return rows


def activity(data: ReportData, themes: tuple[Theme, ...] | None = None) -> Activity:
    """Count the measures of the LAOs whose report passed."""
    themes = themes or load_themes()
    act = Activity(rows=measure_rows(data, themes))
    act.by_category = {c: Counter() for c in CATEGORIES}
    act.by_theme = {t.key: Counter() for t in themes} | {None: Counter()}
    act.theme_laos = defaultdict(set)
    act.laos_counted = sum(1 for lao in data.laos if lao.state in COUNTED)
    for row in act.rows:
        if row["lao"].state not in COUNTED:
            continue
        status = row["status"]
        act.measures += 1
        act.status[status] += 1
        act.stated[row["category_stated"]] += 1
        if row["category_stated"] is None and row["category_used"]:
            act.inferred[row["category_used"]] += 1
        act.by_category[row["category_used"]][status] += 1
        for key in row["themes"] or [None]:
            act.by_theme[key][status] += 1
            act.theme_laos[key].add(row["lao"].lao_code)
    return act


def rates(data: ReportData, act: Activity | None = None) -> dict[str, float | None]:
    """The figures a round is compared on (fractions; None when there is nothing to divide)."""
    act = act or activity(data)
    return {
        "reporting_rate": data.reporting_rate if data.expected else None,
        "on_time_rate": data.on_time_rate if data.expected else None,
        "measures_per_lao": act.per_lao,
        "share_done": act.share_done,
        "themes_covered": float(sum(1 for k, c in act.by_theme.items() if k and sum(c.values()))),
    }


def movers(current: ReportData, previous: ReportData) -> list[dict[str, Any]]:
    """LAOs whose round got better or worse than in ``previous``: state first, then
    timeliness (late → on time is better)."""
    before = {lao.lao_code: lao for lao in previous.laos}
    moved = []
    for lao in current.laos:
        old = before.get(lao.lao_code)
        if old is None:
            continue
        a = (STATE_RANK.get(old.state, 0), 1 if old.on_time else 0)
        b = (STATE_RANK.get(lao.state, 0), 1 if lao.on_time else 0)
        if a != b:
            moved.append({"lao": lao, "before": old, "improved": b > a})
    return moved


def recurring(data: ReportData) -> list[dict[str, Any]]:
    """LAOs with the same check failing in two or more rounds (current submissions)."""
    rounds: dict[tuple[str, str], set[tuple[int, str]]] = defaultdict(set)
    for h in data.finding_history:
        rounds[(h["lao_code"], h["check"])].add((h["fiscal_year"], h["round"]))
    by_code = {lao.lao_code: lao for lao in data.laos}
    return [
        {"lao": by_code[code], "check": check, "rounds": sorted(seen, key=_order)}
        for (code, check), seen in rounds.items()
        if len(seen) >= 2 and code in by_code
    ]


def _order(key: tuple[int, str]) -> tuple[int, int]:
    return key[0], 0 if key[1] == "H1" else 1
