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
  follow configuration instead of code;
- ``decided_by`` (optional): the stage that decides this finding itself because no
  table row can show it (``collect``: the same bytes received again are a
  ``duplicate_submission`` of the submission already stored). Such a rule has only
  ``meta``, no ``type``/``kwargs``: Great Expectations never validates it (it would
  check a column nobody fills), and it is kept in ``Suite.decided``.

A stage that decides a finding itself makes it with ``stage_finding``: the id and
severity are always the rule's, and the message is the rule's templates filled
from the stage's values, or the stage's own words for a cause only it can name
(collect's "link points outside the inbox" is an ``unreadable_file``).

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
from itaflow.checks.findings import make_finding
from itaflow.models import Finding, Measure

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
    expectations: list[dict[str, Any]]  # what Great Expectations validates
    meta: dict[str, Any] = field(default_factory=dict)
    decided: list[dict[str, Any]] = field(default_factory=list)  # metas of decided_by rules

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
    """Every ``*.json`` suite in ``directory``, in name order."""
    paths = sorted(Path(directory).glob("*.json"))
    if not paths:
        raise SuiteError(f"no expectation suites (*.json) in {directory}")
    fields = {"required_fields": tuple(required), "recommended_fields": tuple(recommended)}
    return [load_suite(p, fields) for p in paths]


def load_suite(path: Path, fields: dict[str, tuple[str, ...]]) -> Suite:
    """One suite; ``fields``: the field names each ``for_each`` value expands over."""
    data = _read(path)
    expectations: list[dict[str, Any]] = []
    decided: list[dict[str, Any]] = []
    for exp in data["expectations"]:
        if _decided(exp):
            decided.append(dict(exp["meta"]))
        else:
            expectations.extend(_with_notes(e) for e in _expand(exp, fields))
    return Suite(
        name=path.stem,
        path=path,
        row_ids=ROW_IDS[path.stem],
        expectations=expectations,
        meta=data.get("meta") or {},
        decided=decided,
    )


def _read(path: Path) -> dict[str, Any]:
    """A suite file as written, every rule in it checked (templates not expanded)."""
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
    for i, exp in enumerate(data["expectations"]):
        _validate(exp, f"{path.name}, expectation {i + 1}")
    return data


def _decided(exp: Any) -> bool:
    """A rule a stage decides itself (``meta.decided_by``), not Great Expectations."""
    return (
        isinstance(exp, dict) and isinstance(exp.get("meta"), dict) and "decided_by" in exp["meta"]
    )


def _validate(exp: Any, where: str) -> None:
    if _decided(exp):
        _validate_meta(exp["meta"], where)
        stage = exp["meta"]["decided_by"]
        if (
            not stage
            or not isinstance(stage, str)
            or set(exp) != {"meta"}
            or "for_each" in exp["meta"]
        ):
            raise SuiteError(
                f"{where}: a rule decided by a stage ({stage!r}) has only "
                '"meta" (no "type", "kwargs" or for_each): Great Expectations does not check it'
            )
        return
    if not isinstance(exp, dict) or not isinstance(exp.get("type"), str):
        raise SuiteError(
            f'{where}: an expectation needs "type" (e.g. "expect_column_values_to_be_between")'
        )
    if not isinstance(exp.get("kwargs"), dict):
        raise SuiteError(f'{where}: "kwargs" must be an object')
    meta = exp.get("meta")
    if not isinstance(meta, dict):
        raise SuiteError(f'{where}: "meta" with {", ".join(REQUIRED_META)} is required')
    _validate_meta(meta, where)


def _validate_meta(meta: dict[str, Any], where: str) -> None:
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


def rule_metas(directory: Path) -> dict[str, dict[str, Any]]:
    """The ``meta`` of the first rule per check id in the suites of ``directory``, as
    written: what a stage that decides a finding itself takes its id, severity and
    wording from (see ``stage_finding``)."""
    metas: dict[str, dict[str, Any]] = {}
    for path in sorted(Path(directory).glob("*.json")):
        for exp in _read(path)["expectations"]:
            metas.setdefault(exp["meta"]["check_id"], dict(exp["meta"]))
    return metas


def stage_finding(
    rules: dict[str, dict[str, Any]],
    check_id: str,
    values: dict[str, Any] | None = None,
    *,
    reason: str | None = None,
) -> Finding:
    """A finding a stage decides itself, said the way ``expectations/`` says it.

    ``rules`` is ``rule_metas(...)``. The id and severity are the rule's; the message
    is the rule's templates filled from ``values`` (as a failing row fills them), or
    ``reason``: the stage's own words for a cause the rule's wording cannot name.
    A check id with no rule is refused: every finding has a rule in ``expectations/``.
    """
    meta = rules.get(check_id)
    if meta is None:
        raise SuiteError(f"no rule in expectations/ declares {check_id!r}; a stage needs one")
    if reason is not None:
        return Finding(meta["check_id"], meta["severity"], reason)
    return make_finding(meta, values or {}, {})


def columns_used(expectation: dict[str, Any]) -> list[str]:
    """The columns an expectation reads, for checking them before validation."""
    kw = expectation["kwargs"]
    cols = [kw[k] for k in ("column", "column_A", "column_B") if isinstance(kw.get(k), str)]
    cols += [c for c in kw.get("column_list") or [] if isinstance(c, str)]
    return cols
