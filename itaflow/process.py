"""Read, extract and check files: the part of the pipeline that needs no database.

``itaflow inspect`` and the validate DAG both go through here, so what an
engineer sees on the command line is what the warehouse gets.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from itaflow.models import Document, Finding, SubmissionRecord
from itaflow.settings import Settings
from itaflow.store import sha256_of

log = logging.getLogger(__name__)


class FileTimeout(BaseException):
    """A single file took longer than ``limits.seconds_per_file``.

    A BaseException so the readers' own ``except Exception`` (which turns a broken
    file into a finding) cannot swallow it and call a slow file "damaged".
    """


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt a runaway reader (pathological PDF, regex blow-up) after ``seconds``.

    Uses a real-time timer, which only works in the main thread; elsewhere the
    readers' own elapsed-time checks are the guard.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _raise(signum: int, frame: object) -> None:
        raise FileTimeout

    previous = signal.signal(signal.SIGALRM, _raise)
    # Keep firing every second after the deadline: a single alarm that lands in a
    # __del__ or GC callback is only printed by Python, never raised.
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def unreadable_record(
    display: str, sha256: str, size: int, reason_th: str, reason_en: str
) -> SubmissionRecord:
    """A record for a file we could not read: it still gets a verdict and a reason."""
    finding = Finding("unreadable_file", "error", f"{reason_th} / {reason_en}")
    return SubmissionRecord(
        file=display,
        sha256=sha256,
        format="unknown",
        size=size,
        readable=False,
        findings=[finding],
    )


def read_and_extract(
    path: Path, settings: Settings, display: str | None = None
) -> SubmissionRecord:
    """One file to one unchecked record; never raises for anything the file contains."""
    from itaflow.extract import extract
    from itaflow.read import read_path

    display = display if display is not None else str(path)
    if not path.is_file():
        return unreadable_record(display, "", 0, "ไม่พบไฟล์", "file not found")
    sha, size = sha256_of(path)
    try:
        with time_limit(min(settings.limits.seconds_per_file, settings.seconds_per_file_total)):
            doc: Document = read_path(path, settings.limits)
            return extract(doc, file=display, sha256=sha, size=size, province=settings.province)
    except FileTimeout:
        return unreadable_record(
            display,
            sha,
            size,
            f"อ่านไฟล์นานเกิน {settings.limits.seconds_per_file:g} วินาที",
            f"reading took longer than {settings.limits.seconds_per_file:g} s",
        )
    except Exception as exc:  # a reader bug must not stop the batch: record it and go on
        log.exception("reading %s failed", display)
        return unreadable_record(
            display,
            sha,
            size,
            "ระบบอ่านไฟล์นี้ไม่สำเร็จ โปรดแจ้งผู้ดูแลระบบ",
            f"internal reader error: {type(exc).__name__}: {exc}",
        )


def inspect_paths(
    paths: list[str], settings: Settings, *, data_docs: bool = False
) -> list[SubmissionRecord]:
    """Read, extract and check files without touching the warehouse (``itaflow inspect``)."""
    from itaflow.checks import judge_records

    records, spent = read_all([(Path(p), p) for p in paths], settings)
    return judge_records(records, settings, data_docs=data_docs, spent=spent).records


def read_all(
    items: list[tuple[Path, str]], settings: Settings
) -> tuple[list[SubmissionRecord], list[float]]:
    """Read and extract each (path, display name); also the seconds each took, which
    its checks' share of the per-file budget is reckoned from."""
    records, spent = [], []
    for path, display in items:
        started = time.monotonic()
        records.append(read_and_extract(path, settings, display=display))
        spent.append(time.monotonic() - started)
    return records, spent
