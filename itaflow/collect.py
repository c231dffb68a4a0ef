"""Collect: find every entry of the inbox, hash it and keep a copy of the original.

The inbox belongs to the LAOs and the office: itaflow never moves, renames or
deletes anything there. Each file's bytes are copied once into the store under a
name derived from their SHA-256, so the original stays reachable whatever its
submitted name was (names can hold anything: ``../``, newlines, bytes that are not
UTF-8, 300 characters).

Nothing an entry is can stop a run: the walk is iterative with a depth limit, and
each entry (file, link, pipe, folder too deep, name the OS refuses) ends as one
:class:`ReceivedFile`, with a ``problem`` when it cannot be taken.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from itaflow.store import (
    ChangedWhileReading,
    NotARegularFile,
    StoreUnavailable,
    TooLarge,
    hash_and_keep,
)

MAX_DEPTH = 16
DONE_SUFFIX = ".done"


@dataclass(frozen=True)
class ReceivedFile:
    """One inbox entry, with where its original is kept."""

    sha256: str
    size: int
    original_name: str  # display-safe form of the submitted file name
    inbox_path: str  # relative to the inbox, display-safe and distinct per entry
    stored_path: str  # absolute path of the kept copy
    received_at: str  # ISO timestamp (UTC): when the office's intake first saw the file
    problem: str | None = None  # why it cannot be processed (e.g. a link out of the inbox)
    claimed_at: str | None = None  # the file's own mtime: what the sender claims, never trusted
    arrival_source: str = "intake"  # intake (first seen by collect) | manifest (gateway record)


@dataclass(frozen=True)
class Entry:
    """One thing found by the walk: its path, how it was found, and what it is."""

    path: Path
    rel: str  # display key (see ``inbox_key``)
    kind: str  # file | link | other | too_deep | error
    size: int = 0
    mtime_ns: int = 0
    error: str | None = None
    ctime_ns: int = 0


def safe_display_name(name: str, limit: int = 200) -> str:
    """A file name fit to show and store: no control characters, bounded length."""
    cleaned = "".join(
        "_" if unicodedata.category(ch).startswith("C") else ch
        for ch in unicodedata.normalize("NFC", name)
    )
    return cleaned[:limit] or "_"


def inbox_key(rel: str | Path, limit: int = 400) -> str:
    """The inbox path as stored: readable, and distinct for distinct names.

    Bytes that are not UTF-8 become ``\\xff``, control characters ``\\x0a``: two names
    differing only there must not collapse into one receipt (as ``_`` would make them).
    """
    raw = os.fsencode(str(rel)).decode("utf-8", "backslashreplace")
    text = "".join(
        f"\\x{ord(ch):02x}" if unicodedata.category(ch) in ("Cc", "Cs") else ch for ch in raw
    )
    if len(text) > limit:  # keep it distinct: a hash of the whole name ends it
        tail = hashlib.sha256(os.fsencode(str(rel))).hexdigest()[:12]
        text = f"{text[: limit - 14]}~{tail}"
    return text


def _display(name: str) -> str:
    return safe_display_name(os.fsencode(name).decode("utf-8", "replace"))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _iso(ns: int) -> str | None:
    try:
        return datetime.fromtimestamp(ns / 1e9, UTC).isoformat(timespec="seconds")
    except (OverflowError, OSError, ValueError):
        return None


# --- the walk -----------------------------------------------------------------------


def walk_inbox(inbox: Path, max_depth: int = MAX_DEPTH) -> list[Entry]:
    """Every entry under the inbox that is not a folder, in a stable order.

    Iterative (no recursion limit), never follows a link to a folder, and stops at
    ``max_depth``: a folder deeper than that is one entry of kind ``too_deep``.
    A folder that cannot be listed is one entry of kind ``error``.
    """
    if not inbox.is_dir():
        return []
    found: list[Entry] = []
    stack: list[tuple[Path, int]] = [(inbox, 0)]
    while stack:
        folder, depth = stack.pop()
        try:
            with os.scandir(folder) as it:
                children = list(it)
        except OSError as exc:
            found.append(_entry(folder, inbox, "error", error=_reason(exc)))
            continue
        for child in children:
            path = Path(child.path)
            try:
                if child.is_dir(follow_symlinks=False):
                    if depth + 1 >= max_depth:
                        found.append(_entry(path, inbox, "too_deep"))
                    else:
                        stack.append((path, depth + 1))
                    continue
                st = child.stat(follow_symlinks=False)
                kind = (
                    "link"
                    if stat.S_ISLNK(st.st_mode)
                    else "file"
                    if stat.S_ISREG(st.st_mode)
                    else "other"
                )
                if kind == "link":
                    st = _target_stat(path) or st
                found.append(
                    _entry(path, inbox, kind, st.st_size, st.st_mtime_ns, ctime_ns=st.st_ctime_ns)
                )
            except OSError as exc:
                found.append(_entry(path, inbox, "error", error=_reason(exc)))
    found.sort(key=lambda e: os.fsencode(str(e.path)))
    return _without_markers(found)


def _target_stat(path: Path) -> os.stat_result | None:
    """A link's target state (for the quiet period), without opening it."""
    try:
        return os.stat(path)
    except (OSError, ValueError):
        return None


