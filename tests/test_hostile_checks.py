"""Issue 10 §6: checks have a time budget per file, and no stage is quadratic in the
number of measures (near-duplicate text by MinHash blocking); every DAG task has an
execution timeout."""

from __future__ import annotations

import random
import time
from pathlib import Path

from itaflow.checks import signals
from itaflow.checks.batch import derive_within_budget
from itaflow.checks.derive import measure_fields
from itaflow.checks.near_dup import nearest_earlier
from itaflow.models import Measure, SubmissionRecord
from itaflow.settings import Settings

REPO = Path(__file__).resolve().parents[1]
FIELDS = measure_fields(Settings.required_fields, Settings.recommended_fields)
WORDS = [
    "การ",
    "ประชุม",
    "ชี้แจง",
    "บุคลากร",
    "เผยแพร่",
    "ข้อมูล",
    "ตรวจสอบ",
    "โครงการ",
    "จัดซื้อ",
    "จัดจ้าง",
    "ประกาศ",
    "เว็บไซต์",
    "ร้องเรียน",
    "ทุจริต",
    "คุณธรรม",
    "โปร่งใส",
    "แผนงาน",
    "งบประมาณ",
    "รายงาน",
    "ผล",
    "ติดตาม",
    "ประเมิน",
    "อบรม",
]


def _sim(a: str, b: str, cutoff: float) -> float:
    return signals.similarity(a, b, cutoff=cutoff)


_LETTERS = "กขคงจฉชซญดตถทธนบปผพฟภมยรลวศสหอฮ"
_VOWELS = "ะาิีึืุูเแโ"
# A report's own vocabulary: the common words, and many more made-up ones (names of
# projects, places, people) so unrelated texts are as different as real ones.
VOCABULARY = WORDS + [
    "".join(random.Random(k).choice(_LETTERS + _VOWELS) for _ in range(3 + k % 5))
    for k in range(3000)
]


def _text(rng: random.Random, words: int) -> str:
    return "".join(rng.choice(VOCABULARY) for _ in range(words))


def _edit(rng: random.Random, text: str, share: float) -> str:
    chars = list(text)
    for _ in range(int(len(chars) * share)):
        chars[rng.randrange(len(chars))] = rng.choice("กขคงจฉ")
    return "".join(chars)


def _brute(texts: list[dict[str, str]]) -> list[float]:
    """The old all-pairs rule, for comparison."""
    out = []
    for i, fields in enumerate(texts):
        best = 0.0
        for text in fields.values():
            if len(text) < 20:
                continue
            for j in range(i):
                for other in texts[j].values():
                    if len(other) < 20:
                        continue
                    if min(len(text), len(other)) < 40:
                        sim = 1.0 if text == other else 0.0
                    else:
                        sim = _sim(text, other, 0.5)
                    best = max(best, sim)
        out.append(best)
    return out


def test_blocking_finds_what_all_pairs_found():
    rng = random.Random(10)
    texts = []
    for i in range(240):
        result, outcome = _text(rng, rng.randint(8, 60)), _text(rng, rng.randint(3, 30))
        if i % 9 == 5:  # a near copy of an earlier measure's result
            result = _edit(rng, texts[rng.randrange(i)]["result"], 0.04)
        if i % 13 == 7:  # an exact copy of an earlier outcome, as this result
            result = texts[rng.randrange(i)]["outcome"]
        texts.append({"result": result, "outcome": outcome})
    fast = nearest_earlier(texts, _sim, 20, 40)
    slow = _brute(texts)
    flagged_slow = {i for i, s in enumerate(slow) if s > 0.9}
    flagged_fast = {i for i, r in enumerate(fast) if r["max_similarity_to_other_result"] > 0.9}
    assert flagged_slow and flagged_fast == flagged_slow
    for i in flagged_fast:
        j = fast[i]["duplicate_of_measure"] - 1
        field = fast[i]["duplicate_of_field"]
        copy = texts[i][fast[i]["duplicate_field"]]
        assert j < i and _sim(copy, texts[j][field], 0) > 0.9


def test_duplicate_detection_grows_linearly():
    """800 measures of 3,000-letter cells (the 10 MB report of the issue took 295 s)."""
    rng = random.Random(11)

    def run(n: int) -> float:
        texts = [{"result": _text(rng, 600), "outcome": _text(rng, 300)} for _ in range(n)]
        started = time.monotonic()
        nearest_earlier(texts, _sim, 20, 40)
        return time.monotonic() - started

    small, big = run(200), run(800)
    assert big < 20, big
    assert big < 4 * small * 2.5, (small, big)  # 4x the measures: far from 16x the time


def _settings(**changes) -> Settings:
    return Settings(
        home=Path("/nonexistent"),
        warehouse_url="sqlite://",
        reports_out=Path("/nonexistent"),
        expectations_dir=REPO / "expectations",
    ).with_(**changes)


def _record(n: int, chars: int) -> SubmissionRecord:
    rng = random.Random(n)
    measures = [
        Measure(
            seq=i + 1,
            measure=f"มาตรการที่ {i + 1}",
            steps="ประชุมชี้แจง",
            responsible=["สำนักปลัด"],
            period_text="1 ต.ค. 2567 - 30 ก.ย. 2568",
            result=_text(rng, chars // 6),
            outcome=_text(rng, chars // 12),
        )
        for i in range(n)
    ]
    return SubmissionRecord(file="x.txt", sha256="0" * 64, format="txt", measures=measures)


def test_a_file_over_its_budget_is_refused_and_the_batch_goes_on():
    settings = _settings(seconds_per_file_total=1.0)
    fine, slow = _record(3, 300), _record(3, 300)
    records, rows = derive_within_budget(
        [fine, slow], FIELDS, settings.seconds_per_file_total, spent=[0.1, 5.0]
    )
    assert records[0].readable and len(rows[0][1]) == 3
    assert not records[1].readable and records[1].measures == []
    (reason,) = [f for f in records[1].findings if f.check == "unreadable_file"]
    assert "took longer than 1 s" in reason.message and " / " in reason.message


def test_checks_that_run_long_are_cut_at_the_budget():
    settings = _settings(seconds_per_file_total=0.5)
    started = time.monotonic()
    (record,), _ = derive_within_budget(
        [_record(3000, 3000)], FIELDS, settings.seconds_per_file_total, spent=[0.0]
    )
    assert time.monotonic() - started < 5
    assert not record.readable


def test_every_dag_task_has_an_execution_timeout():
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(REPO / "dags"))
    assert bag.import_errors == {}
    for dag in bag.dags.values():
        for t in dag.tasks:
            assert t.execution_timeout is not None, (dag.dag_id, t.task_id)
