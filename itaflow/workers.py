"""Read, extract and check many files on every core: a pool of worker processes.

The machine's cores sit idle while one process reads PDFs one after another, and
Great Expectations, pandas and the LAO registry cost seconds to load. So the
workers read and extract a batch's files one by one, then check it in one slice
per worker (one GE validation each), and the heavy modules are loaded **once per
worker process** (``warm``, the pool's initializer), not once per batch: the pool lives
as long as the process that made it (the CLI's ``validate``, a ``dag.test()``
run, one Airflow task) and every batch of that process reuses it.

Workers are forked after the parent has warmed up, so under the default Linux
start method they inherit the imported modules instead of importing them again.
``ITAFLOW_WORKERS`` sets the pool size (default: the machine's cores); 1 means no
pool at all (everything in the calling process, as before). Checking a slice
gives exactly the findings checking the whole batch would: every derived column
and every expectation is a fact about one submission and its own measures.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from itaflow.models import SubmissionRecord
from itaflow.settings import Settings

log = logging.getLogger(__name__)

WORKERS_ENV = "ITAFLOW_WORKERS"
# Fewest records worth a GE validation of their own: a validation costs ~0.5 CPU-s
# whatever its size (building the metric graph of ~30 expectations), derived columns
# ~0.01 s a record. See README "Performance".
CHECK_MIN = 25


@dataclass(frozen=True)
class Item:
    """One file to check: where its bytes are (None: no stored original) and its identity."""

    path: str | None
    display: str
    sha256: str = ""
    size: int = 0


# Per-process facts, for the tests and the benchmark: how often this process loaded
# the heavy modules and ran the pool initializer.
STATE: dict[str, Any] = {"pid": None, "warmups": 0, "inits": 0, "settings": None}
_POOL: dict[str, Any] = {"key": None, "pool": None}


def worker_count() -> int:
    """``ITAFLOW_WORKERS``, else the machine's cores."""
    value = os.environ.get(WORKERS_ENV, "").strip()
    return max(1, int(value)) if value else max(1, os.cpu_count() or 1)


def _this_process() -> dict[str, Any]:
    """STATE for this pid (a forked child starts from a copy of its parent's)."""
    if STATE["pid"] != os.getpid():
        STATE.update(pid=os.getpid(), warmups=0, inits=0)
    return STATE


def warm(settings: Settings) -> None:
    """Load what every check needs, once per process: pandas, Great Expectations,
    the suites, the LAO registry index and the Thai word list."""
    if STATE.get("warm_for") == settings:
        return  # this process, or the parent it was forked from, already did
    import pandas  # noqa: F401

    from itaflow import registry, thai
    from itaflow.checks import suites, validate
    from itaflow.evidence import agency_mentions

    validate.import_gx()
    suites.load_suites(
        settings.expectations_dir,
        required=settings.required_fields,
        recommended=settings.recommended_fields,
    )
    registry.load()
    agency_mentions.registered_names()
    thai.words()
    thai.tokens("การดำเนินการ")
    _this_process()["warmups"] += 1
    STATE["warm_for"] = settings


def _init(settings: Settings) -> None:
    """Pool initializer: runs once in each new worker process."""
    state = _this_process()
    state["inits"] += 1
    state["settings"] = settings
    warm(settings)


def read_item(item: Item, settings: Settings) -> SubmissionRecord:
    """One file to one unchecked record (never raises for what the file holds)."""
    from itaflow.process import read_and_extract, unreadable_record

    if item.path is None:
        record = unreadable_record(
            item.display, item.sha256, item.size, "ไม่มีสำเนาไฟล์ต้นฉบับ", "no stored original"
        )
    else:
        record = read_and_extract(Path(item.path), settings, display=item.display)
    if item.sha256:
        record.sha256 = item.sha256  # the registered identity, even for an unreadable file
    return record


def check_records(
    records: list[SubmissionRecord], settings: Settings, spent: list[float] | None = None
) -> list[SubmissionRecord]:
    """Derive columns and run the suites over ``records``: one GE validation. ``spent``:
    seconds each record used reading (its checks get the rest of the per-file budget)."""
    from itaflow.checks import judge_records

    return judge_records(records, settings, spent=spent).records


def timed_read(item: Item, settings: Settings) -> tuple[SubmissionRecord, float]:
    """``read_item`` and the seconds it took (counted against the file's whole budget)."""
    started = time.monotonic()
    record = read_item(item, settings)
    return record, time.monotonic() - started


