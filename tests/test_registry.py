"""The LAO registry: loading, resolving names (typos, same names) and finding mentions."""

from __future__ import annotations

import random
import time

import pytest
from rapidfuzz import fuzz, process

from itaflow import registry
from itaflow.registry import ACCEPT_SCORE, find_lao_mentions, full_name, resolve


def test_loads_every_lao_once_and_fast():
    registry._index.cache_clear()
    start = time.perf_counter()
    rows = registry.load()
    assert time.perf_counter() - start < 1.0
    assert len(rows) == 7849
    assert registry.load() is rows  # cached
    assert len(registry.provinces()) == 76
    assert "บัวใหญ่" in registry.districts_of("นครราชสีมา")
    assert len(registry.expected_laos("นครราชสีมา")) == 334


def test_full_names():
    assert full_name(registry.get("6301205")) == "องค์การบริหารส่วนตำบลด่านช้าง"
    assert full_name(registry.get("5270301")) == "เทศบาลตำบลตาพระยา"
    assert full_name(registry.get("2300101")) == "องค์การบริหารส่วนจังหวัดนครราชสีมา"
    assert full_name(registry.get("3200408")) == "เมืองพัทยา"


@pytest.mark.parametrize(
    ("name", "district", "province", "code"),
    [
        ("องค์การบริหารส่วนตำบลด่านช้าง", "บัวใหญ่", "นครราชสีมา", "6301205"),
        ("อบต.ด่านช้าง", "ด่านช้าง", "สุพรรณบุรี", "6720305"),
        ("เทศบาลตำบลด่านช้าง", None, "สุพรรณบุรี", "5720301"),
        # same name, same district: the type decides
        ("เทศบาลตำบลตาพระยา", "ตาพระยา", "สระแก้ว", "5270301"),
        ("องค์การบริหารส่วนตำบลตาพระยา", "ตาพระยา", "สระแก้ว", "6270302"),
        ("ทต.ตาพระยา", None, "จ.สระแก้ว", "5270301"),
        # typos and OCR damage
        ("เทศบาลตำบลหนองหัวแรด", "หนองบุญมาก", "นครราชสีมา", "5302201"),
        ("องค์การบริหารส่วนตาบลด่านช้าง", "บัวใหญ่", "นครราชสีมา", "6301205"),
        ("อบต.ดานชาง", "อำเภอบัวใหญ่", "จังหวัดนครราชสีมา", "6301205"),
        ("เทศบาลนครพิษณุโลก", None, "พิษณุโลก", "3650102"),
        ("เทศบาลนครพิษณุโลก", None, None, "3650102"),  # unique in the country
        ("เมืองพัทยา", None, None, "3200408"),
    ],
)
def test_resolve(name, district, province, code):
    agency = resolve(name, district=district, province=province)
    assert agency.lao_code == code
    assert agency.match_score >= ACCEPT_SCORE


def test_resolve_keeps_what_the_document_says():
    agency = resolve("เทศบาลตำบลหนองหัวแรด", district="หนองบุญมาก", province="นครราชสีมา")
    assert agency.name == "เทศบาลตำบลหนองหัวแรด"  # as written
    assert (agency.type_th, agency.district, agency.province) == (
        "เทศบาลตำบล",
        "หนองบุญมาก",
        "นครราชสีมา",
    )
    exact = resolve("เทศบาลตำบลหนองหัวแรต", district="หนองบุญมาก", province="นครราชสีมา")
    assert exact.match_score > agency.match_score


@pytest.mark.parametrize(
    ("name", "district", "province"),
    [
        ("โรงพยาบาลน้ำยืน", "น้ำยืน", "อุบลราชธานี"),  # not an LAO
        ("อบต.ด่านช้าง", None, None),  # four LAOs: the document does not say which
        ("ตาพระยา", "ตาพระยา", "สระแก้ว"),  # no type: เทศบาลตำบล or อบต.
        ("องค์การบริหารส่วนตำบลสมมุติขึ้นมา", None, None),
        ("", None, None),
    ],
)
def test_unknown_or_ambiguous_gets_no_code(name, district, province):
    agency = resolve(name, district=district, province=province)
    assert agency.lao_code is None
    assert agency.match_score < ACCEPT_SCORE


def _typo(name: str, rng: random.Random) -> str:
    consonants = "กขคงจฉชซญดตถทธนบปผพฟภมยรลวศษสหอฮ"
    i = rng.choice([i for i, ch in enumerate(name) if ch in consonants])
    return name[:i] + rng.choice(consonants.replace(name[i], "")) + name[i + 1 :]


