"""Run the suites with Great Expectations: one validation per table per batch.

An ephemeral context holds a pandas datasource with one DataFrame asset per table;
each suite is validated once against its whole-batch DataFrame with
``result_format`` COMPLETE and the table's row ids as
``unexpected_index_column_names``, so every failing row comes back as ids that
map to a submission (and measure). Nothing is stored outside the process except
the Data Docs site, when asked for.

great_expectations costs 6–8 s to import: it is imported here, inside functions,
and only when a batch is actually checked.
"""

from __future__ import annotations

import html
import logging
import os
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from itaflow.checks.suites import Suite, SuiteError, columns_used

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)

DOCS_SITE = "itaflow"


@dataclass(frozen=True)
class Failure:
    """One row that failed one expectation."""

    table: str
    meta: dict[str, Any]
    row: tuple[Any, ...]  # the row ids, in the suite's ``row_ids`` order


@dataclass(frozen=True)
class Validation:
    failures: list[Failure]
    data_docs: Path | None  # the site's index.html when Data Docs were built
    problems: list[str]  # expectations that could not be evaluated (GE exceptions)


def import_gx() -> Any:
    """great_expectations, quiet: no analytics, no progress bars, no deprecation chatter."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import great_expectations as gx
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    return gx


def _context(docs_dir: Path | None) -> Any:
    gx = import_gx()
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    sites = {}
    if docs_dir is not None:
        sites[DOCS_SITE] = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(docs_dir),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        data_docs_sites=sites,
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def escaped(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell HTML-escaped: Data Docs print failing values
    as raw HTML, and submission text must never become markup there."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype).startswith(("str", "string")):
            out[col] = out[col].map(lambda v: html.escape(v) if isinstance(v, str) else v)
    return out


def check_columns(frames: dict[str, pd.DataFrame], suites: list[Suite]) -> None:
    """Fail early, naming the rule, when a suite reads a column the batch does not have."""
    for suite in suites:
        have = set(frames[suite.name].columns)
        for exp in suite.expectations:
            missing = [c for c in columns_used(exp) if c not in have]
            if missing:
                raise SuiteError(
                    f"{suite.path.name}: {exp['meta'].get('check_id')} reads column(s) {missing} "
                    f"that the {suite.name} table does not have; it has: {sorted(have)}"
                )


def run(
    frames: dict[str, pd.DataFrame],
    suites: list[Suite],
    *,
    run_name: str,
    docs_dir: Path | None = None,
) -> Validation:
    """Validate each table once; collect failing rows; build Data Docs if ``docs_dir``."""
    check_columns(frames, suites)
    gx = import_gx()
    from great_expectations.core.run_identifier import RunIdentifier

    context = _context(docs_dir)
    source = context.data_sources.add_pandas("itaflow")
    run_id = RunIdentifier(run_name=run_name, run_time=datetime.now(UTC))
    failures: list[Failure] = []
    problems: list[str] = []
    for suite in suites:
        frame = frames[suite.name]
        batch_def = source.add_dataframe_asset(suite.name).add_batch_definition_whole_dataframe(
            suite.name
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            gx_suite = context.suites.add(gx.ExpectationSuite(**suite.to_gx_dict()))
            definition = context.validation_definitions.add(
                gx.ValidationDefinition(name=suite.name, data=batch_def, suite=gx_suite)
            )
            result = definition.run(
                batch_parameters={"dataframe": escaped(frame)},
                result_format={
                    "result_format": "COMPLETE",
                    "unexpected_index_column_names": list(suite.row_ids),
                    "partial_unexpected_count": 20,
                },
                run_id=run_id,
            )
        for res in result.results:
            meta = dict(res.expectation_config.meta or {})
            if res.exception_info and res.exception_info.get("raised_exception"):
                problems.append(
                    f"{suite.path.name}: {meta.get('check_id')}: {res.exception_info.get('exception_message')}"
                )
                continue
            if res.success:
                continue
            rows = res.result.get("unexpected_index_list")
            if rows is None:
                log.warning(
                    "%s: %s is not a row rule; see Data Docs", suite.path.name, meta.get("check_id")
                )
                continue
            for ids in rows:
                failures.append(
                    Failure(suite.name, meta, tuple(_plain(ids[c]) for c in suite.row_ids))
                )
    for p in problems:
        log.warning("expectation could not be evaluated: %s", p)
    index = None
    if docs_dir is not None:
        docs_dir.mkdir(parents=True, exist_ok=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            context.build_data_docs(site_names=[DOCS_SITE])
        index = docs_dir / "index.html"
    return Validation(failures, index, problems)


def _plain(value: Any) -> Any:
    """numpy scalars to Python ones, so ids compare equal to the frame's."""
    return value.item() if hasattr(value, "item") else value
