"""The files the monitoring page serves: compiled reports and kept originals.

A name or hash from a request never becomes a path by itself: a report is served
only if ``list_reports`` lists it (regular files, no links, two levels at most),
an original only by the path its hash gives under the store.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from itaflow.present.text import clean
from itaflow.present.thaidate import thai_datetime
from itaflow.settings import Settings

REPORT_FILE = re.compile(r"^ita-[^/\\\x00]{1,200}\.(html|pdf|xlsx)$")
ROUND_DIR = re.compile(r"^\d{4}-(H1|FY)$")
_FORMAT_TH = {"html": "หน้าเว็บ (HTML)", "pdf": "PDF", "xlsx": "Excel (XLSX)"}


def list_reports(folder: Path) -> list[dict[str, Any]]:
    """The compiled reports (``ita-*.html|pdf|xlsx``) in ``folder`` and in its round
    folders (``<fiscal year>-<round>/``, where ``compile`` files them), newest first.

    Only regular files, no links, and only those two levels: serving a name from this
    list can never reach outside the folder.
    """
    from itaflow.warehouse.db import BANGKOK

    entries = _report_entries(Path(folder))
    found = []
    for path in entries:
        if not REPORT_FILE.match(path.name) or path.is_symlink() or not path.is_file():
            continue
        stat = path.stat()
        fmt = path.suffix[1:]
        found.append(
            {
                "name": path.name,
                "stem": path.name[: -len(path.suffix)],
                "format": fmt,
                "format_th": _FORMAT_TH[fmt],
                "size": stat.st_size,
                "size_th": _size_th(stat.st_size),
                "modified_at": thai_datetime(
                    datetime.fromtimestamp(stat.st_mtime, BANGKOK)
                    .replace(tzinfo=None)
                    .isoformat(timespec="minutes")
                ),
                "href": "reports/" + quote(path.name),
                "mtime": stat.st_mtime,
            }
        )
    found.sort(key=lambda f: (-f["mtime"], f["name"]))
    for f in found:
        del f["mtime"]
    return found


def _report_entries(folder: Path) -> list[Path]:
    """Files directly in ``folder`` and in its round folders; never through a link."""
    try:
        top = list(folder.iterdir())
    except OSError:
        return []
    entries = []
    for path in top:
        if ROUND_DIR.match(path.name) and path.is_dir() and not path.is_symlink():
            try:
                entries.extend(path.iterdir())
            except OSError:
                continue
        else:
            entries.append(path)
    return entries


def _size_th(size: int) -> str:
    if size < 1024:
        return f"{size} ไบต์"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def report_file(folder: Path, name: str) -> Path | None:
    """The path of a compiled report named ``name``, only if ``list_reports`` lists it."""
    if not any(item["name"] == name for item in list_reports(folder)):
        return None
    return next(p for p in _report_entries(Path(folder)) if p.name == name)


def original_download(settings: Settings, sha256: str) -> tuple[Path, str] | None:
    """The kept original with this hash and the name it arrived under, or None.

    The path is derived from the hash alone (``store.stored_path_for`` under the
    store), never from the request or a stored path; the hash must be a submission's.
    """
    from itaflow.store import stored_path_for
    from itaflow.warehouse import original_file

    row = original_file(settings.warehouse_url, sha256)
    if row is None:
        return None
    store = settings.store.resolve()
    path = stored_path_for(store, row["sha256"])
    try:
        path.resolve(strict=True).relative_to(store)
    except (OSError, ValueError):
        return None
    if path.is_symlink() or not path.is_file():
        return None
    return path, clean(row["original_name"]) or f"{row['sha256']}.bin"
