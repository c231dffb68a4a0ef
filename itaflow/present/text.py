"""Submission text made safe and readable for an officer, whatever the renderer.

Control and bidi-override characters are removed and length bounded once here;
each renderer still escapes for its own format (Jinja autoescape, Typst strings,
XLSX strings). A finding's message is shown by its Thai half.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# C0/C1 controls (tab and newline handled apart), bidi embeddings/overrides/isolates,
# BOM, lone surrogates and XML non-characters: none belongs in a report, some hide text.
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\ufeff]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"\s+")
# What PDF extraction leaves behind: "(cid:0)" glyph ids, replacement and private-use chars.
_DEBRIS = re.compile(r"\(cid:\d+\)|[\ufffd\ue000-\uf8ff]")
# "มาตรการที่ 20: " written twice (a reader's prefix on a check's own prefix).
_SEQ_PREFIX = re.compile(r"^(มาตรการที่\s*\d+\s*:\s*)(?:มาตรการที่\s*\d+\s*:\s*)+")
_THAI = re.compile("[\u0e00-\u0e7f]")
_TEXT_LIMIT = 2_000


def clean(value: Any, *, oneline: bool = True, limit: int = _TEXT_LIMIT) -> str:
    """Submission text made safe to place anywhere: no controls, bounded length.

    ``oneline`` folds newlines and tabs into spaces (names, headers, table cells).
    """
    if value is None:
        return ""
    text = _DEBRIS.sub("", _INVISIBLE.sub("", str(value)))
    if oneline:
        text = _SPACES.sub(" ", _CONTROL.sub(" ", text)).strip()
    else:
        text = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def thai_message(message: Any) -> str:
    """A finding's message for an officer: the Thai half of "ไทย / English", debris
    removed, a doubled "มาตรการที่ N:" written once."""
    text = clean(message)
    head, sep, tail = text.rpartition(" / ")
    if sep and _THAI.search(head) and not _THAI.search(tail):
        text = head.strip()
    return _SEQ_PREFIX.sub(r"\1", text)


def with_seq(message: str, seq: int | None) -> str:
    """ "มาตรการที่ N: ..." exactly once when the finding is about one measure."""
    if seq is None or message.startswith("มาตรการที่") or message.startswith("ทุกมาตรการ"):
        return message
    return f"มาตรการที่ {seq}: {message}"


def thai_key(text: str) -> str:
    """Sort key close to Thai dictionary order: a leading vowel sorts after its consonant."""
    return re.sub("([เแโใไ])([ก-ฮ])", r"\2\1", text)


def safe_href(target: str) -> str | None:
    """A link target for a Data Docs page, or None when it must be shown as text only.

    Only http(s) and file URLs are linked; a bare path becomes a file URL (absolute)
    or stays relative. ``javascript:``, ``data:`` and the like never become links.
    """
    target = clean(target)
    if not target:
        return None
    scheme = urlsplit(target).scheme.lower()
    if scheme in ("http", "https", "file"):
        return target
    if scheme and len(scheme) > 1:  # one letter is a Windows drive, not a scheme
        return None
    path = Path(target)
    return path.as_uri() if path.is_absolute() else path.as_posix()


def addressee(name: str) -> str:
    """How a letter to the LAO's head begins: นายกเทศมนตรีตำบลX / นายกองค์การบริหารส่วนตำบลX."""
    return f"นายกเทศมนตรี{name[len('เทศบาล') :]}" if name.startswith("เทศบาล") else f"นายก{name}"
