"""Text lines from PDF characters, in Thai-safe order.

pdfplumber's own ``extract_text`` sorts characters by x and inserts a space
wherever two characters are more than ``x_tolerance`` apart. Thai vowels and
tone marks are zero-width glyphs whose x-position is unreliable, so that
scrambles them (วเิคราะห์) and splits words (เจ้าหน้าท ี่). Here a combining
mark stays with the character before it in the content stream, lines are
grouped on base characters only, and a space is inserted only for a real gap
between base characters. Glyphs themselves are never altered: broken forms
(กำร) and private-use tick boxes (U+F0FE ...) pass through for the checks to see.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field


@dataclass
class Glyph:
    """A base character with the combining marks that follow it in the content stream."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float

    @property
    def mid(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Line:
    glyphs: list[Glyph] = field(default_factory=list)
    mid: float = 0.0
    size: float = 0.0

    @property
    def top(self) -> float:
        return min(g.top for g in self.glyphs)


def _is_mark(text: str) -> bool:
    return bool(text) and all(unicodedata.category(ch) in ("Mn", "Me") for ch in text)


def glyphs_of(chars: list[dict]) -> list[Glyph]:
    """Characters in stream order, each combining mark folded into the glyph before it."""
    out: list[Glyph] = []
    for c in chars:
        text = c.get("text") or ""
        if not text:
            continue
        if out and _is_mark(text):
            out[-1].text += text  # a mark's box is its cluster's (PDFium spreads ActualText)
            out[-1].x1 = max(out[-1].x1, min(float(c["x1"]), out[-1].x1 + out[-1].size))
            continue
        size = float(c.get("size") or 0) or max(float(c["bottom"]) - float(c["top"]), 1.0)
        out.append(
            Glyph(text, float(c["x0"]), float(c["x1"]), float(c["top"]), float(c["bottom"]), size)
        )
    return out


def group_lines(glyphs: list[Glyph]) -> list[Line]:
    """Glyphs into lines top to bottom, each line sorted left to right."""
    lines: list[Line] = []
    for g in sorted(glyphs, key=lambda g: g.mid):
        if lines and abs(g.mid - lines[-1].mid) <= max(lines[-1].size, g.size) * 0.4:
            lines[-1].glyphs.append(g)
        else:
            lines.append(Line([g], g.mid, g.size))
    for line in lines:
        line.glyphs.sort(key=lambda g: g.x0)
    return [line for line in lines if line_text(line)]


def line_text(line: Line, gap: float = 0.25) -> str:
    """A line's text; a space wherever base glyphs are ``gap`` x font size apart."""
    parts: list[str] = []
    right: float | None = None
    for g in line.glyphs:
        if g.text.isspace():
            parts.append(" ")
            continue
        if right is not None and g.x0 - right > max(1.0, gap * g.size):
            parts.append(" ")
        parts.append(g.text)
        right = g.x1 if right is None else max(right, g.x1)
    return " ".join("".join(parts).split())


def lines_text(lines: list[Line]) -> str:
    return "\n".join(t for t in (line_text(line) for line in lines) if t)