def test_match_score_is_calibrated():
    """Over 1,500 queries built from the registry, a code is given when the
    document says enough and is then right; non-LAOs and ambiguous names get none.

    Measured: exact full name + district + province → right code, score ≥ 0.9;
    one wrong letter in a name of 5+ letters with its place → right code in ≥ 95%
    of cases; names that are not LAOs → no code; of all codes given, ≥ 99% right.
    """
    rng = random.Random(11)
    rows = list(registry.load().values())
    given = right = 0
    typo_right = typo_total = 0
    for row in rng.sample(rows, 500):
        exact = resolve(full_name(row), district=row.district_th, province=row.province_th)
        assert exact.lao_code == row.lao_code and exact.match_score >= 0.9, full_name(row)
        given, right = given + 1, right + 1
        if len(row.name_th) >= 5 and row.type_th != "เมืองพัทยา":
            typo = resolve(
                registry.LONG_FORM[row.type_th] + _typo(row.name_th, rng),
                district=row.district_th,
                province=row.province_th,
            )
            typo_total += 1
            typo_right += typo.lao_code == row.lao_code
            if typo.lao_code:
                given, right = given + 1, right + (typo.lao_code == row.lao_code)
        bare = resolve(full_name(row))
        if bare.lao_code:
            given, right = given + 1, right + (bare.lao_code == row.lao_code)
    assert typo_right / typo_total >= 0.95, (typo_right, typo_total)
    assert right / given >= 0.99, (right, given)

    names = [r.name_th for r in rows]
    others = 0
    for word in ["โรงพยาบาล", "โรงเรียน", "สำนักงานสาธารณสุขอำเภอ", "สถานีตำรวจภูธร"]:
        for row in rng.sample(rows, 50):
            agency = resolve(word + row.name_th, province=row.province_th)
            others += agency.lao_code is not None
    assert others == 0
    # made-up names far from every registry name
    made_up = 0
    for _ in range(200):
        name = "".join(rng.choice("กขคงจฉชซดตถทธนบปผพฟมยรลวสหอ") for _ in range(7))
        if process.extractOne(name, names, scorer=fuzz.ratio)[1] < 70:
            made_up += resolve("อบต." + name).lao_code is not None
    assert made_up == 0


def test_find_lao_mentions_in_free_text():
    text = (
        "ได้ร้องเรียนด้วยตนเองที่องค์การบริหารส่วนตำบลน้ำซึม และ ทต.ท่าข้าม "
        "ของเทศบาลตำบลหนองหัวแรด โครงการ อบต.พบประชาชน อบต.และเทศบาล อ.บ.ต.หนองบัว"
    )
    found = [(m.text, m.type_th, m.name, m.score == 1.0) for m in find_lao_mentions(text)]
    assert found == [
        ("องค์การบริหารส่วนตำบลน้ำซึม", "อบต.", "น้ำซึม", True),
        ("ทต.ท่าข้าม", "เทศบาลตำบล", "ท่าข้าม", True),
        ("เทศบาลตำบลหนองหัวแรด", "เทศบาลตำบล", "หนองหัวแรต", False),  # a typo, still found
        ("อ.บ.ต.หนองบัว", "อบต.", "หนองบัว", True),
    ]
    mention = find_lao_mentions("องค์การบริหารส่วนตำบลน้ำซึม")[0]
    assert mention.lao_codes == ("6610104",)
    assert len(find_lao_mentions("อบต.หนองบัว")[0].lao_codes) > 10  # a common name


def test_wrapped_name_is_found_whole():
    mention = find_lao_mentions("๑. องค์การบริหารส่วนตำบลตา พระยามีการบริหาร")[0]
    assert mention.text == "องค์การบริหารส่วนตำบลตา พระยา"
    assert mention.name == "ตาพระยา"


def test_mentions_are_fast():
    text = " ".join(
        f"ประชุมร่วมกับ{full_name(r)}และหน่วยงานอื่น" for r in list(registry.load().values())[:200]
    )
    find_lao_mentions("เทศบาลเมืองเลยและหน่วยงานอื่น")  # warm-up: the word dictionary
    start = time.perf_counter()
    found = find_lao_mentions(text)
    assert len(found) == 200
    assert time.perf_counter() - start < 0.2
