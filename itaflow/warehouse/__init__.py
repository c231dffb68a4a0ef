"""The warehouse: the only part of itaflow that talks to the database.

SQLite by default (``sqlite:///<ITAFLOW_HOME>/warehouse.db``), PostgreSQL in
production (``ITAFLOW_WAREHOUSE_URL``); the same functions and tests run on both.
Functions take an Engine or a URL and plain data, and return plain data.

- ``db``: engines, transactions, timestamps; ``schema``: the tables;
  ``migrate``: Alembic (``upgrade``);
- ``load``: registry sync, received files, judged submissions (one transaction each);
- ``queries``: the round report, the accounting per run, report runs and mail;
- ``history``: an LAO across rounds (matrix, every version, originals by hash);
- ``reminders``: reminders sent to LAOs, once per LAO, round and day.
"""

from itaflow.warehouse.db import engine_for
from itaflow.warehouse.history import lao_history, original_file, round_matrix
from itaflow.warehouse.load import (
    LoadError,
    assign_versions,
    get_submissions,
    load_batch,
    pending_submissions,
    register_received,
    submission_status,
    sync_registry,
)
from itaflow.warehouse.migrate import current, head, upgrade
from itaflow.warehouse.queries import (
    accounting,
    ensure_round,
    mark_mail,
    record_report_run,
    report_data,
    report_run_history,
    report_run_sent,
    rounds_sent,
    set_due_date,
)
from itaflow.warehouse.reminders import claim_reminder, finish_reminder, reminders_on

__all__ = [
    "LoadError",
    "accounting",
    "assign_versions",
    "claim_reminder",
    "current",
    "engine_for",
    "ensure_round",
    "finish_reminder",
    "get_submissions",
    "head",
    "lao_history",
    "load_batch",
    "mark_mail",
    "original_file",
    "pending_submissions",
    "record_report_run",
    "register_received",
    "reminders_on",
    "report_data",
    "report_run_history",
    "report_run_sent",
    "round_matrix",
    "rounds_sent",
    "set_due_date",
    "submission_status",
    "sync_registry",
    "upgrade",
]
