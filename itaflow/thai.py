"""Thai text normalisation shared by extraction and checks.

Reports reach us through Word, Excel, PDF text layers and OCR, so the same word
can arrive with Thai or Arabic digits, a decomposed สระอำ, zero-width characters,
Wingdings tick boxes, or spaces that line wrapping put inside a word
("ผ ลการ"). ``normalize`` undoes what is safe to undo and nothing else: it never
rewrites spelling, so damage that checks must see (กำร for การ) stays visible.

Word decisions use pythainlp's bundled dictionary only (no download) and are
cached, because a batch normalises about 10,000 cells.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pythainlp.corpus import thai_words
from pythainlp.tokenize.newmm import segment

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

# Zero-width and invisible characters that only break matching.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"), None)

# Wingdings tick boxes as they come out of PDF text layers. Other private-use
# characters (old Thai fonts' shifted tone marks, U+F70A ...) are left in place:
# they are damage that ``garbled_text`` must see, not something to hide.
_PRIVATE_USE = {0xF0FE: "☑", 0xF052: "☑", 0xF0A8: "☐", 0xF0A3: "☐"}
_CHAR_MAP = {**_INVISIBLE, **_PRIVATE_USE, ord("\u00a0"): " ", ord("\t"): " ", ord("\r"): "\n"}

# ํ (+ optional tone mark) + า is a decomposed สระอำ; the tone mark goes first.
_DECOMPOSED_AM = re.compile("\u0e4d([\u0e48-\u0e4b]?)\u0e32")
_SPACES = re.compile(r"[^\S\n]+")

THAI_LETTER = "\u0e01-\u0e4e"
_THAI_LETTERS_RUN = re.compile(f"[{THAI_LETTER}]+")
# Characters that can never begin a word (following vowels, upper/lower marks)
# and leading vowels that can never end one.
_NO_START = set(
    "\u0e30\u0e31\u0e32\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e45\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e"
)
_NO_END = set("\u0e40\u0e41\u0e42\u0e43\u0e44")
# A run of Thai chunks separated by single spaces or newlines.
# Starts only at the start of a Thai run, possessive: linear on huge runs.
_THAI_RUN = re.compile(f"(?<![{THAI_LETTER}])[{THAI_LETTER}]++(?:[ \n][{THAI_LETTER}]++)+")


@lru_cache(maxsize=1)
def words() -> frozenset[str]:
    """pythainlp's bundled Thai word list."""
    return frozenset(thai_words())


def to_arabic_digits(text: str) -> str:
    """๐..๙ → 0..9, everything else unchanged."""
    return text.translate(_THAI_DIGITS)


@lru_cache(maxsize=65536)
def tokens(text: str) -> tuple[str, ...]:
    """Dictionary word segmentation (pythainlp newmm, bundled dictionary), cached."""
    return tuple(segment(text))


_WINDOW = 12  # letters each side of a separator that decide it


@lru_cache(maxsize=65536)
def _inside_word(left: str, right: str) -> bool:
    """Whether the dictionary segmentation of ``left + right`` puts a known
    word across the point where they meet. Only a window around the point is
    segmented: far text rarely changes the decision, and short windows repeat
    (so the cache pays) where whole cells never do."""
    left, right = left[-_WINDOW:], right[:_WINDOW]
    start = 0
    for tok in tokens(left + right):
        end = start + len(tok)
        if start < len(left) < end:
            return len(tok) > 1 and tok in words()
        if end >= len(left):
            return False
        start = end
    return False


def _join_run(run: str) -> str:
    """Drop the separators of a Thai run that fall inside a word.

    A separator is dropped when the next character cannot start a word or the
    previous one cannot end one (pure spelling), or when the dictionary
    segmentation puts a known word across it ("ผ ลการ"); separators at word
    boundaries stay ("ประชาสัมพันธ์ แผน").
    """
    chunks = re.split(r"([ \n])", run)
    pieces = chunks[0::2]
    out = [pieces[0]]
    left = pieces[0][-_WINDOW:]
    for i, (sep, nxt) in enumerate(zip(chunks[1::2], pieces[1:], strict=True)):
        right, k = nxt, i + 2
        while len(right) < _WINDOW and k < len(pieces):
            right, k = right + pieces[k], k + 1
        spelling = nxt[0] in _NO_START or left[-1] in _NO_END
        if nxt[0] in "ๆฯ" or not (spelling or _inside_word(left, right[:_WINDOW])):
            out.append(sep)
        out.append(nxt)
        left = (left + nxt)[-_WINDOW:]
    return "".join(out)


