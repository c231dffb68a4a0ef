"""The author's own name, and the other LAOs a text names: one definition for both stages.

Extraction records what it found (``record.evidence``: ``other_lao_mentions``,
``own_name_variants``, ``agency_name_variants``) and the checks judge with the same
functions, so "is this mention the author?" has one answer everywhere. The rules are
the ones ``benchmarks/defects.py`` tunes (``foreign_agency_mentioned``,
``agency_name_inconsistent``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TypedDict

from rapidfuzz import fuzz

from itaflow import registry, thai
from itaflow.models import MEASURE_TEXT_FIELDS, SubmissionRecord, field_text

# (type_th or None when not known, bare name) of the author.
OwnName = tuple[str | None, str]

# How alike (0..1) an unregistered author's name and a mention must be to be the same.
OWN_NAME_LIKENESS = 0.85


class OtherLaoMention(TypedDict):
    """One LAO named in the document that is not its author."""

    text: str  # as written, type included
    lao_code: str | None  # when the name and the province single one out
    lao_codes: list[str]  # every LAO of that type and name
    measure_seq: int | None  # None outside the measure tables
    field: str  # a measure field, or "text" for lines outside the tables


def own_name(record: SubmissionRecord) -> OwnName:
    """(type_th, bare name) of the author: the registry's when matched, else as written."""
    if record.agency.lao_code and (row := registry.get(record.agency.lao_code)):
        return row.type_th, row.name_th
    types, bare = registry.split_type(record.agency.name or "")
    return (types[0] if len(types) == 1 else record.agency.type_th), bare


def is_own(mention: registry.Mention, own: OwnName, province: str | None) -> bool:
    """Whether a mention names the author. The mention finder already maps a
    misspelt name to the registry name it resembles, so a registered author is
    matched exactly; an unregistered one (its name as written) by likeness."""
    own_type, name = own
    if not name:
        return False
    registered = name in registered_names()
    same_name = mention.name == name or (
        not registered and fuzz.ratio(mention.name, name) / 100 >= OWN_NAME_LIKENESS
    )
    if not same_name:
        return False
    if own_type is None or mention.type_th == own_type:
        return True
    # Same name, another type: a real neighbour when the registry has one in
    # the province (อบต.ตาพระยา and เทศบาลตำบลตาพระยา), else the author's own
    # name with the wrong type.
    return not any(
        (row := registry.get(code)) and row.province_th == province for code in mention.lao_codes
    )


def _written_name(mention: registry.Mention) -> str:
    return registry.split_type(mention.text)[1].replace(" ", "")


_TYPE_BEFORE = re.compile(
    r"(องค์การบริหารส่วนตำบล|องค์การบริหารส่วนจังหวัด|เทศบาลตำบล|เทศบาลเมือง|เทศบาลนคร|เทศบาล"
    r"|อ\.?บ\.?ต\.?|อ\.?บ\.?จ\.?|ท\.?ต\.|ท\.?ม\.|ท\.?น\.)\s?$"
)


@lru_cache(maxsize=1)
def _laos_by_name() -> dict[tuple[str, str], set[str]]:
    """(type_th, name) → the provinces that have such an LAO."""
    out: dict[tuple[str, str], set[str]] = {}
    for row in registry.load().values():
        out.setdefault((row.type_th, row.name_th), set()).add(row.province_th)
    return out


@lru_cache(maxsize=1)
def registered_names() -> frozenset[str]:
    """Every bare LAO name in the registry (cached: workers warm it once)."""
    return frozenset(name for _, name in _laos_by_name())


def own_name_variants(record: SubmissionRecord, own: OwnName) -> list[str]:
    """Ways the document writes its own name beyond its main one: a misspelling
    ("หนองหัวแรด" for หนองหัวแรต) or another type with the same name
    ("เทศบาลตำบลด่านช้าง" in a report of อบต.ด่านช้าง) that is no LAO of the
    province. Abbreviated types (อบต., ทต.) are not variants."""
    own_type, name = own
    if not name:
        return []
    text = record.text or ""
    province = record.agency.province
    forms: dict[tuple[str, str], str] = {}
    main = registry.split_type(record.agency.name or "")[1].replace(" ", "") or name
    forms[(own_type or "", main)] = main
    for mention in registry.find_lao_mentions(text):
        if is_own(mention, own, province):
            forms.setdefault((mention.type_th, _written_name(mention)), thai.one_line(mention.text))
    # The same name under another type: the registry may have no such LAO at all,
    # so the mention finder cannot see it; look at what precedes the name.
    for m in re.finditer(re.escape(name), text):
        before = _TYPE_BEFORE.search(text[max(0, m.start() - 25) : m.start()])
        if not before:
            continue
        types, _ = registry.split_type(before.group(1) + name)
        if not types or own_type in types:
            continue
        if any(province in _laos_by_name().get((t, name), ()) for t in types):
            continue  # a real neighbour (อบต.ตาพระยา and เทศบาลตำบลตาพระยา)
        key = (types[0] if len(types) == 1 else "เทศบาล", name)
        forms.setdefault(key, thai.one_line(before.group(1) + name))
    return list(forms.values())[1:]


def bare_names(record: SubmissionRecord, variants: list[str]) -> list[str]:
    """The distinct bare names (type and spaces removed) the document gives itself,
    its main one included: more than one means it spells itself in conflicting ways."""
    main = registry.split_type(record.agency.name or "")[1]
    names = [main, *variants] if main else variants
    return sorted({registry.split_type(n)[1].replace(" ", "") for n in names})


def _other_laos(text: str, own: OwnName, province: str | None) -> list[registry.Mention]:
    """Mentions of LAOs that are not the author. The author's own province อบจ. is
    not another LAO for a smaller LAO: they work together and say so."""
    return [
        mention
        for mention in registry.find_lao_mentions(text)
        if not is_own(mention, own, province)
        and not (mention.type_th == "อบจ." and own[0] != "อบจ." and mention.name == province)
    ]


def foreign_mentions(text: str, own: OwnName, province: str | None) -> list[str]:
    """Other LAOs a text names, each once, as written."""
    out: list[str] = []
    for mention in _other_laos(text, own, province):
        written = thai.one_line(mention.text)
        if written not in out:
            out.append(written)
    return out


def _code_of(mention: registry.Mention, province: str | None) -> str | None:
    if len(mention.lao_codes) == 1:
        return mention.lao_codes[0]
    local = [c for c in mention.lao_codes if (r := registry.get(c)) and r.province_th == province]
    return local[0] if len(local) == 1 else None


def other_lao_mentions(record: SubmissionRecord, lines: list[str]) -> list[OtherLaoMention]:
    """Every mention of another LAO in the measure cells and in ``lines`` (the text
    outside the tables), where it was found."""
    own, province = own_name(record), record.agency.province
    sources: list[tuple[int | None, str, str]] = [
        (m.seq, f, field_text(m, f)) for m in record.measures for f in MEASURE_TEXT_FIELDS
    ]
    sources += [(None, "text", thai.one_line(line)) for line in lines]
    return [
        OtherLaoMention(
            text=mention.text,
            lao_code=_code_of(mention, province),
            lao_codes=list(mention.lao_codes),
            measure_seq=seq,
            field=field,
        )
        for seq, field, text in sources
        for mention in _other_laos(text, own, province)
    ]
