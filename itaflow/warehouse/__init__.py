"""The warehouse: the only part of itaflow that talks to the database.

SQLite by default (``sqlite:///<ITAFLOW_HOME>/warehouse.db``), PostgreSQL in
production (``ITAFLOW_WAREHOUSE_URL``); the same functions and tests run on both.
Functions take an Engine or a URL and plain data, and return plain data.

One module per thing the warehouse owns; the modules that write are named for
what they write, and the read modules never write (a page view or a compile
leaves the warehouse as it was):

- plumbing: ``db`` (engines, transactions, SQL files, local time), ``bulk`` (values
  as stored, bulk insert, chunked look-ups), ``schema`` (the tables), ``migrate``
  (Alembic ``upgrade``);
- writers: ``registry_sync`` (the ``agencies`` table), ``intake`` (inbox sightings),
  ``receipts`` (files a run found, and the findings decided then), ``judged``
  (``store_judged``: judged submissions, measures, findings), ``versions`` (versions
  per LAO round), ``rounds`` (due dates in force), ``report_runs`` (compiled reports
  and their mail), ``mail_claims``, ``reminders``;
- reads: ``pending`` (submissions to judge), ``report`` (a round's report data),
  ``accounting`` (where each run's files ended), ``history`` (an LAO across rounds).
"""

from itaflow.warehouse.accounting import accounting
from itaflow.warehouse.bulk import LoadError
from itaflow.warehouse.db import engine_for
from itaflow.warehouse.history import lao_history, original_file, round_matrix
from itaflow.warehouse.judged import store_judged, submission_status
from itaflow.warehouse.migrate import current, head, upgrade
from itaflow.warehouse.pending import get_submissions, pending_submissions
from itaflow.warehouse.receipts import register_received
from itaflow.warehouse.registry_sync import sync_registry
from itaflow.warehouse.reminders import claim_reminder, finish_reminder, reminders_on
from itaflow.warehouse.report import report_data, rounds_sent
from itaflow.warehouse.report_runs import (
    mark_mail,
    record_report_run,
    report_run_history,
    report_run_sent,
)
from itaflow.warehouse.rounds import due_dates, ensure_round, set_due_date
from itaflow.warehouse.versions import assign_versions

__all__ = [
    "LoadError",
    "accounting",
    "assign_versions",
    "claim_reminder",
    "current",
    "due_dates",
    "engine_for",
    "ensure_round",
    "finish_reminder",
    "get_submissions",
    "head",
    "lao_history",
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
    "store_judged",
    "submission_status",
    "sync_registry",
    "upgrade",
]
