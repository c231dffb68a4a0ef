"""The worker pool gives the serial path's records, and loads Great Expectations once per worker."""

from __future__ import annotations

from pathlib import Path

import pytest

from itaflow import workers
from itaflow.serde import record_to_dict
from itaflow.settings import load
from itaflow.store import sha256_of

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def items(pdf: bool = True) -> list[workers.Item]:
    """The seeds, a real PDF and a few broken files."""
    paths = [
        *sorted((FIXTURES / "seeds").glob("*.txt")),
        *([FIXTURES / "real" / "real_02_namyuen_hospital_bribery_2567.pdf"] if pdf else []),
        FIXTURES / "fuzz" / "truncated.docx",
        FIXTURES / "fuzz" / "bitflip.xlsx",
        FIXTURES / "fuzz" / "cp874.txt",
        FIXTURES / "fuzz" / "empty.txt",
        FIXTURES / "fuzz" / "header_only.pdf",
    ]
    out = [workers.Item(str(p), p.name, *sha256_of(p)) for p in paths]
    out.append(workers.Item(None, "gone.pdf", "0" * 64, 10))  # no stored original
    return out


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    yield load().with_(reports_out=tmp_path_factory.mktemp("reports"))
    workers.shutdown()


def test_pool_gives_the_same_records_as_one_process(settings):
    todo = items()
    serial = workers.check_items(todo, settings)
    pooled = workers.check_files(todo, settings, workers=2)
    assert [r.file for r in pooled] == [i.display for i in todo]
    assert [record_to_dict(r) for r in pooled] == [record_to_dict(r) for r in serial]
    assert {r.verdict for r in pooled} >= {"accepted_with_warnings", "rejected"}


def test_each_worker_loads_great_expectations_once(settings):
    todo = items(pdf=False)
    for _ in range(3):  # three batches through the same pool
        workers.check_files(todo, settings, workers=2)
    facts = workers.pool_facts(2)
    assert len({f["pid"] for f in facts}) <= 2
    assert all(f["inits"] == 1 for f in facts)  # the initializer ran once per process
    assert all(f["warmups"] <= 1 for f in facts)  # inherited from the parent, or loaded once
    assert all(f["gx"] for f in facts)


def test_one_worker_means_no_pool(settings, monkeypatch):
    monkeypatch.setenv(workers.WORKERS_ENV, "1")
    assert workers.worker_count() == 1
    monkeypatch.delenv(workers.WORKERS_ENV)
    assert workers.worker_count() >= 1
    assert workers.check_parts(10, 2) == 1  # too few records to pay two validations
    assert workers.check_parts(200, 2) == 2
    assert workers.split(list(range(5)), 2) == [[0, 1, 2], [3, 4]]


def test_checking_in_slices_gives_the_batch_findings(settings, monkeypatch):
    """Several GE validations (one per slice) judge each record as one validation does."""
    todo = items(pdf=False)
    whole = workers.check_items(todo, settings)
    monkeypatch.setattr(workers, "CHECK_MIN", 1)
    records = [workers.read_item(i, settings) for i in todo]
    sliced = [
        r for part in workers.split(records, 3) for r in workers.check_records(part, settings)
    ]
    assert [record_to_dict(r) for r in sliced] == [record_to_dict(r) for r in whole]


def test_data_docs_are_built_once_per_run_from_the_batches(settings, tmp_path):
    from itaflow import pipeline
    from itaflow.serde import write_records

    s = settings.with_(home=tmp_path)
    assert pipeline.build_data_docs(s, "run 1") is None  # nothing checked yet
    records = workers.check_items(items(pdf=False)[:3], s)
    for i, part in enumerate((records[:2], records[2:])):
        write_records(part, s.work / "run_1" / f"run_1-batch-{i}-{i}.json")
    index = pipeline.build_data_docs(s, "run 1")
    assert index == str(s.reports_out / "data_docs" / "run_1" / "index.html")
    assert Path(index).is_file()
    assert [p.parent.name for p in (s.reports_out / "data_docs").glob("*/index.html")] == ["run_1"]
