"""Expectation suites from ``expectations/*.json``: the rules, as configuration.

One file per checked table (``submissions.json``, ``measures.json``), each a Great
Expectations 1.x suite: ``{"name": ..., "meta": {...}, "expectations": [...]}``.
Every expectation carries in its ``meta``:

- ``check_id``: the finding's check id (CONTRACT.md catalogue, or a new one);
- ``severity``: ``error`` (the submission is rejected) or ``warning``;
- ``message_th`` / ``message_en``: what the officer reads, as a template whose
  ``{column}`` slots are filled from the failing row (see ``findings.py``);
- ``field`` (optional): the measure field the finding is about;
- ``for_each`` (optional): ``required_fields`` or ``recommended_fields``; the
  expectation is repeated for every field in that setting, with ``{field}``
  replaced in its kwargs and ``meta.field`` set. This is how missing-field rules
  follow configuration instead of code.

Loading checks all of this up front, so a typo in the JSON fails the batch with a
message naming the file and the expectation rather than silently checking nothing.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from itaflow.checks.derive import ROW_IDS
from itaflow.models import Measure
from itaflow.settings import Settings

SEVERITIES = ("error", "warning")
FOR_EACH = ("required_fields", "recommended_fields")
REQUIRED_META = ("check_id", "severity", "message_th", "message_en")
# What ``required_fields`` / ``recommended_fields`` may name ("period" is the period as written).
MEASURE_FIELDS = ("period", *(f.name for f in fields(Measure) if f.name not in ("seq", "raw")))


class SuiteError(ValueError):
    """An expectation file that cannot be used as written."""


@dataclass(frozen=True)
class Suite:
    """One table's rules, ready for Great Expectations (templates expanded)."""

    name: str  # the table it checks: the file's stem
    path: Path
    row_ids: tuple[str, ...]
    expectations: list[dict[str, Any]]
    meta: dict[str, Any] = field(default_factory=dict)

    def to_gx_dict(self) -> dict[str, Any]:
        """The suite as ``great_expectations.ExpectationSuite(**...)`` takes it."""
        return {
            "name": self.name,
            "expectations": copy.deepcopy(self.expectations),
            "meta": dict(self.meta),
        }


def load_suites(
    directory: Path, *, required: Sequence[str], recommended: Sequence[str]
) -> list[Suite]:
    """Every ``*.json`` suite in ``directory``, in name order; ``for_each`` templates
    are expanded over the ``required`` and ``recommended`` measure fields."""
    paths = sorted(Path(directory).glob("*.json"))
    if not paths:
        raise SuiteError(f"no expectation suites (*.json) in {directory}")
    fields = {"required_fields": tuple(required), "recommended_fields": tuple(recommended)}
    return [load_suite(p, fields) for p in paths]


def load_suite(path: Path, fields: dict[str, tuple[str, ...]]) -> Suite:
    """One suite; ``fields``: the field names each ``for_each`` value expands over."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise SuiteError(f"{path.name}: cannot read the suite: {exc}") from exc
    table = path.stem
    if table not in ROW_IDS:
        raise SuiteError(
            f"{path.name}: no table called {table!r}; the checked tables are {sorted(ROW_IDS)}"
        )
    if not isinstance(data, dict) or not isinstance(data.get("expectations"), list):
        raise SuiteError(f'{path.name}: expected {{"name": ..., "expectations": [...]}}')
    expectations: list[dict[str, Any]] = []
    for i, exp in enumerate(data["expectations"]):
        where = f"{path.name}, expectation {i + 1}"
        _validate(exp, where)
        expectations.extend(_with_notes(e) for e in _expand(exp, fields))
    return Suite(
        name=table,
        path=path,
        row_ids=ROW_IDS[table],
        expectations=expectations,
        meta=data.get("meta") or {},
    )


def _validate(exp: Any, where: str) -> None:
    if not isinstance(exp, dict) or not isinstance(exp.get("type"), str):
        raise SuiteError(
            f'{where}: an expectation needs "type" (e.g. "expect_column_values_to_be_between")'
        )
    if not isinstance(exp.get("kwargs"), dict):
        raise SuiteError(f'{where}: "kwargs" must be an object')
    meta = exp.get("meta")
    if not isinstance(meta, dict):
        raise SuiteError(f'{where}: "meta" with {", ".join(REQUIRED_META)} is required')
    missing = [k for k in REQUIRED_META if not meta.get(k)]
    if missing:
        raise SuiteError(f"{where}: meta lacks {', '.join(missing)}")
    if meta["severity"] not in SEVERITIES:
        raise SuiteError(f"{where}: severity must be one of {SEVERITIES}, not {meta['severity']!r}")
    if meta.get("for_each") not in (None, *FOR_EACH):
        raise SuiteError(f"{where}: for_each must be one of {FOR_EACH}")


def _expand(exp: dict[str, Any], fields: dict[str, tuple[str, ...]]) -> list[dict[str, Any]]:
    """One expectation, or one per configured field for a ``for_each`` template."""
    for_each = exp["meta"].get("for_each")
    if not for_each:
        return [copy.deepcopy(exp)]
    out = []
    for name in fields[for_each]:
        if name not in MEASURE_FIELDS:
            raise SuiteError(
                f"settings.{for_each} names {name!r}, which is not a measure field; "
                f"the fields are {', '.join(MEASURE_FIELDS)}"
            )
        one = copy.deepcopy(exp)
        one["kwargs"] = _fill(one["kwargs"], name)
        one["meta"] = {k: v for k, v in one["meta"].items() if k != "for_each"} | {"field": name}
        out.append(one)
    return out


def _with_notes(exp: dict[str, Any]) -> dict[str, Any]:
    """Data Docs show an expectation's ``notes``: say there which check it is."""
    meta = exp["meta"]
    field = f" · {meta['field']}" if meta.get("field") else ""
    exp.setdefault(
        "notes", f"**{meta['check_id']}** · {meta['severity']}{field} — {meta['message_th']}"
    )
    return exp


def _fill(value: Any, name: str) -> Any:
    if isinstance(value, str):
        return value.replace("{field}", name)
    if isinstance(value, list):
        return [_fill(v, name) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, name) for k, v in value.items()}
    return value


def rule_meta(check_id: str, settings: Settings) -> dict[str, Any] | None:
    """The ``meta`` (severity, messages) of the first rule with this check id, for
    stages that decide a finding themselves (the warehouse's duplicate receipts)
    but should say it the way the suites do."""
    for suite in load_suites(
        settings.expectations_dir,
        required=settings.required_fields,
        recommended=settings.recommended_fields,
    ):
        for exp in suite.expectations:
            if exp["meta"]["check_id"] == check_id:
                return dict(exp["meta"])
    return None


def columns_used(expectation: dict[str, Any]) -> list[str]:
    """The columns an expectation reads, for checking them before validation."""
    kw = expectation["kwargs"]
    cols = [kw[k] for k in ("column", "column_A", "column_B") if isinstance(kw.get(k), str)]
    cols += [c for c in kw.get("column_list") or [] if isinstance(c, str)]
    return cols
