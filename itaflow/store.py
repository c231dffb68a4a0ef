"""The store: each original kept once, read-only, under the SHA-256 of its bytes.

Collect copies inbox files here (``hash_and_keep``); readers, the monitor's download
and the workers find a file again by its hash alone (``stored_path_for``), never by
the name it was submitted under.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import tempfile
from pathlib import Path

CHUNK = 1024 * 1024


class NotARegularFile(OSError):
    """A FIFO, socket or device in the inbox: opening it could block forever."""


class ChangedWhileReading(OSError):
    """The file's size or mtime moved while it was copied: it is still being written."""


class StoreUnavailable(Exception):
    """The store cannot take a copy (disk full, read-only): not the file's fault, so the
    file waits for the next run instead of being quarantined."""


class TooLarge(Exception):
    """Bigger than the per-file limit: refused before a byte is copied."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def stored_path_for(store: Path, sha256: str) -> Path:
    """Where the original with this hash is kept: never derived from the submitted name."""
    return store / sha256[:2] / f"{sha256}.bin"


def _open_regular(path: Path, *, follow: bool = True) -> int:
    """Open without blocking on a FIFO, and refuse anything that is not a regular file.

    ``follow=False``: a path that became a link since the walk is not followed."""
    flags = os.O_RDONLY | os.O_NONBLOCK | (0 if follow else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow:
            raise ChangedWhileReading(errno.ELOOP, "became a link") from exc
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise NotARegularFile(errno.EINVAL, "ไม่ใช่ไฟล์ปกติ / not a regular file")
    os.set_blocking(fd, True)
    return fd


def sha256_of(path: Path) -> tuple[str, int]:
    """Hash a file in chunks so a huge submission never sits in memory (FIFOs refused)."""
    fd = _open_regular(path)
    try:
        digest = hashlib.sha256()
        size = 0
        while chunk := os.read(fd, CHUNK):
            digest.update(chunk)
            size += len(chunk)
        return digest.hexdigest(), size
    finally:
        os.close(fd)


def hash_and_keep(
    path: Path,
    store: Path,
    max_bytes: int | None = None,
    expect: tuple[int, int] | None = None,
    *,
    follow: bool = True,
) -> tuple[str, int, int, Path]:
    """Copy the file into the store while hashing it, in one pass; returns
    ``(sha256, size, mtime_ns, kept path)``.

    The copy goes to a temporary name private to this process, and is renamed to
    its hash only when the bytes hashed are the bytes written: the stored copy can
    never disagree with its name, and concurrent collectors never share a file.
    The size is checked on the open file before copying (``TooLarge``), and the
    file's size and mtime after copying (``ChangedWhileReading`` if they moved, or
    if they differ from ``expect`` = what the scan saw).
    """
    fd = _open_regular(path, follow=follow)
    try:
        before = os.fstat(fd)
        if max_bytes is not None and before.st_size > max_bytes:
            raise TooLarge(before.st_size)
        try:
            store.mkdir(parents=True, exist_ok=True)
            tmp_fd, tmp_name = tempfile.mkstemp(
                prefix=f".{os.getpid()}-", suffix=".part", dir=store
            )
        except OSError as exc:
            raise StoreUnavailable(f"{store}: {exc.strerror or exc}") from exc
        try:
            digest, size = hashlib.sha256(), 0
            with os.fdopen(tmp_fd, "wb") as out:
                while chunk := os.read(fd, CHUNK):
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise TooLarge(size)
                    digest.update(chunk)
                    try:
                        out.write(chunk)
                    except OSError as exc:
                        raise StoreUnavailable(f"{store}: {exc.strerror or exc}") from exc
            after = os.fstat(fd)
            state = (after.st_size, after.st_mtime_ns)
            if state != (before.st_size, before.st_mtime_ns) or size != after.st_size:
                raise ChangedWhileReading(errno.EAGAIN, "changed while read")
            if expect is not None and state != expect:
                raise ChangedWhileReading(errno.EAGAIN, "changed since the scan")
            sha = digest.hexdigest()
            target = stored_path_for(store, sha)
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                os.unlink(tmp_name)
            else:
                os.chmod(tmp_name, 0o444)
                os.replace(tmp_name, target)  # atomic: a crash leaves no half file under a hash
            return sha, size, after.st_mtime_ns, target
        except BaseException:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)
            raise
    finally:
        os.close(fd)