def _rejoin(m: re.Match[str]) -> str:
    run = m.group(0)
    if run[-1] != "." and m.string[m.end() : m.end() + 1] == ".":
        # The last chunk starts an abbreviation ("งบประมาณ พ.ศ."): keep it apart.
        head, sep, tail = max(run.rpartition(" "), run.rpartition("\n"), key=lambda p: len(p[0]))
        return (_join_run(head) if _THAI_RUN.fullmatch(head) else head) + sep + tail
    return _join_run(run)


def _rejoin_words(text: str) -> str:
    return _THAI_RUN.sub(_rejoin, text)


@lru_cache(maxsize=65536)
def normalize(text: str, rejoin: bool = True) -> str:
    """Clean text for comparison and display, keeping its line breaks.

    NFC; decomposed สระอำ recomposed; zero-width characters dropped; tick-box
    private-use glyphs mapped to ☑/☐; runs of spaces
    collapsed, lines stripped, empty lines dropped; spaces and line breaks
    that wrapping put inside Thai words removed (unless ``rejoin`` is False:
    personal names are not dictionary words). Digits stay as written.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text.translate(_CHAR_MAP))
    text = _DECOMPOSED_AM.sub("\\1\u0e33", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    text = "\n".join(line for line in lines if line)
    return _rejoin_words(text) if rejoin else text


def one_line(text: str, rejoin: bool = True) -> str:
    """``normalize`` with line breaks turned into spaces (titles, names)."""
    return normalize(text, rejoin).replace("\n", " ")


def thai_word_share(text: str) -> float:
    """Share of Thai characters that fall inside dictionary words (0..1).

    Clean Thai scores high (most text is known words); text layers with broken
    glyphs (กำร, ประชำ) or misplaced marks score low. A word next to a stray
    single character does not count: broken glyphs split "การ" into the real
    word "กำ" plus an orphan "ร". Returns 1.0 when the text has no Thai at all,
    so non-Thai text is judged by other checks. Measured on the samples: clean
    cells score ≥ 0.9, the broken cells of real_01 down to 0.44.
    """
    total = known = 0
    for run in _THAI_LETTERS_RUN.findall(text):
        run_known = _known_chars(run)
        total += len(run)
        known += run_known
    return known / total if total else 1.0


@lru_cache(maxsize=262_144)
def _known_chars(run: str) -> int:
    """Characters of one Thai run inside dictionary words, not next to a stray letter.

    Memoised: the checks ask about the same runs for a whole document and again
    for each of its cells, and reports repeat phrases across measures."""
    known_words = words()
    toks = tokens(run)
    orphan = [len(t) == 1 and t not in known_words for t in toks]
    known = 0
    for i, tok in enumerate(toks):
        stray = (i > 0 and orphan[i - 1]) or (i + 1 < len(toks) and orphan[i + 1])
        if tok in known_words and not stray:
            known += len(tok)
    return known


def around(text: str, start: int, end: int, before: int = 20, after: int = 25) -> str:
    """The text around a span, widened to the nearest spaces so words stay whole."""
    lo = max(0, start - before)
    hi = min(len(text), end + after)
    if lo > 0 and (space := text.rfind(" ", 0, lo)) >= 0 and lo - space < 15:
        lo = space + 1
    if hi < len(text) and (space := text.find(" ", hi)) >= 0 and space - hi < 15:
        hi = space
    return " ".join(text[lo:hi].split())


_WORD_CHAR = re.compile(r"[^\W_]")


def present(text: str) -> bool:
    """Something was written: at least one letter or digit ("-" is not an answer)."""
    return bool(_WORD_CHAR.search(text))
