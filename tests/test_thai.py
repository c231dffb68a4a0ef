"""Thai normalisation: what is repaired, what is kept, and that it is fast."""

from __future__ import annotations

import random
import re
import time
from functools import lru_cache
from pathlib import Path

import pytest

from itaflow.thai import (
    THAI_LETTER,
    normalize,
    one_line,
    thai_word_share,
    to_arabic_digits,
    tokens,
    words,
)


def test_thai_digits():
    assert to_arabic_digits("๑ ตุลาคม ๒๕๖๗ O๑๗") == "1 ตุลาคม 2567 O17"


def test_decomposed_sara_am_and_tone_order():
    assert normalize("ก\u0e4d\u0e32ลัง") == "กำลัง"
    assert normalize("น\u0e4d\u0e49\u0e32") == "น้ำ"  # ํ + ้ + า → ้ + ำ
    assert normalize("น\u0e49\u0e4d\u0e32") == "น้ำ"


def test_invisible_and_private_use_characters():
    assert normalize("สำนัก\u200bปลัด\ufeff") == "สำนักปลัด"
    assert normalize("\uf0fe ดำเนินการแล้ว \uf0a8 ยังไม่ดำเนินการ") == "☑ ดำเนินการแล้ว ☐ ยังไม่ดำเนินการ"
    assert normalize("\uf052 \uf0a3") == "☑ ☐"
    assert normalize("ที\uf70a") == "ที\uf70a"  # old-font tone mark: damage stays visible


def test_whitespace_collapsed_lines_kept():
    assert normalize("  สำนักปลัด \t\u00a0 กองคลัง \n\n\n กองช่าง ") == "สำนักปลัด กองคลัง\nกองช่าง"
    assert one_line("รายงาน\nผลการดำเนินงาน") == "รายงาน ผลการดำเนินงาน"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ผ ลการดำเนินงาน", "ผลการดำเนินงาน"),  # a space inside a word
        ("ประชาสัมพันธ์ แผนการใช้จ่าย", "ประชาสัมพันธ์ แผนการใช้จ่าย"),  # between words: kept
        ("เจ้ า หน้ า ที่ ข องหน่ ว ยงาน", "เจ้าหน้าที่ ของหน่วยงาน"),  # marks cannot start a word
        ("ห น่ ว ย ง า น", "หน่วยงาน"),
        ("ต่าง ๆ", "ต่าง ๆ"),  # ไม้ยมก keeps its space
        ("ประจำปีงบประมาณ พ.ศ. ๒๕๖๖", "ประจำปีงบประมาณ พ.ศ. ๒๕๖๖"),  # abbreviation kept apart
        ("สำนักปลัด กองคลัง กองช่าง", "สำนักปลัด กองคลัง กองช่าง"),
        ("ทุกภารกิจ\nงานจัดทำ", "ทุกภารกิจ\nงานจัดทำ"),
        ("E-Service ได้ คะแนน 0.00", "E-Service ได้ คะแนน 0.00"),
    ],
)
def test_wrapping_spaces(text, expected):
    assert normalize(text) == expected


def test_names_are_not_rejoined_on_request():
    assert normalize("นางสาวสิตา เขียวโพธิ์", rejoin=False) == "นางสาวสิตา เขียวโพธิ์"


def test_broken_glyphs_stay_visible():
    # A PDF font that maps า to ำ must not be "repaired" here: checks must see it.
    assert normalize("บริกำร ประชำชน") == "บริกำร ประชำชน"


SEEDS = Path(__file__).parent / "fixtures" / "seeds"


@lru_cache(maxsize=1)
def _seed_words() -> list[str]:
    """Dictionary words of 2+ letters in the order the sample reports use them."""
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    runs = re.findall(f"[{THAI_LETTER}]+", text)
    return [w for run in runs for w in tokens(run) if len(w) >= 2 and w in words()]


def _wrapped(rng: random.Random) -> str:
    """Four consecutive words of a real report; "\0" where wrapping put a space
    inside a word, "\1" where a space separates two words."""
    seq = _seed_words()
    start = rng.randrange(len(seq) - 4)
    out = ""
    for i, word in enumerate(seq[start : start + 4]):
        cut = rng.randint(1, len(word) - 1)
        spelling_cut = word[cut] in "ะัาำิีึืฺุู็่้๊๋์ํๆ" or word[cut - 1] in "เแโใไ"
        out += word if spelling_cut or rng.random() < 0.5 else word[:cut] + "\0" + word[cut:]
        if i < 3 and rng.random() < 0.5:
            out += "\1"
    return out


def _score(marked: str) -> tuple[int, int, int, int]:
    """(inner spaces removed, inner spaces, word spaces kept, word spaces)."""
    fixed = normalize(marked.replace("\0", " ").replace("\1", " "))
    removed = inner = kept = between = j = 0
    for ch in marked:
        if ch in "\0\1":
            space_kept = j < len(fixed) and fixed[j] == " "
            j += space_kept
            if ch == "\0":
                inner += 1
                removed += not space_kept
            else:
                between += 1
                kept += space_kept
        else:
            j += 1
    return removed, inner, kept, between


def test_wrapping_space_repair_measured():
    """Line wrapping's spaces inside words go, authors' spaces between words stay.

    Measured on 1,000 runs of four words taken from the sample reports: 99.8%
    of the inner spaces are removed and 98% of the spaces between words kept
    (doing nothing would score 0% and 100%; removing every space 100% and 0%).
    """
    rng = random.Random(5)
    totals = [0, 0, 0, 0]
    for _ in range(1000):
        totals = [a + b for a, b in zip(totals, _score(_wrapped(rng)), strict=True)]
    removed, inner, kept, between = totals
    assert removed / inner >= 0.97, (removed, inner)
    assert kept / between >= 0.95, (kept, between)


def test_thai_word_share_tells_clean_from_broken():
    clean = "เจ้าหน้าที่ผู้รับผิดชอบจัดทำสื่อประชาสัมพันธ์เผยแพร่ให้บุคลากรภายในหน่วยงานทราบ"
    broken = "1 จัดทำทำป้ำย ประชำสัมพันธ์ตดิ ประกำศ ณ สถำนทีใ่ ห้บริกำร ประชำชนทรำบ"
    assert thai_word_share(clean) >= 0.95
    assert thai_word_share(broken) < 0.8
    assert thai_word_share("E-Service 2567") == 1.0


def test_normalise_ten_thousand_cells_fast():
    rng = random.Random(1)
    known = sorted(w for w in words() if 2 <= len(w) <= 10)
    cells = [
        " ".join("".join(rng.choice(known) for _ in range(4)) for _ in range(5))
        for _ in range(10_000)
    ]
    normalize.cache_clear()
    start = time.perf_counter()
    for c in cells:
        normalize(c)
    assert time.perf_counter() - start < 20
