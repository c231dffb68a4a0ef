"""The registry of local administrative organisations (LAOs) and name matching.

7,849 LAOs from the Department of Local Administration (``data/lao_registry.csv``,
see its SOURCE.md), keyed on ``lao_code``: names repeat across provinces and even
within one (เทศบาลตำบลตาพระยา and อบต.ตาพระยา), so a name alone never identifies
an LAO. ``resolve`` weighs name similarity (typos, OCR damage) with the stated
type, district and province and says how sure it is; ``find_lao_mentions``
finds LAO names written anywhere in free text.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from itaflow.models import Agency
from itaflow.thai import one_line, tokens, words

REGISTRY_CSV = Path(__file__).with_name("data") / "lao_registry.csv"

# Below this score ``resolve`` names no lao_code: a wrong code would file the
# submission under another LAO, which is worse than asking an officer.
ACCEPT_SCORE = 0.6

LONG_FORM = {
    "อบต.": "องค์การบริหารส่วนตำบล",
    "เทศบาลตำบล": "เทศบาลตำบล",
    "เทศบาลเมือง": "เทศบาลเมือง",
    "เทศบาลนคร": "เทศบาลนคร",
    "อบจ.": "องค์การบริหารส่วนจังหวัด",
    "เมืองพัทยา": "เมืองพัทยา",
}
SHORT_FORM = {
    "อบต.": "อบต.",
    "เทศบาลตำบล": "ทต.",
    "เทศบาลเมือง": "ทม.",
    "เทศบาลนคร": "ทน.",
    "อบจ.": "อบจ.",
}

# How documents write each type before the name, longest first. A bare
# "เทศบาล" can be any of the three municipal types.
_MUNICIPAL = ("เทศบาลตำบล", "เทศบาลเมือง", "เทศบาลนคร")
_PREFIXES: list[tuple[str, tuple[str, ...]]] = [
    ("องค์การบริหารส่วนตำบล", ("อบต.",)),
    ("องค์การบริหารส่วนจังหวัด", ("อบจ.",)),
    ("เทศบาลตำบล", ("เทศบาลตำบล",)),
    ("เทศบาลเมือง", ("เทศบาลเมือง",)),
    ("เทศบาลนคร", ("เทศบาลนคร",)),
    ("เทศบาล", _MUNICIPAL),
    ("อบต", ("อบต.",)),
    ("อบจ", ("อบจ.",)),
    ("ทต", ("เทศบาลตำบล",)),
    ("ทม", ("เทศบาลเมือง",)),
    ("ทน", ("เทศบาลนคร",)),
]
_SHORT = r"(?:อ\.?\s?บ\.?\s?ต|อ\.?\s?บ\.?\s?จ|ท\.?\s?ต|ท\.?\s?ม|ท\.?\s?น)\.?"
_PREFIX_RE = re.compile(
    r"(?P<long>องค์การบริหารส่วนตำบล|องค์การบริหารส่วนจังหวัด|เทศบาลตำบล|เทศบาลเมือง|เทศบาลนคร|เทศบาล)"
    rf"|(?<![ก-๎])(?P<short>{_SHORT})(?=\s?[ก-ฮเ-ไ])"
)
_THAI_CHAR = re.compile(r"[ก-๎]")


@dataclass(frozen=True)
class Lao:
    """One registry row."""

    lao_code: str
    name_th: str
    lao_type: str
    type_th: str
    province_code: str
    province_th: str
    province_en: str
    district_th: str


def full_name(row: Lao) -> str:
    """The name as an LAO writes itself: long type form + name (เมืองพัทยา alone)."""
    if row.type_th == "เมืองพัทยา":
        return row.name_th
    return LONG_FORM[row.type_th] + row.name_th


@dataclass
class _Index:
    rows: dict[str, Lao]
    names: list[str]  # bare names, aligned with ``codes``
    codes: list[str]
    by_type_first: dict[tuple[str, str], list[Lao]]  # (type_th, first char) -> rows
    provinces: list[str]
    districts: dict[str, list[str]]  # province -> districts
    all_districts: list[str]


@lru_cache(maxsize=1)
def _index() -> _Index:
    with REGISTRY_CSV.open(encoding="utf-8") as fh:
        rows = {r["lao_code"]: Lao(**r) for r in csv.DictReader(fh)}
    by_type_first: dict[tuple[str, str], list[Lao]] = defaultdict(list)
    districts: dict[str, set[str]] = defaultdict(set)
    for row in rows.values():
        by_type_first[(row.type_th, row.name_th[0])].append(row)
        districts[row.province_th].add(row.district_th)
    for group in by_type_first.values():
        group.sort(key=lambda r: -len(r.name_th))
    return _Index(
        rows=rows,
        names=[r.name_th for r in rows.values()],
        codes=list(rows),
        by_type_first=dict(by_type_first),
        provinces=sorted(districts),
        districts={p: sorted(d) for p, d in districts.items()},
        all_districts=sorted({d for ds in districts.values() for d in ds}),
    )


def load() -> dict[str, Lao]:
    """Every LAO by ``lao_code`` (read once per process)."""
    return _index().rows


def get(lao_code: str) -> Lao | None:
    return _index().rows.get(lao_code)


def provinces() -> list[str]:
    return list(_index().provinces)


def districts_of(province: str) -> list[str]:
    return list(_index().districts.get(province, []))


def expected_laos(province: str | None = None) -> list[Lao]:
    """The LAOs that must report: one province, or the whole country."""
    rows = _index().rows.values()
    chosen = [r for r in rows if province is None or r.province_th == province]
    return sorted(chosen, key=lambda r: (r.province_th, r.district_th, r.lao_code))


def _strip_admin_words(text: str, words: tuple[str, ...]) -> str:
    text = one_line(text).replace(" ", "")
    for w in words:
        if text.startswith(w):
            return text[len(w) :].lstrip(".")
    return text


def match_province(text: str | None) -> tuple[str | None, float]:
    """The registry province a written province name means, with similarity 0..1."""
    if not text:
        return None, 0.0
    name = _strip_admin_words(text, ("จังหวัด", "จ."))
    hit = process.extractOne(name, _index().provinces, scorer=fuzz.ratio)
    return (hit[0], hit[1] / 100) if hit else (None, 0.0)


def match_district(text: str | None, province: str | None = None) -> tuple[str | None, float]:
    """The registry district a written district name means (within the province if known)."""
    if not text:
        return None, 0.0
    name = _strip_admin_words(text, ("อำเภอ", "อ."))
    choices = _index().districts.get(province or "", _index().all_districts)
    hit = process.extractOne(name, choices, scorer=fuzz.ratio)
    return (hit[0], hit[1] / 100) if hit else (None, 0.0)


def split_type(name: str) -> tuple[tuple[str, ...], str]:
    """("องค์การบริหารส่วนตำบลด่านช้าง") → (("อบต.",), "ด่านช้าง"); no type → ((), name)."""
    name = one_line(name).strip()
    m = _PREFIX_RE.match(name)
    if m:
        written = m.group(0)
        key = re.sub(r"[.\s]", "", written)
        types = next((t for p, t in _PREFIXES if key == p or key == p.rstrip(".")), ())
        return types, name[m.end() :].strip().lstrip(". ")
    # OCR-damaged long forms ("องค์การบริหารส่วนตาบล"): fuzzy on the head.
    for long, types in _PREFIXES[:5]:
        if fuzz.ratio(name[: len(long)], long) >= 88:
            return types, name[len(long) :].strip().lstrip(". ")
    return (), name


def _candidates(name: str, province: str | None) -> list[tuple[Lao, float]]:
    """LAOs whose name is like ``name``: the province's best and the country's best
    (a document may state its province wrongly)."""
    idx = _index()
    found: dict[str, tuple[Lao, float]] = {}
    if province:
        pool = [r for r in idx.rows.values() if r.province_th == province]
        hits = process.extract(
            name, [r.name_th for r in pool], scorer=fuzz.ratio, limit=20, score_cutoff=50
        )
        found.update((pool[i].lao_code, (pool[i], s / 100)) for _, s, i in hits)
    hits = process.extract(name, idx.names, scorer=fuzz.ratio, limit=60, score_cutoff=50)
    for _, s, i in hits:
        found.setdefault(idx.codes[i], (idx.rows[idx.codes[i]], s / 100))
    return list(found.values())


def resolve(
    name: str | None,
    type_th: str | None = None,
    district: str | None = None,
    province: str | None = None,
) -> Agency:
    """The registry LAO a document names, with a calibrated ``match_score`` 0..1.

    ``name`` may carry its type ("เทศบาลตำบลตาพระยา", "อบต.ตาพระยา") or be bare
    with ``type_th`` given. Each candidate's name similarity is weighed by
    agreement of type, district and province; the best is then discounted when
    another LAO is nearly as good (ambiguity). Roughly: ≥ 0.9 exact name with
    type and place agreeing; 0.7–0.9 a typo or a missing district; below
    ``ACCEPT_SCORE`` no ``lao_code`` is given (see tests/test_registry.py).
    """
    agency = Agency(name=one_line(name) if name else None, district=district, province=province)
    if not name:
        return agency
    types, bare = split_type(name)
    if type_th:
        types = (type_th,) if type_th in LONG_FORM else split_type(type_th)[0] or types
    if not bare and "เมืองพัทยา" in types:
        bare = "เมืองพัทยา"
    if not bare:
        return agency
    prov, prov_sim = match_province(province)
    prov = prov if prov_sim >= 0.75 else None
    dist, dist_sim = match_district(district, prov)
    dist = dist if dist_sim >= 0.75 else None

    scored: list[tuple[float, Lao]] = []
    for row, sim in _candidates(bare, prov):
        score = sim**2
        score *= (1.0 if row.type_th in types else 0.8) if types else 0.93
        score *= (1.0 if row.province_th == prov else 0.55) if prov else 0.9
        score *= (1.0 if row.district_th == dist else 0.85) if dist else 0.95
        scored.append((score, row))
    if not scored:
        return agency
    scored.sort(key=lambda x: -x[0])
    best_score, best = scored[0]
    runner = scored[1][0] if len(scored) > 1 else 0.0
    # Two candidates within 0.1 of each other: the document does not say which.
    margin = min(1.0, (best_score - runner) / 0.1)
    score = round(best_score * (0.6 + 0.4 * margin), 3)
    agency.match_score = score
    agency.type_th = agency.type_th or (types[0] if len(types) == 1 else None)
    if score >= ACCEPT_SCORE:
        agency.lao_code = best.lao_code
        agency.type_th = best.type_th
        agency.district = district or best.district_th
        agency.province = province or best.province_th
    return agency


@dataclass
class Mention:
    """An LAO name found in free text."""

    text: str  # as written, type prefix included
    start: int
    end: int
    type_th: str
    name: str  # the registry name it matched
    lao_codes: tuple[str, ...]  # every LAO of that type and name (one per province...)
    score: float  # name similarity 0..1


# Short LAO names that are also everyday words ("อบต.และเทศบาล").
_FUNCTION_WORDS = frozenset({"และ", "ควร", "สอง", "ที่", "ใน", "กับ", "แต่", "ต้อง", "โดย"})


def _word_ends(text: str, end: int, name: str) -> bool:
    """Whether a short name written at ``text[:end]`` ends there as a word:
    followed by a non-Thai character, or (unless the name is an everyday word)
    by a dictionary word ("เทศบาลเมืองเลยและ...")."""
    after = text[end : end + 12]
    if not after or not _THAI_CHAR.match(after[0]):
        return True
    if name in _FUNCTION_WORDS:
        return False
    head = tokens(after)[0]
    return len(head) > 1 and head in words()


def _match_name_at(
    text: str, pos: int, types: tuple[str, ...]
) -> tuple[str, str, int, float] | None:
    """The registry name of one of ``types`` that ``text`` starts with at ``pos``.

    Exact longest match first; otherwise a close match (Levenshtein similarity
    ≥ 0.9: one wrong letter in ten, names of 4+ letters) to tolerate a typo.
    Short names must end as a word so that "อบต.และเทศบาล" is not an LAO.
    """
    idx = _index()
    if pos < len(text) and text[pos] == " ":
        pos += 1
    if pos >= len(text):
        return None
    first = text[pos]
    best: tuple[str, str, int, float] | None = None
    for type_th in types:
        for row in idx.by_type_first.get((type_th, first), []):
            n = row.name_th
            if text.startswith(n, pos):
                if len(n) <= 3 and not _word_ends(text, pos + len(n), n):
                    continue
                if best is None or len(n) > len(best[1]):
                    best = (type_th, n, pos + len(n), 1.0)
                break  # rows are longest first
    if best:
        return best
    for type_th in types:
        for row in idx.by_type_first.get((type_th, first), []):
            n = row.name_th
            if len(n) < 4:
                continue
            # A typo, or a wrapping space inside the name ("ตา พระยา"); on a tie
            # the written length equal to the name's wins.
            for k in (0, 1, -1):
                written = text[pos : pos + len(n) + k].replace(" ", "")
                sim = Levenshtein.normalized_similarity(n, written)
                if sim >= 0.9 and (best is None or sim > best[3]):
                    best = (type_th, n, pos + len(n) + k, sim)
    return best


def find_lao_mentions(text: str) -> list[Mention]:
    """Every "type + name" of a registry LAO written in ``text``.

    Finds type prefixes (long forms, "เทศบาล", อบต./ทต./ทม./ทน./อบจ. with or
    without dots) with one regex pass, then compares only the names of that
    type that start with the next letter: about a hundred comparisons per
    prefix instead of 7,849.
    """
    idx = _index()
    out: list[Mention] = []
    for m in _PREFIX_RE.finditer(text):
        key = re.sub(r"[.\s]", "", m.group(0))
        types = next((t for p, t in _PREFIXES if key == p.rstrip(".")), ())
        hit = _match_name_at(text, m.end(), types)
        if not hit:
            continue
        type_th, name, end, sim = hit
        codes = tuple(
            r.lao_code for r in idx.by_type_first.get((type_th, name[0]), []) if r.name_th == name
        )
        out.append(Mention(text[m.start() : end], m.start(), end, type_th, name, codes, sim))
    if "เมืองพัทยา" in text:
        for m in re.finditer("เมืองพัทยา", text):
            out.append(
                Mention("เมืองพัทยา", m.start(), m.end(), "เมืองพัทยา", "เมืองพัทยา", ("3200408",), 1.0)
            )
    return sorted(out, key=lambda x: x.start)
