"""Collect: find every file in the inbox, hash it and keep a copy of the original.

The inbox belongs to the LAOs and the office: itaflow never moves, renames or
deletes anything there. Each file's bytes are copied once into the store under a
name derived from their SHA-256, so the original stays reachable whatever its
submitted name was (names can hold anything: ``../``, newlines, 300 characters).
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import stat
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class ReceivedFile:
    """One file seen in the inbox, with where its original is kept."""

    sha256: str
    size: int
    original_name: str  # display-safe form of the submitted file name
    inbox_path: str  # relative to the inbox, display-safe
    stored_path: str  # absolute path of the kept copy
    received_at: str  # ISO timestamp (UTC) the file landed in the inbox (its mtime)
    problem: str | None = None  # why it cannot be processed (e.g. a link out of the inbox)


def safe_display_name(name: str, limit: int = 200) -> str:
    """A file name fit to show and store: no control characters, bounded length."""
    cleaned = "".join(
        "_" if unicodedata.category(ch).startswith("C") else ch
        for ch in unicodedata.normalize("NFC", name)
    )
    return cleaned[:limit] or "_"


class NotARegularFile(OSError):
    """A FIFO, socket or device in the inbox: opening it could block forever."""


def sha256_of(path: Path) -> tuple[str, int]:
    """Hash a file in chunks so a huge submission never sits in memory.

    Opened non-blocking and checked to be a regular file first, so a named pipe
    (or a link to one) in the inbox cannot hang the run.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotARegularFile(errno.EINVAL, "ไม่ใช่ไฟล์ปกติ / not a regular file")
        os.set_blocking(fd, True)
        digest = hashlib.sha256()
        size = 0
        with os.fdopen(fd, "rb", closefd=False) as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
        return digest.hexdigest(), size
    finally:
        os.close(fd)


def stored_path_for(store: Path, sha256: str) -> Path:
    """Where the original with this hash is kept: never derived from the submitted name."""
    return store / sha256[:2] / f"{sha256}.bin"


def keep_original(path: Path, store: Path, sha256: str) -> Path:
    """Copy the bytes into the store once (atomic rename, so a crash leaves no half file)."""
    target = stored_path_for(store, sha256)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    shutil.copyfile(path, partial)  # a link here points inside the inbox (checked before)
    partial.replace(target)
    target.chmod(0o444)
    return target


def inbox_files(inbox: Path) -> list[Path]:
    """Everything under the inbox that is not a folder, in a stable order (hidden files,
    links, pipes too: each must be accounted for, even if it cannot be read)."""
    if not inbox.is_dir():
        return []
    return sorted(p for p in inbox.rglob("*") if p.is_symlink() or not p.is_dir())


def _escapes(path: Path, inbox: Path) -> bool:
    """True for a link whose target lies outside the inbox (never followed)."""
    try:
        path.resolve(strict=True).relative_to(inbox.resolve())
    except (ValueError, OSError, RuntimeError):
        return True
    return False


def collect_file(path: Path, inbox: Path, store: Path) -> ReceivedFile:
    """Hash and keep one inbox file; a file we must not read is still accounted for."""
    rel = safe_display_name(str(path.relative_to(inbox)), limit=400)
    name = safe_display_name(path.name)
    if path.is_symlink() and _escapes(path, inbox):
        # A link out of the inbox could expose any file on the server: keep a record
        # of it (hash of the link text) and never open the target.
        marker = f"symlink:{rel}->{path.readlink()}".encode()
        digest = hashlib.sha256(marker).hexdigest()
        return ReceivedFile(
            sha256=digest,
            size=0,
            original_name=name,
            inbox_path=rel,
            stored_path="",
            received_at=_mtime(path, follow=False),
            problem="ลิงก์ชี้ออกนอกกล่องรับไฟล์ ไม่ได้เปิดอ่าน / link points outside the inbox; not opened",
        )
    if not path.is_symlink() and not path.is_file():
        raise NotARegularFile(errno.EINVAL, "ไม่ใช่ไฟล์ปกติ / not a regular file")
    sha, size = sha256_of(path)
    kept = keep_original(path, store, sha)
    return ReceivedFile(
        sha256=sha,
        size=size,
        original_name=name,
        inbox_path=rel,
        stored_path=str(kept),
        received_at=_mtime(path, follow=True),
    )


def _mtime(path: Path, *, follow: bool) -> str:
    stat = path.stat() if follow else path.lstat()
    return datetime.fromtimestamp(stat.st_mtime, UTC).isoformat(timespec="seconds")


def scan_inbox(inbox: Path, store: Path) -> list[ReceivedFile]:
    """Collect every file of the inbox; unreadable paths become records with a problem."""
    received: list[ReceivedFile] = []
    for path in inbox_files(inbox):
        try:
            received.append(collect_file(path, inbox, store))
        except OSError as exc:
            rel = safe_display_name(str(path.relative_to(inbox)), limit=400)
            digest = hashlib.sha256(f"unreadable:{rel}".encode()).hexdigest()
            received.append(
                ReceivedFile(
                    sha256=digest,
                    size=0,
                    original_name=safe_display_name(path.name),
                    inbox_path=rel,
                    stored_path="",
                    received_at=datetime.now(UTC).isoformat(timespec="seconds"),
                    problem=f"เปิดไฟล์ไม่ได้ / cannot open file: {exc.strerror or exc}",
                )
            )
    return received
