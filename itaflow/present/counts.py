"""Every count and rate of a round, computed here once.

DHIS2's vocabulary: expected reports, actual (received) reports, reporting rate =
received ÷ expected, on-time rate = received on time ÷ expected. A file that could
not be opened but was tied to its LAO counts as received – must resubmit, never
as missing:

    received = accepted + accepted_with_warnings + rejected + quarantined
    missing  = expected − received
    must_resubmit = rejected + quarantined

The report, the monitoring page, the mails and ``itaflow status`` all show these
numbers, each in its own format (a percentage string, a fraction).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from itaflow.models import LaoRoundStatus, ReportData
from itaflow.present.vocabulary import STATE_FILTERS

# What ``itaflow status --json`` prints under "summary", in this order.
SUMMARY_KEYS = (
    "expected",
    "received",
    "on_time",
    "late",
    "missing",
    "must_resubmit",
    "accepted",
    "accepted_with_warnings",
    "rejected",
    "unreadable",
    "reporting_rate",
    "on_time_rate",
)


def percent(part: float, whole: float) -> str:
    """A share as the report prints it ("12.5%"), "–" when there is nothing to divide by."""
    return f"{100 * part / whole:.1f}%" if whole else "–"


def share(part: float, whole: float) -> float | None:
    """A share in percent as a chart plots it, None when there is nothing to divide by."""
    return 100 * part / whole if whole else None


def rate(part: float, whole: float) -> float:
    """A share as a fraction 0..1, 0 when there is nothing to divide by."""
    return part / whole if whole else 0.0


def state_counts(laos: Sequence[LaoRoundStatus]) -> dict[str, int]:
    """Expected, received, on time, late, missing and each state: the one count of a
    group of LAOs that every summary, district row and LAO-type row shows."""
    states = Counter(lao.state for lao in laos)
    expected = len(laos)
    return {
        "expected": expected,
        "received": expected - states["missing"],
        "on_time": sum(1 for lao in laos if lao.on_time),
        "late": sum(1 for lao in laos if lao.on_time is False),
        "missing": states["missing"],
        "accepted": states["accepted"],
        "accepted_with_warnings": states["accepted_with_warnings"],
        "rejected": states["rejected"],
        "quarantined": states["quarantined"],
        "must_resubmit": states["rejected"] + states["quarantined"],
    }


def with_rates(counts: dict[str, int]) -> dict[str, Any]:
    """The counts plus both rates as the report prints them."""
    return {
        **counts,
        "reporting_rate": percent(counts["received"], counts["expected"]),
        "on_time_rate": percent(counts["on_time"], counts["expected"]),
    }


def filter_counts(laos: Sequence[LaoRoundStatus]) -> dict[str, int]:
    """How many LAOs each of the monitor's filters shows (``STATE_FILTERS``' order):
    the state counts plus those that sent a second version or more."""
    counts = {**state_counts(laos), "resubmitted": sum(1 for lao in laos if lao.version >= 2)}
    return {key: counts[key] for key in STATE_FILTERS}


def summarize(data: ReportData) -> dict[str, Any]:
    """The round's figures (``SUMMARY_KEYS``; a quarantined file is "unreadable"),
    rates as fractions 0..1 rounded to 4 places: ``itaflow status`` and the monitor."""
    c = state_counts(data.laos)
    figures = {
        **c,
        "unreadable": c["quarantined"],
        "reporting_rate": round(rate(c["received"], c["expected"]), 4),
        "on_time_rate": round(rate(c["on_time"], c["expected"]), 4),
    }
    return {key: figures[key] for key in SUMMARY_KEYS}
