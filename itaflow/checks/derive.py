"""Derived columns: what Python must compute before an expectation can judge it.

A batch of records becomes two DataFrames, one validation each:

- ``submissions``: one row per record, row id ``submission_key`` (the record's
  index in the batch);
- ``measures``: one row per measure, row ids ``submission_key`` and ``measure_seq``.

Every column here is a fact about the text (a share, a count, a yes/no), never a
verdict: thresholds and severities live in ``expectations/*.json``. A column is
None (null) where the question does not apply — no period to parse, a round that
is not H1, an unreadable file — and Great Expectations skips nulls, so a rule
never fires on a question that was not asked.

The columns of one record are made in ``submission_columns`` and ``measure_columns``
(with ``garbling`` and ``fiscal_years``); this module assembles the tables.
Besides the fields of ``SubmissionRecord``, the columns read these
``record.evidence`` keys when present (all keys: ``itaflow.evidence.Evidence``):

- ``doc_kind`` / ``own_name_variants``: the document kind and the other ways it
  writes its own name, by ``itaflow.evidence`` (computed by the same functions
  when absent);

- ``stated_district`` / ``stated_province``: the อำเภอ / จังหวัด the document
  writes next to its own name (else read from the first lines of the text);
- ``period_source``: where a period came from when the table has no period
  column (such text is no sign of a column shift);
- ``header_row_like`` / ``repeated_header_rows``: measures that read like column
  titles, and measures that follow a header row repeated inside a table;
- ``duplicate_of``: set by the pipeline when the same bytes were received before
  (the earlier file or submission id).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from itaflow.checks.measure_columns import measure_rows
from itaflow.checks.submission_columns import submission_row
from itaflow.models import MEASURE_TEXT_FIELDS, Measure, SubmissionRecord

if TYPE_CHECKING:
    import pandas as pd

ROW_IDS: dict[str, tuple[str, ...]] = {
    "submissions": ("submission_key",),
    "measures": ("submission_key", "measure_seq"),
}


def frames(
    records: list[SubmissionRecord],
    fields: tuple[str, ...],
    rows: list[tuple[dict[str, Any], list[dict[str, Any]]]] | None = None,
) -> dict[str, pd.DataFrame]:
    """The batch as one DataFrame per checked table, keyed by table name.

    ``fields``: the measure fields that get a ``<field>_present`` column
    (``measure_fields``). ``rows``: each record's (submission row, measure rows) when
    already derived (``checks.batch.derive_within_budget`` does so under a time limit
    per file)."""
    import pandas as pd

    if rows is None:
        rows = [(submission_row(i, r), measure_rows(i, r, fields)) for i, r in enumerate(records)]
    submissions = [sub for sub, _ in rows]
    measures = [row for _, ms in rows for row in ms]
    return {
        "submissions": pd.DataFrame(submissions, columns=_columns(submissions)),
        "measures": pd.DataFrame(measures, columns=_columns(measures) or _measure_columns(fields)),
    }


def _measure_columns(fields: tuple[str, ...]) -> list[str]:
    """The measures table's columns even when no record in the batch has a measure
    (a batch of unreadable files): every rule must still find its columns."""
    probe = SubmissionRecord(file="", sha256="", format="unknown", measures=[Measure(seq=1)])
    return _columns(measure_rows(0, probe, fields))


def measure_fields(required: Iterable[str], recommended: Iterable[str]) -> tuple[str, ...]:
    """Every field that gets a ``<field>_present`` column: the model's text fields
    and whatever the settings require or recommend."""
    return tuple(dict.fromkeys((*MEASURE_TEXT_FIELDS, *required, *recommended)))


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(k for row in rows[:1] for k in row))
