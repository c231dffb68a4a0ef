"""Quality checks: derived columns in Python, rules in ``expectations/*.json``.

``check_batch`` is the stage: records in, the same records with findings and a
verdict out. ``verdict_of`` is the cheap rule the warehouse and the CLI share;
importing it loads neither pandas, the registry nor Great Expectations (those
load on first use of ``check_batch``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from itaflow.checks.findings import verdict_of

if TYPE_CHECKING:
    from itaflow.checks.batch import CheckRun, check_batch

__all__ = ["CheckRun", "check_batch", "verdict_of"]


def __getattr__(name: str) -> Any:
    if name in ("CheckRun", "check_batch"):
        from itaflow.checks import batch

        return getattr(batch, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