def _entry(
    path: Path,
    inbox: Path,
    kind: str,
    size: int = 0,
    mtime_ns: int = 0,
    error: str | None = None,
    ctime_ns: int = 0,
) -> Entry:
    return Entry(path, inbox_key(path.relative_to(inbox)), kind, size, mtime_ns, error, ctime_ns)


def _without_markers(entries: list[Entry]) -> list[Entry]:
    """``x.pdf.done`` next to ``x.pdf`` is the sender's "upload finished" marker, not a file."""
    paths = {e.path for e in entries}
    return [
        e
        for e in entries
        if not (e.path.name.endswith(DONE_SUFFIX) and e.path.with_name(e.path.name[:-5]) in paths)
    ]


def is_marked_done(entry: Entry) -> bool:
    return entry.path.with_name(entry.path.name + DONE_SUFFIX).exists()


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _target_inside(path: Path, inbox: Path) -> Path | None:
    """Where a link leads when that is inside the inbox; None when it leads out (or
    nowhere): such a link is never followed."""
    try:
        target = path.resolve(strict=True)
        target.relative_to(inbox.resolve())
    except (ValueError, OSError, RuntimeError):
        return None
    return target


def problem_receipt(entry: Entry, problem: str, marker: bytes, seen_at: str) -> ReceivedFile:
    """An entry that cannot be taken: a stable digest of what it is, and the reason."""
    digest = hashlib.sha256(marker + b"\0" + os.fsencode(str(entry.path))).hexdigest()
    return ReceivedFile(
        sha256=digest,
        size=0,
        original_name=_display(entry.path.name),
        inbox_path=entry.rel,
        stored_path="",
        received_at=seen_at,
        problem=problem,
        claimed_at=_iso(entry.mtime_ns) if entry.mtime_ns else None,
    )


LINK_OUT = "ลิงก์ชี้ออกนอกกล่องรับไฟล์ ไม่ได้เปิดอ่าน / link points outside the inbox; not opened"
NOT_REGULAR = "ไม่ใช่ไฟล์ปกติ / not a regular file"


def too_deep(max_depth: int) -> str:
    return (
        f"โฟลเดอร์ซ้อนลึกเกิน {max_depth} ชั้น ไม่ได้เปิดอ่าน"
        f" / folder nested deeper than {max_depth} levels; not opened"
    )


def too_large(size: int, limit: int) -> str:
    return (
        f"ไฟล์มีขนาดใหญ่เกินกำหนด ({size:,} ไบต์ เกิน {limit:,} ไบต์) ไม่ได้เก็บสำเนา"
        f" / file too large ({size:,} bytes, limit {limit:,}); not copied"
    )


