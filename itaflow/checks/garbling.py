"""Broken text: how much of a cell reads as Thai words, and what damage it shows.

The signals (word share, repair gain, misplaced marks, replacement and private-use
characters) feed ``garbled_text``; thresholds live in ``expectations/*.json``.
"""

from __future__ import annotations

import re
from typing import Any

from itaflow import thai
from itaflow.checks import signals

# Below this many Thai letters a word share says nothing.
WORD_SHARE_MIN_THAI = 30

_THAI_RUNS = re.compile(f"[{thai.THAI_LETTER}]+")
_REPEAT_MARKS = re.compile("[ฯๆ]")


def word_share(text: str) -> float | None:
    """``thai.thai_word_share``, None for text with too little Thai to judge.
    ฯ and ๆ are marks, not words: they would make their neighbours look stray."""
    text = _REPEAT_MARKS.sub(" ", text)
    thai_letters = sum(map(len, _THAI_RUNS.findall(text)))
    return round(thai.thai_word_share(text), 4) if thai_letters >= WORD_SHARE_MIN_THAI else None


def garbled(texts: dict[str, str], raw: dict[str, str]) -> dict[str, Any]:
    """Broken-text signals of a measure, and the field they are worst in.

    The word share is the lowest of the fields: one broken cell in a clean row is
    still broken. Replacement and private-use characters are counted in the
    cells as read (``Measure.raw``), because normalisation maps legacy Thai font
    glyphs back to letters and would hide that the file was damaged.
    """
    as_read = {("period" if k == "period_text" else k): v for k, v in raw.items()} or texts
    broken = {f: signals.broken_chars(t) for f, t in as_read.items()}
    marks = {f: signals.misplaced_marks(t) for f, t in texts.items()}
    shares = {f: s for f, s in ((f, word_share(t)) for f, t in texts.items()) if s is not None}
    worst = (
        next((f for f, n in broken.items() if n), None)
        or next((f for f, n in marks.items() if n), None)
        or (min(shares, key=lambda f: shares[f]) if shares else None)
    )
    gains = {
        f: g
        for f, g in ((f, _repair_gain(t, shares[f])) for f, t in texts.items() if f in shares)
        if g
    }
    if not worst or (gains and not broken.get(worst) and not marks.get(worst)):
        worst = max(gains, key=lambda f: gains[f]) if gains else worst
    sample_text = as_read.get(worst, "") if broken.get(worst or "") else texts.get(worst or "", "")
    return {
        "thai_word_share": min(shares.values()) if shares else None,
        "glyph_repair_gain": max(gains.values()) if gains else 0.0,
        "misplaced_marks": sum(marks.values()),
        "replacement_or_pua_chars": sum(broken.values()),
        "garbled_field": worst,
        "garbled_sample": signals.first_broken_sample(sample_text)
        or _unknown_words_sample(sample_text),
    }


_TONE_AFTER = re.compile("([^\u0e48-\u0e4b\\s])([\u0e48-\u0e4b])")


def _repair_gain(text: str, share: float) -> float:
    """How much more of the text reads as Thai words once the usual PDF glyph damage is
    undone: ำ read for า (กำร for การ), or every tone mark shifted one letter late
    (ขัน้ for ขั้น). Clean text reads worse after such a "repair", damaged text much
    better, so the gain separates them even where the word share alone stays high.
    Only cells that are not already near-perfect are tried (it costs two more passes)."""
    if share >= 0.97:
        return 0.0
    repaired = []
    if "ำ" in text:
        repaired.append(text.replace("ำ", "า"))
    if _TONE_AFTER.search(text):
        repaired.append(_TONE_AFTER.sub(r"\2\1", text))
    best = max((thai.thai_word_share(r) for r in repaired), default=share)
    return round(max(0.0, best - share), 4)


def _unknown_words_sample(text: str) -> str:
    """The first stretch of Thai the dictionary does not know ("กำร"), for messages."""
    for run in re.findall(f"[{thai.THAI_LETTER}]+", text):
        if len(run) >= 3 and thai.thai_word_share(run) < 0.5:
            return run[:30]
    return ""
