"""Render a ground-truth record into a file of one format and layout.

``render(record, fmt, layout, path)`` writes exactly what the record says; only the
presentation (columns, splits, encodings) varies. A record whose
``evidence["synth"]["corrupt"]`` is set gets its bytes spoiled afterwards, for the
``unreadable_file`` defect.
"""

from __future__ import annotations

import random
from pathlib import Path

from itaflow.models import SubmissionRecord
from itaflow.synth.render import excel, html, pdf, txt, word

LAYOUTS: dict[str, tuple[str, ...]] = {
    "txt": txt.LAYOUTS,
    "html": html.LAYOUTS,
    "docx": word.LAYOUTS,
    "xlsx": excel.LAYOUTS,
    "pdf": pdf.LAYOUTS,
}
# Encodings a text-like file may arrive in; binary formats carry their own.
ENCODINGS: dict[str, tuple[str, ...]] = {
    "txt": ("utf-8", "utf-8-sig", "utf-16", "cp874"),
    "html": ("utf-8", "cp874"),
}


def suffix(fmt: str, layout: str) -> str:
    """The file extension an office would see for this format and layout."""
    if fmt == "txt":
        return ".md" if layout.startswith("md_") and layout.endswith("table") else ".txt"
    return {"html": ".html", "docx": ".docx", "xlsx": ".xlsx", "pdf": ".pdf"}[fmt]


def render(
    record: SubmissionRecord, fmt: str, layout: str, path: Path | str, encoding: str = "utf-8"
) -> Path:
    """Write ``record`` as ``fmt``/``layout`` to ``path``; text formats in ``encoding``.

    Raises ``UnicodeEncodeError`` when the record holds characters ``encoding`` cannot
    carry (Khmer in cp874): the caller picks another encoding, as a real author would.
    """
    path = Path(path)
    if fmt == "txt":
        path.write_bytes(txt.text(record, layout).encode(encoding))
    elif fmt == "html":
        path.write_bytes(html.html(record, layout, encoding).encode(encoding))
    elif fmt == "docx":
        word.docx(record, layout, path)
    elif fmt == "xlsx":
        excel.xlsx(record, layout, path)
    elif fmt == "pdf":
        pdf.pdf(record, layout, path)
    else:
        raise ValueError(f"unknown format {fmt!r}")
    corrupt = record.evidence.get("synth", {}).get("corrupt")
    if corrupt == "truncate" and fmt in ("txt", "html"):
        corrupt = "garbage"  # a cut-off text file is still readable, only shorter
    if corrupt:
        spoil(path, corrupt, random.Random(record.evidence["synth"]["seed"]))
    return path


def render_random(
    record: SubmissionRecord,
    stem: Path | str,
    rng: random.Random,
    fmt: str | None = None,
    exclude_layouts: tuple[str, ...] = (),
    weights: dict[str, float] | None = None,
) -> tuple[Path, str, str, str | None]:
    """Render in a format/layout/encoding drawn from ``rng``; returns (path, fmt, layout, encoding).

    ``stem`` is the path without extension. An encoding that cannot carry the
    record's text (cp874 and Khmer) falls back to UTF-8, as it would for the author.
    """
    weights = weights or {f: 1.0 for f in LAYOUTS}
    if fmt is None:
        fmt = rng.choices(list(weights), weights=list(weights.values()))[0]
    layout = rng.choice([lay for lay in LAYOUTS[fmt] if lay not in exclude_layouts])
    encoding = rng.choice(ENCODINGS[fmt]) if fmt in ENCODINGS else None
    path = Path(f"{stem}{suffix(fmt, layout)}")
    try:
        render(record, fmt, layout, path, encoding or "utf-8")
    except UnicodeEncodeError:
        encoding = "utf-8"
        render(record, fmt, layout, path, encoding)
    return path, fmt, layout, encoding


def spoil(path: Path, how: str, rng: random.Random) -> None:
    """Make a file unreadable the ways real ones are: empty, cut short, or noise."""
    data = path.read_bytes()
    if how == "empty":
        path.write_bytes(b"")
    elif how == "truncate":
        path.write_bytes(data[: max(16, len(data) // 3)])
    else:
        path.write_bytes(bytes(rng.randrange(256) for _ in range(4096)))


__all__ = ["ENCODINGS", "LAYOUTS", "render", "render_random", "spoil", "suffix"]