def collect_entry(
    entry: Entry,
    inbox: Path,
    store: Path,
    seen_at: str | None = None,
    *,
    max_bytes: int | None = None,
    max_depth: int = MAX_DEPTH,
) -> ReceivedFile:
    """Hash and keep one entry; an entry we must not read is still accounted for.

    Raises only ``ChangedWhileReading`` (the file is still being written) and
    ``StoreUnavailable`` (the store cannot take the copy): the file waits for the next
    run. Every other failure is a receipt with a problem.
    """
    seen_at = seen_at or _now()
    try:
        if entry.kind == "too_deep":
            return problem_receipt(entry, too_deep(max_depth), b"too_deep", seen_at)
        if entry.kind == "error":
            reason = f"เปิดไฟล์ไม่ได้ / cannot open file: {entry.error}"
            return problem_receipt(entry, reason, b"unreadable", seen_at)
        target = _target_inside(entry.path, inbox) if entry.kind == "link" else None
        if entry.kind == "link" and target is None:
            # A link out of the inbox could expose any file on the server: keep a record
            # of it (hash of the link text, bytes as they are) and never open the target.
            target = os.fsencode(os.readlink(entry.path))
            return problem_receipt(entry, LINK_OUT, b"symlink:" + target, seen_at)
        if entry.kind == "other":
            return problem_receipt(entry, NOT_REGULAR, b"not_regular", seen_at)
        if target is not None:
            # Open the checked target itself, never through the link again: a link
            # retargeted after the check cannot lead out of the inbox.
            source, expect, follow = target, None, False
        else:
            source, expect, follow = entry.path, (entry.size, entry.mtime_ns), False
        sha, size, mtime_ns, kept = hash_and_keep(source, store, max_bytes, expect, follow=follow)
    except (ChangedWhileReading, StoreUnavailable):
        raise
    except FileNotFoundError as exc:  # gone between the walk and the copy: not an entry any more
        raise ChangedWhileReading(errno.ENOENT, "vanished") from exc
    except TooLarge as exc:
        reason = too_large(exc.size, max_bytes or 0)
        return problem_receipt(entry, reason, f"too_large:{exc.size}".encode(), seen_at)
    except NotARegularFile:
        return problem_receipt(entry, NOT_REGULAR, b"not_regular", seen_at)
    except OSError as exc:
        reason = f"เปิดไฟล์ไม่ได้ / cannot open file: {_reason(exc)}"
        return problem_receipt(entry, reason, b"unreadable", seen_at)
    except Exception as exc:  # whatever else an entry does, the run goes on
        reason = f"เปิดไฟล์ไม่ได้ / cannot open file: {type(exc).__name__}"
        return problem_receipt(entry, reason, b"unreadable", seen_at)
    return ReceivedFile(
        sha256=sha,
        size=size,
        original_name=_display(entry.path.name),
        inbox_path=entry.rel,
        stored_path=str(kept),
        received_at=seen_at,
        claimed_at=_iso(mtime_ns),
    )


def scan_inbox(
    inbox: Path,
    store: Path,
    *,
    max_bytes: int | None = None,
    max_depth: int = MAX_DEPTH,
    seen_at: str | None = None,
) -> list[ReceivedFile]:
    """Collect every entry of the inbox at once (no quiet period; see ``pipeline.collect``).

    A file that changes while it is copied is left out: it is still being written.
    """
    seen_at = seen_at or _now()
    received = []
    for entry in walk_inbox(inbox, max_depth):
        try:
            received.append(
                collect_entry(
                    entry, inbox, store, seen_at, max_bytes=max_bytes, max_depth=max_depth
                )
            )
        except (ChangedWhileReading, StoreUnavailable):
            continue
    return received


# --- the gateway's intake records ---------------------------------------------------


def read_manifests(folder: Path, inbox: Path) -> dict[str, dict]:
    """Trusted arrival records by inbox key: ``*.jsonl`` files in the intake folder.

    Written by the mail or upload gateway (and by the demo), never by a sender: the
    folder lies outside the inbox. Each line: ``{"path": absolute or inbox-relative,
    "received_at": ISO with offset, "sha256": optional}``; a broken line is skipped.
    """
    records: dict[str, dict] = {}
    if not folder.is_dir():
        return records
    roots = (Path(os.path.abspath(inbox)), inbox.resolve())
    for manifest in sorted(folder.glob("*.jsonl")):
        try:
            lines = manifest.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        for line in lines:
            try:
                item = json.loads(line)
                path = Path(item["path"])
                rel = _inside(path, roots) if path.is_absolute() else path
                at = datetime.fromisoformat(item["received_at"])
            except (ValueError, KeyError, TypeError, OSError):
                continue
            if at.tzinfo is None:
                continue  # a time without its offset is ambiguous: not trusted
            records[inbox_key(rel)] = {
                "received_at": at.astimezone(UTC).isoformat(timespec="seconds"),
                "sha256": item.get("sha256"),
            }
    return records


def _inside(path: Path, roots: tuple[Path, ...]) -> Path:
    """``path`` relative to the inbox, without following links (a link is its own entry)."""
    normal = Path(os.path.normpath(path))
    for root in roots:
        if normal.is_relative_to(root):
            return normal.relative_to(root)
    raise ValueError(f"outside the inbox: {path}")


def iter_manifest_lines(items: list[tuple[Path, datetime, str | None]]) -> Iterator[str]:
    """JSON Lines for ``read_manifests`` (used by the demo and synth)."""
    for path, at, sha in items:
        record = {"path": str(path), "received_at": at.isoformat()}
        if sha:
            record["sha256"] = sha
        yield json.dumps(record, ensure_ascii=False)
