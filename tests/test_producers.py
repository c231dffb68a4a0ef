"""Same document, same record: each sample seed as every producer made it reads like the seed.

The files in tests/fixtures/producers/ were made by scripts/make_producer_fixtures.py
(LibreOffice PDF and re-saved .docx, Chromium print-to-PDF, Typst) from the three text
seeds, so this runs without LibreOffice or Chromium. Readings the reader does not get
right yet are marked ``xfail(strict=True)`` with what goes wrong: a fix makes them
pass, and strict makes that visible so the mark is removed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from itaflow.models import SubmissionRecord
from itaflow.process import inspect_paths
from itaflow.settings import load
from itaflow.synth.render import producers as prod
from itaflow.thai import normalize, to_arabic_digits

FIXTURES = Path(__file__).parent / "fixtures"
PRODUCERS = FIXTURES / "producers"
MANIFEST = json.loads((PRODUCERS / "manifest.json").read_text(encoding="utf-8"))

# file -> what the reader gets wrong today (none since branch pdf2, 2026-12-02)
KNOWN_FAILURES: dict[str, str] = {}


def _key(text: str | None) -> str:
    return "".join(to_arabic_digits(normalize(text or "")).split())


def reading(r: SubmissionRecord) -> dict:
    """What must be the same whatever made the file (CONTRACT fields, text compared loosely)."""
    return {
        "agency": r.agency.lao_code,
        "fiscal_year": r.fiscal_year,
        "round": r.round,
        "measure_count": len(r.measures),
        "categories": [m.category for m in r.measures],
        "indicators": [m.indicator for m in r.measures],
        "responsible": [sorted(_key(u) for u in m.responsible) for m in r.measures],
        "periods": [(m.period_start, m.period_end) for m in r.measures],
        "status": [m.status for m in r.measures],
        "findings": sorted({(f.check, f.measure_seq) for f in r.findings}, key=str),
        "verdict": r.verdict,
    }


@pytest.fixture(scope="module")
def readings() -> dict[str, dict]:
    """Every seed and every fixture checked in one batch (one validation run)."""
    seeds = sorted({e["seed"] for e in MANIFEST})
    paths = [FIXTURES / "seeds" / s for s in seeds] + [PRODUCERS / e["file"] for e in MANIFEST]
    records = inspect_paths([str(p) for p in paths], load())
    names = seeds + [e["file"] for e in MANIFEST]
    return {name: reading(r) for name, r in zip(names, records, strict=True)}


def test_every_seed_has_every_producer_and_every_layout_a_file():
    by_seed: dict[str, set[str]] = {}
    for e in MANIFEST:
        by_seed.setdefault(e["seed"], set()).add(e["producer"])
        path = PRODUCERS / e["file"]
        assert path.is_file() and path.stat().st_size < 150_000, e["file"]
    assert len(by_seed) == 3
    for producers in by_seed.values():
        assert producers == set(prod.PRODUCERS)
    made = {(e["producer"], e["layout"]) for e in MANIFEST}
    assert made == {(p, lay) for p in prod.PRODUCERS for lay in prod.LAYOUTS[p]}


def _case(entry: dict):
    reason = KNOWN_FAILURES.get(entry["file"])
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(entry, id=entry["file"], marks=marks)


@pytest.mark.parametrize("entry", [_case(e) for e in MANIFEST])
def test_producer_file_reads_like_its_seed(readings, entry):
    want, got = readings[entry["seed"]], readings[entry["file"]]
    wrong = {k: (want[k], got[k]) for k in want if want[k] != got[k]}
    assert not wrong, f"{entry['file']} ({entry['program']}) differs from the seed: {wrong}"
