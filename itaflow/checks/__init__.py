"""Quality checks: derived columns in Python, rules in ``expectations/*.json``.

``judge_records`` is the stage: records in, the same records with findings and a
verdict out. ``verdict_of`` is the cheap rule the warehouse and the CLI share;
importing it loads neither pandas, the registry nor Great Expectations (those
load on first use of ``judge_records``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from itaflow.checks.findings import verdict_of

if TYPE_CHECKING:
    from itaflow.checks.batch import CheckRun, judge_records

__all__ = ["CheckRun", "judge_records", "verdict_of"]


def __getattr__(name: str) -> Any:
    if name in ("CheckRun", "judge_records"):
        from itaflow.checks import batch

        return getattr(batch, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
