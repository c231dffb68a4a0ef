"""Quality checks: derived columns in Python, rules in ``expectations/*.json``.

``check_batch`` is the stage: records in, the same records with findings and a
verdict out. ``verdict_of`` is the cheap rule the warehouse and the CLI share.
Great Expectations is imported only when a batch is actually validated.
"""

from itaflow.checks.batch import CheckRun, check_batch
from itaflow.checks.findings import verdict_of

__all__ = ["CheckRun", "check_batch", "verdict_of"]
