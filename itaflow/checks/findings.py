"""Failing rows to findings, and findings to a verdict.

A finding's message is the expectation's ``message_th`` / ``message_en`` template
filled from the failing row (any derived column by name: ``{placeholder_sample}``,
``{duplicate_of_measure}`` ...) plus ``{field}``, ``{field_th}`` and ``{field_en}``;
long text values are shortened. Thai comes first, then English.

A measure rule that fails on every measure of a submission (no outcome column at
all, a plan without results) becomes one submission-level finding instead of one
per measure: the officer needs to read it once.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from itaflow.models import Finding, Verdict

SHORTEN = 60
SEVERITY_RANK = {"error": 0, "warning": 1}


def verdict_of(findings: Iterable[Finding]) -> Verdict:
    """Any error → rejected; only warnings → accepted_with_warnings; none → accepted."""
    severities = {f.severity for f in findings}
    if "error" in severities:
        return "rejected"
    return "accepted_with_warnings" if severities else "accepted"


def shorten(value: Any, limit: int = SHORTEN) -> str:
    """A value for a message: one line, at most ``limit`` characters."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class _Slots(string.Formatter):
    """Fills ``{column}`` from a row; an unknown or empty slot becomes "-" instead
    of failing, so a template typo shows in the message, not as a crash."""

    def get_value(self, key: Any, args: Any, kwargs: Mapping[str, Any]) -> Any:
        value = kwargs.get(key) if isinstance(key, str) else None
        if value is None or value != value:  # None or NaN
            return "-"
        if isinstance(value, str):
            return shorten(value) or "-"
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            return int(value)  # a seq or year that pandas stored as float
        return value

    def format_field(self, value: Any, format_spec: str) -> str:
        try:
            return super().format_field(value, format_spec)
        except (ValueError, TypeError):
            return str(value)


_FORMATTER = _Slots()


def fill(template: str, values: Mapping[str, Any]) -> str:
    try:
        return _FORMATTER.vformat(template, (), values)
    except (ValueError, IndexError, AttributeError):  # a broken template: show it as written
        return template


def field_labels(labels: Mapping[str, Any], name: str | None) -> dict[str, str]:
    """``field_th`` / ``field_en`` for a field, from the suite's ``meta.field_labels``."""
    if not name:
        return {"field": "", "field_th": "", "field_en": ""}
    label = labels.get(name) or {}
    return {"field": name, "field_th": label.get("th", name), "field_en": label.get("en", name)}


def make_finding(
    meta: Mapping[str, Any],
    row: Mapping[str, Any],
    labels: Mapping[str, Any],
    *,
    measure_count: int | None = None,
) -> Finding:
    """One finding from an expectation's meta and the failing row's values.

    A measure row's message starts with "มาตรการที่ N"; with ``measure_count`` the
    finding is the submission-level form of a rule that failed on all measures.
    """
    field_name = fill(meta["field"], row) if meta.get("field") else None
    values = {**row, **field_labels(labels, field_name)}
    th = fill(meta["message_th"], values)
    en = fill(meta["message_en"], values)
    seq = row.get("measure_seq")
    if measure_count is not None:
        th, en = f"ทุกมาตรการ ({measure_count} มาตรการ): {th}", f"all {measure_count} measures: {en}"
        seq = None
    elif seq is not None:
        th, en = f"มาตรการที่ {seq}: {th}", f"measure {seq}: {en}"
    return Finding(
        check=meta["check_id"],
        severity=meta["severity"],
        message=f"{th} / {en}",
        measure_seq=int(seq) if seq is not None else None,
        field=field_name,
    )


def merge(existing: list[Finding], new: list[Finding]) -> list[Finding]:
    """Existing findings (the reader's, extraction's) with their own, more precise
    wording, then new ones that say something else: one per (check, measure, field),
    the more severe. Where a rule fired on what an existing finding reports (the
    reader's ``unreadable_file`` and the rule on ``readable``), the rule's severity
    holds: a stage words the reason, ``expectations/`` decides how much it weighs."""
    rules: dict[tuple, Finding] = {}
    for f in new:
        key = (f.check, f.measure_seq, f.field)
        if key not in rules or SEVERITY_RANK[f.severity] < SEVERITY_RANK[rules[key].severity]:
            rules[key] = f
    kept = [
        replace(f, severity=rule.severity)
        if (rule := rules.pop((f.check, f.measure_seq, f.field), None))
        else f
        for f in existing
    ]
    return [*kept, *rules.values()]
