"""Issue 6 §1: every file in the inbox ends in exactly one state, with its reason.

A province's inbox as it really arrives (three good reports, a resubmission of one
of them, a copy of the same bytes under another name, the whole fuzz corpus of
broken and hostile files, an empty file, random bytes, links out of the inbox, a
name holding newlines and ``../``) goes through the pipeline functions the DAGs
call: collect → plan_batches → check_batch → load_batch → account. Then every file
is accepted, accepted_with_warnings, rejected or quarantined with a reason; the
originals sit in the store under names made from their hash; the inbox is exactly
as it was; and the warehouse's accounting balances. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import hashlib
import os
import random
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from homes import settings_for
from sqlalchemy import select

from itaflow import pipeline
from itaflow.collect import inbox_key, iter_manifest_lines
from itaflow.settings import Settings
from itaflow.store import stored_path_for
from itaflow.warehouse import accounting, engine_for
from itaflow.warehouse.schema import findings, receipts, submissions

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
ENDED = ("accepted", "accepted_with_warnings", "rejected", "quarantined")
TAPRAYA = "tapraya_sao_sakaeo_2568_annual.txt"
DANCHANG = "danchang_sao_nakhonratchasima_2566_h1.txt"
HOSTILE_NAME = "..\n..\\..\\etc\\passwd\r\nSubject: ยกเลิก.txt"


# --- warehouses ----------------------------------------------------------------------


# --- the inbox -----------------------------------------------------------------------


def _put(path: Path, data: bytes, mtime: int) -> Path:
    """Drop a file as the gateway would: the bytes, and its arrival in the intake record
    (the file's mtime is set too, but only as the sender's claim)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, (mtime, mtime))
    inbox = next(p for p in path.parents if p.name == "inbox")
    at = datetime.fromtimestamp(mtime, UTC)
    (inbox.parent / "intake").mkdir(exist_ok=True)
    with (inbox.parent / "intake" / "gateway.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(next(iter_manifest_lines([(path, at, None)])) + "\n")
    return path


def fill_inbox(inbox: Path, outside: Path) -> dict[str, str]:
    """The province's inbox; returns {relative path: what the file is}."""
    t0 = 1_714_000_000  # 2024-04-25, inside the reporting window
    kinds: dict[str, str] = {}

    def put(rel: str, data: bytes, kind: str, at: int = t0) -> None:
        _put(inbox / rel, data, at)
        kinds[rel] = kind

    for i, seed in enumerate(sorted((FIXTURES / "seeds").glob("*.txt"))):
        put(f"อำเภอเมือง/{seed.name}", seed.read_bytes(), "good", t0 + i)
    tapraya = (FIXTURES / "seeds" / TAPRAYA).read_text(encoding="utf-8")
    resent = tapraya.replace("ดำเนินการ", "ได้ดำเนินการ", 3)
    assert resent != tapraya
    put(f"อำเภอเมือง/{TAPRAYA[:-4]}_แก้ไข.txt", resent.encode(), "resubmission", t0 + 86_400)
    put(
        "สำเนา/copy of danchang.txt",
        (FIXTURES / "seeds" / DANCHANG).read_bytes(),
        "duplicate",
        t0 + 60,
    )
    for item in (FIXTURES / "fuzz").iterdir():
        if item.name != "MANIFEST.json":
            put(f"corpus/{item.name}", item.read_bytes(), "corpus", t0 + 120)
    put("empty.pdf", b"", "empty")
    put("random.docx", random.Random(6).randbytes(5000), "random")
    put(".~lock.report.docx#", b",officer,pc,25.04.2024 10:00,file:///home/officer;", "lock file")
    put("ไดเรกทอรี/" + HOSTILE_NAME, "รายงาน\tผล\n".encode(), "hostile name")
    secret = outside / "secret.txt"
    secret.write_text("not for itaflow")
    for rel, target in (("report.pdf", secret), ("etc", Path("/etc")), ("loop", Path("."))):
        (inbox / rel).symlink_to(target)
        kinds[rel] = "link"
    return kinds


def tree(root: Path) -> dict[str, tuple]:
    """Everything an officer could notice in the inbox: names, bytes, times, modes, links."""
    out = {}
    for p in sorted(root.rglob("*")):
        st = p.lstat()
        if p.is_symlink():
            out[str(p.relative_to(root))] = ("link", os.readlink(p), st.st_mtime_ns)
        elif p.is_file():
            digest = hashlib.sha256(p.read_bytes()).hexdigest()
            out[str(p.relative_to(root))] = ("file", digest, st.st_mtime_ns, st.st_mode)
        else:
            out[str(p.relative_to(root))] = ("dir", st.st_mode)
    return out


def run_pipeline(settings: Settings, run_id: str) -> dict:
    """What the collect and validate DAGs do for one run."""
    collected = pipeline.collect(settings, run_id)
    batches = pipeline.plan_batches(settings)
    for batch in batches:
        pipeline.load_batch(pipeline.check_batch(batch, settings, run_id), settings, run_id)
    pipeline.account(settings, batches)  # raises when a run does not balance or a file is stuck
    return collected


def states(url: str, run_id: str) -> dict[str, dict]:
    """Per receipt of the run (one per inbox file): its final state and reason."""
    with engine_for(url).connect() as conn:
        rows = conn.execute(
            select(
                receipts.c.id,
                receipts.c.inbox_path,
                receipts.c.is_duplicate,
                submissions.c.id.label("submission_id"),
                submissions.c.status,
                submissions.c.reason,
                submissions.c.sha256,
                submissions.c.stored_path,
                submissions.c.lao_code,
                submissions.c.fiscal_year,
                submissions.c.round,
                submissions.c.version,
                submissions.c.is_current,
                submissions.c.superseded_by,
            )
            .join(submissions, submissions.c.id == receipts.c.submission_id)
            .where(receipts.c.run_id == run_id)
        ).mappings()
        result = {}
        for r in rows:
            item = dict(r)
            if r["is_duplicate"]:
                dup = conn.execute(
                    select(findings.c.message).where(
                        findings.c.receipt_id == r["id"],
                        findings.c.check_id == "duplicate_submission",
                    )
                ).scalars()
                item["state"], item["reason"] = "rejected", next(iter(dup), None)
            else:
                item["state"] = r["status"]
            assert item["inbox_path"] not in result, "two receipts for one inbox path"
            result[item["inbox_path"]] = item
    return result


# --- the test ------------------------------------------------------------------------


def test_every_inbox_file_ends_in_one_state_with_its_reason(warehouse_url, tmp_path):
    home, outside = tmp_path / "home", tmp_path / "outside"
    outside.mkdir()
    settings = settings_for(home, warehouse_url)
    kinds = fill_inbox(settings.inbox, outside)
    before = tree(settings.inbox)
    pipeline.prepare_warehouse(settings)

    collected = run_pipeline(settings, "run-1")

    # Duplicates as the warehouse defines them: the same bytes again. Here the copy of a
    # report, and the second empty file (the corpus has one too).
    contents = [(settings.inbox / r).read_bytes() for r, k in kinds.items() if k != "link"]
    duplicates = len(contents) - len(set(contents))
    assert collected["files"] == len(kinds) and collected["duplicate"] == duplicates == 2
    assert tree(settings.inbox) == before  # nothing moved, renamed, touched or deleted
    ended = states(warehouse_url, "run-1")
    by_path = {inbox_key(rel): kind for rel, kind in kinds.items()}
    assert sorted(ended) == sorted(by_path)  # exactly one receipt per inbox file
    for path, item in ended.items():
        assert item["state"] in ENDED, (path, item)
        if item["state"] != "accepted":
            assert item["reason"] and " / " in item["reason"], (path, item)  # Thai, then English
        kind = by_path[path]
        if kind in ("good", "resubmission"):
            assert item["state"] in ("accepted", "accepted_with_warnings"), (path, item)
        if item["is_duplicate"] or kind == "duplicate":
            assert item["is_duplicate"] and item["state"] == "rejected"
            assert "already received" in item["reason"]
        elif kind in ("empty", "random", "link"):
            assert item["state"] == "quarantined", (path, item)
    assert "ยกเลิก" in "".join(ended) and not any("\n" in p or "\r" in p for p in ended)
    links = [ended[rel] for rel, kind in kinds.items() if kind == "link"]
    assert all(item["stored_path"] == "" for item in links)  # a link is never opened

    # LAO rounds: versions 1..n, the newest current. The resubmission of ตาพระยา is the
    # newest of its round (the corpus holds re-encoded copies of it, received between).
    rounds: dict[tuple, list[dict]] = {}
    for item in ended.values():
        if not item["is_duplicate"] and item["lao_code"] and item["state"] != "quarantined":
            rounds.setdefault((item["lao_code"], item["fiscal_year"], item["round"]), []).append(
                item
            )
    for group in rounds.values():
        assert sorted(i["version"] for i in group) == list(range(1, len(group) + 1))
        assert [i["is_current"] for i in group].count(True) == 1
        assert all(bool(i["superseded_by"]) == (not i["is_current"]) for i in group)
    first = ended[f"อำเภอเมือง/{TAPRAYA}"]
    second = ended[f"อำเภอเมือง/{TAPRAYA[:-4]}_แก้ไข.txt"]
    key = (first["lao_code"], first["fiscal_year"], first["round"])
    assert key == (second["lao_code"], second["fiscal_year"], second["round"]) and all(key)
    assert first["version"] == 1 and not first["is_current"] and first["superseded_by"]
    assert second["is_current"] and second["version"] == len(rounds[key]) >= 2

    # Originals: under their hash, read-only, byte for byte; no submitted name in the store.
    kept = {p for p in settings.store.rglob("*") if p.is_file()}
    for p in kept:
        digest = hashlib.sha256(p.read_bytes()).hexdigest()
        assert p == stored_path_for(settings.store, digest)
        assert not p.stat().st_mode & 0o333  # neither writable nor executable
    files = {rel for rel, kind in kinds.items() if kind != "link"}
    wanted = {
        stored_path_for(
            settings.store, hashlib.sha256((settings.inbox / rel).read_bytes()).hexdigest()
        )
        for rel in files
    }
    assert kept == wanted
    for item in ended.values():
        if item["stored_path"]:
            assert Path(item["stored_path"]) in kept

    # The warehouse's own accounting agrees, and balances.
    (acc,) = accounting(warehouse_url, "run-1")
    counts = Counter(item["state"] for item in ended.values())
    assert acc["received"] == len(kinds) == sum(counts.values())
    assert {k: acc[k] for k in ENDED} == {k: counts.get(k, 0) for k in ENDED}
    assert acc["duplicates"] == duplicates and acc["pending"] == 0
    assert acc["balanced"] and acc["complete"]
    assert acc["received"] == sum(acc[k] for k in ENDED)

    # The inbox is never emptied: the next run sees the same files and records nothing new.
    again = run_pipeline(settings, "run-2")
    assert again["seen"] == len(kinds) and again["new"] == again["duplicate"] == 0
    assert accounting(warehouse_url, "run-2") == []
    # A third version arrives: only it is new; run-1's accounting does not move.
    tapraya = (FIXTURES / "seeds" / TAPRAYA).read_text(encoding="utf-8")
    _put(
        settings.inbox / "อำเภอเมือง" / "ตาพระยา_ฉบับที่3.txt",
        (tapraya + "\nแก้ไขครั้งที่ 3\n").encode(),
        1_714_200_000,
    )
    third = run_pipeline(settings, "run-3")
    assert third["new"] == 1 and third["seen"] == len(kinds)
    (acc3,) = accounting(warehouse_url, "run-3")
    assert acc3["received"] == 1 and acc3["balanced"] and acc3["complete"]
    assert accounting(warehouse_url, "run-1") == [acc]
    latest = states(warehouse_url, "run-3")["อำเภอเมือง/ตาพระยา_ฉบับที่3.txt"]
    assert latest["version"] == len(rounds[key]) + 1 and latest["is_current"]
    assert not states(warehouse_url, "run-1")[second["inbox_path"]]["is_current"]
