"""Near-duplicate texts among a report's measures, without comparing every pair.

Comparing every result with every earlier one is quadratic in the number of
measures, and each comparison of two long cells is itself costly: a 10 MB report
of 800 measures took minutes. Here each text gets a MinHash signature of its
character 3-grams (numpy, one pass), signatures are split into bands (locality-
sensitive hashing), and only texts sharing a band with an earlier one, the few
most alike by their signatures, are compared exactly. Identical texts are found
by a dictionary. The work grows linearly with the number of measures.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

HASHES = 32
ROWS = 2  # per band: 16 bands; two texts with 3-gram Jaccard 0.4 meet with p = 0.94
BUCKET_CAP = 64  # members kept per band value: a common value says little
TOP_K = 4  # earlier texts compared exactly per text
MIN_ESTIMATE = 0.45  # below this signature agreement a 0.9 fuzzy ratio is implausible
# Exact likeness below this is reported as 0: the rule fires above 0.9, and a high
# cutoff lets rapidfuzz stop early on long texts that are plainly different.
CUTOFF = 0.8

_rng = np.random.default_rng(20261202)
_A = _rng.integers(1, 2**63 - 1, size=HASHES, dtype=np.uint64) | np.uint64(1)
_B = _rng.integers(0, 2**63 - 1, size=HASHES, dtype=np.uint64)
_P1, _P2 = np.uint64(1_000_003), np.uint64(1_000_003**2)


def signature(text: str) -> np.ndarray:
    """MinHash of the text's character 3-grams (``HASHES`` unsigned 64-bit values)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(codes) < 3:
        codes = np.concatenate([codes, np.zeros(3 - len(codes), dtype=np.uint64)])
    with np.errstate(over="ignore"):
        grams = np.unique(codes[:-2] * _P2 + codes[1:-1] * _P1 + codes[2:])
        mixed = _A[:, None] * grams[None, :] + _B[:, None]
        mixed ^= mixed >> np.uint64(29)
        mixed *= np.uint64(0xBF58476D1CE4E5B9)
        mixed ^= mixed >> np.uint64(32)
    return mixed.min(axis=1)


def nearest_earlier(
    texts: Sequence[dict[str, str]],
    similarity: Callable[[str, str, float], float],
    min_letters: int,
    fuzzy_letters: int,
) -> list[dict[str, Any]]:
    """Per measure, its most alike result/outcome among earlier measures' fields.

    ``texts[i]`` maps field → squashed text of measure ``i``. Texts shorter than
    ``min_letters`` are ignored; below ``fuzzy_letters`` only an exact repeat counts.
    Each item: ``max_similarity_to_other_result`` (0..1), ``duplicate_field``,
    ``duplicate_of_measure`` (1-based position), ``duplicate_of_field``.
    """
    exact: dict[str, tuple[int, str]] = {}
    buckets: dict[tuple[int, bytes], list[int]] = {}
    owners: list[tuple[int, str, str]] = []  # (measure, field, text) per signed text
    signatures = np.zeros((16, HASHES), dtype=np.uint64)  # row k: signature of owners[k]
    out = []
    for i, fields in enumerate(texts):
        best, of_seq, of_field, field = 0.0, None, None, None
        mine = []
        for f, text in fields.items():
            if len(text) < min_letters:
                continue
            if text in exact and exact[text][0] < i:
                if best < 1.0:
                    best, (j, g), field = 1.0, exact[text], f
                    of_seq, of_field = j + 1, g
                continue
            if len(text) < fuzzy_letters:
                continue
            sig = signature(text)
            mine.append((f, text, sig))
            if best >= 1.0:
                continue
            for j_index, estimate in _candidates(sig, buckets, signatures):
                j, g, other = owners[j_index]
                if j >= i or estimate < MIN_ESTIMATE or min(len(text), len(other)) < fuzzy_letters:
                    continue
                sim = similarity(text, other, max(best, CUTOFF))
                if sim > best:
                    best, of_seq, of_field, field = sim, j + 1, g, f
        for f, text in fields.items():
            if len(text) >= min_letters:
                exact.setdefault(text, (i, f))
        for f, text, sig in mine:
            if len(owners) == len(signatures):
                signatures = np.concatenate([signatures, np.zeros_like(signatures)])
            signatures[len(owners)] = sig
            _add(len(owners), sig, buckets)
            owners.append((i, f, text))
        out.append(
            {
                "max_similarity_to_other_result": round(best, 3),
                "duplicate_field": field,
                "duplicate_of_measure": of_seq,
                "duplicate_of_field": of_field,
            }
        )
    return out


def _bands(sig: np.ndarray) -> list[tuple[int, bytes]]:
    return [(b, sig[b * ROWS : (b + 1) * ROWS].tobytes()) for b in range(HASHES // ROWS)]


def _add(index: int, sig: np.ndarray, buckets: dict[tuple[int, bytes], list[int]]) -> None:
    for key in _bands(sig):
        members = buckets.setdefault(key, [])
        members.append(index)
        if len(members) > BUCKET_CAP:
            del members[0]


def _candidates(
    sig: np.ndarray, buckets: dict[tuple[int, bytes], list[int]], signatures: np.ndarray
) -> list[tuple[int, float]]:
    """Earlier texts sharing a band, the ``TOP_K`` most alike by signature first."""
    found: set[int] = set()
    for key in _bands(sig):
        found.update(buckets.get(key, ()))
    if not found:
        return []
    index = np.fromiter(sorted(found), dtype=np.int64, count=len(found))
    agree = (signatures[index] == sig).mean(axis=1)
    order = np.lexsort((index, -agree))[:TOP_K]
    return [(int(index[k]), float(agree[k])) for k in order]