def check_timed(read: list[tuple[SubmissionRecord, float]], settings: Settings) -> list[Any]:
    """Check records read by ``timed_read``, each within what is left of its budget."""
    return check_records([r for r, _ in read], settings, [t for _, t in read])


def check_items(items: Sequence[Item], settings: Settings) -> list[SubmissionRecord]:
    """Read, extract and check ``items`` here, in this process (one GE validation)."""
    return check_timed([timed_read(item, settings) for item in items], settings)


def _read(item: Item) -> tuple[SubmissionRecord, float]:
    return timed_read(item, STATE["settings"])


def _check(read: list[tuple[SubmissionRecord, float]]) -> list[SubmissionRecord]:
    return check_timed(read, STATE["settings"])


def check_parts(n_records: int, workers: int) -> int:
    """How many GE validations to split a batch into: one per worker, but never parts
    smaller than ``CHECK_MIN`` records (each validation costs ~0.5 CPU-s whatever its size)."""
    return max(1, min(workers, n_records // CHECK_MIN))


def split(records: list[Any], parts: int) -> list[list[Any]]:
    """``parts`` contiguous slices of nearly equal length, in order."""
    size, extra = divmod(len(records), parts)
    out, start = [], 0
    for i in range(parts):
        end = start + size + (1 if i < extra else 0)
        out.append(records[start:end])
        start = end
    return out


def pool(settings: Settings, workers: int) -> Any:
    """The process's pool for these settings (made on first use, reused after)."""
    key = (settings, workers)
    if _POOL["key"] == key and _POOL["pool"] is not None:
        return _POOL["pool"]
    shutdown()
    warm(settings)  # before forking: the workers inherit the loaded modules
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    _POOL.update(key=key, pool=ctx.Pool(workers, initializer=_init, initargs=(settings,)))
    return _POOL["pool"]


def shutdown() -> None:
    """Stop the pool's workers (at exit, or when the settings change)."""
    current = _POOL.get("pool")
    _POOL.update(key=None, pool=None)
    if current is not None:
        current.terminate()
        current.join()


atexit.register(shutdown)


def check_files(
    items: Sequence[Item], settings: Settings, workers: int | None = None
) -> list[SubmissionRecord]:
    """Check ``items`` on ``workers`` processes; the records come back in ``items`` order.

    Two passes over the pool: files are read and extracted one by one (a slow PDF
    never holds back a whole chunk), then the records are checked in one slice per
    worker (few GE validations, each with its fixed cost paid on a different core).
    """
    workers = worker_count() if workers is None else max(1, workers)
    if workers == 1 or len(items) < 2:
        return check_items(items, settings)
    try:
        shared = pool(settings, workers)
    except (AssertionError, OSError) as exc:  # e.g. inside a daemonic process
        log.warning("no worker pool (%s): checking in this process", exc)
        return check_items(items, settings)
    read = shared.map(_read, items, chunksize=1)
    parts = split(read, check_parts(len(read), workers))
    return [r for part in shared.map(_check, parts, chunksize=1) for r in part]


def items_of(submissions: Sequence[dict[str, Any]], store: Path | None = None) -> list[Item]:
    """Warehouse submissions (``get_submissions`` rows) as items to check. With ``store``
    (the shared store every worker reaches), a kept original is found there by its hash,
    not at the path the collecting worker happened to see."""
    from itaflow.store import stored_path_for

    def where(s: dict[str, Any]) -> str | None:
        if not s.get("stored_path"):
            return None
        return str(stored_path_for(store, s["sha256"])) if store else s["stored_path"]

    return [Item(where(s), s["original_name"], s["sha256"], s["size"]) for s in submissions]


def pool_facts(workers: int | None = None) -> list[dict[str, Any]]:
    """Each live worker's pid, initializer runs and warm-ups (for tests and benchmarks)."""
    current = _POOL.get("pool")
    if current is None:
        return []
    n = workers or (_POOL["key"][1] if _POOL["key"] else 1)
    return current.map(_facts, range(n * 8), chunksize=1)


def _facts(_: int) -> dict[str, Any]:
    import sys

    state = _this_process()
    return {
        "pid": state["pid"],
        "inits": state["inits"],
        "warmups": state["warmups"],
        "gx": "great_expectations" in sys.modules,
    }
