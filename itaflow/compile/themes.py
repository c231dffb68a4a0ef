"""Themes of measures (No Gift Policy, procurement, complaints …) from a keyword file.

The themes are configuration (``itaflow/data/themes.json``: a Thai label, an optional
ITA category and Thai keywords per theme), so an office adds a theme or a keyword
without touching code. A measure gets every theme one of whose keywords it contains on
pythainlp word boundaries (the keywords are added to the tokeniser's dictionary, so a
keyword is cut as one word); the title is tried first, the steps only when the title
matches nothing. A measure that states no IIT/EIT/OIT gets the category its themes
agree on, and stays unknown when they do not.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

THEMES_FILE = Path(__file__).resolve().parents[1] / "data" / "themes.json"
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Theme:
    key: str
    label: str
    category: str | None
    keywords: tuple[str, ...]


@lru_cache(maxsize=4)
def load_themes(path: Path = THEMES_FILE) -> tuple[Theme, ...]:
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    return tuple(
        Theme(t["key"], t["label"], t.get("category"), tuple(k.lower() for k in t["keywords"]))
        for t in raw["themes"]
    )


class WordSet:
    """A word list that answers pythainlp newmm's one question, ``prefixes(text, start)``.

    Stands in for ``pythainlp.util.Trie``: built in a few milliseconds from a set, where
    the Trie takes 1–3 s for the 62,000 words of the default dictionary; newmm cuts the
    same words with either.
    """

    def __init__(self, words: set[str]):
        self.words = frozenset(words)
        lengths: dict[str, set[int]] = {}
        for word in self.words:
            lengths.setdefault(word[:2], set()).add(len(word))
        self.lengths = {k: tuple(sorted(v)) for k, v in lengths.items()}

    def __len__(self) -> int:
        return len(self.words)

    def prefixes(self, text: str, start: int = 0) -> list[str]:
        if start >= len(text):
            return []
        words = self.words
        found = [text[start]] if text[start] in words else []
        room = len(text) - start
        for k in self.lengths.get(text[start : start + 2], ()):
            if k > room:
                break
            if k > 1 and text[start : start + k] in words:
                found.append(text[start : start + k])
        return found


@lru_cache(maxsize=4)
def _tokeniser(themes: tuple[Theme, ...]) -> WordSet:
    from pythainlp.corpus import thai_words

    words = set(thai_words())
    words.update(k.replace(" ", "") for t in themes for k in t.keywords)
    return WordSet(words)


def _starts(text: str, themes: tuple[Theme, ...]) -> tuple[str, frozenset[int]]:
    """The text without spaces (lowercase) and where its words start and end."""
    from pythainlp.tokenize import word_tokenize

    flat = _SPACES.sub("", text.lower())
    cuts = {0}
    at = 0
    for token in word_tokenize(flat, custom_dict=_tokeniser(themes), engine="newmm"):
        at += len(token)
        cuts.add(at)
    return flat, frozenset(cuts)


@lru_cache(maxsize=65_536)
def _match(text: str, themes: tuple[Theme, ...]) -> tuple[str, ...]:
    if not text.strip():
        return ()
    flat, cuts = _starts(text, themes)
    found = []
    for theme in themes:
        for keyword in theme.keywords:
            kw = keyword.replace(" ", "")
            at = flat.find(kw)
            while at >= 0 and at not in cuts:
                at = flat.find(kw, at + 1)
            if at >= 0:
                found.append(theme.key)
                break
    return tuple(found)


def assign(measure: str, steps: str = "", themes: tuple[Theme, ...] | None = None) -> list[str]:
    """Theme keys of one measure, in the configured order (empty: no theme found)."""
    themes = themes or load_themes()
    return list(_match(measure or "", themes) or _match(steps or "", themes))


def infer_category(stated: str | None, keys: list[str], themes: tuple[Theme, ...]) -> str | None:
    """The stated category, else the one every categorised theme of the measure agrees on."""
    if stated in ("IIT", "EIT", "OIT"):
        return stated
    by_key = {t.key: t.category for t in themes}
    cats = {by_key[k] for k in keys if by_key.get(k)}
    return cats.pop() if len(cats) == 1 else None
