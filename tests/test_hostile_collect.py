"""Issue 10: nothing a sender or a second process does can stop intake, lose a file or
fake a date. Every hostile entry here is built by the test itself."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
import subprocess
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from homes import settings_for
from sqlalchemy import select

from itaflow import pipeline
from itaflow.collect import inbox_key, iter_manifest_lines, scan_inbox, walk_inbox
from itaflow.store import ChangedWhileReading, hash_and_keep, stored_path_for
from itaflow.warehouse import engine_for
from itaflow.warehouse.schema import receipts, submissions

REPO = Path(__file__).resolve().parents[1]
SEED = (REPO / "tests" / "fixtures" / "seeds" / "tapraya_sao_sakaeo_2568_annual.txt").read_bytes()


def receipts_of(url: str) -> dict[str, dict]:
    with engine_for(url).connect() as conn:
        rows = conn.execute(
            select(
                receipts.c.inbox_path,
                receipts.c.run_id,
                receipts.c.received_at,
                receipts.c.claimed_at,
                receipts.c.arrival_source,
                submissions.c.status,
                submissions.c.reason,
                submissions.c.stored_path,
                submissions.c.sha256,
            ).join(submissions, submissions.c.id == receipts.c.submission_id)
        ).mappings()
        out: dict[str, dict] = {}
        for r in rows:
            assert r["inbox_path"] not in out, f"two receipts for {r['inbox_path']}"
            out[r["inbox_path"]] = dict(r)
    return out


def _deep_tree(root: Path, levels: int) -> None:
    """A tree ``levels`` folders deep, built with relative ``mkdir`` (no path too long)."""
    fd = os.open(root, os.O_RDONLY)
    try:
        for _ in range(levels):
            os.mkdir("d", dir_fd=fd)
            nxt = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = nxt
        with open(os.open("deep.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "wb") as f:
            f.write(b"deep")
    finally:
        os.close(fd)


def _remove_deep(root: Path) -> None:
    """Remove a deep ``d/d/d...`` tree: pytest's own clean-up (``shutil.rmtree``) recurses
    and would fail on it in every later test session; GNU ``rm`` does not recurse."""
    subprocess.run(["rm", "-rf", "--", str(root / "d")], check=True)


@pytest.fixture
def deep_trees():
    made: list[Path] = []

    def make(root: Path, levels: int) -> None:
        made.append(root)
        _deep_tree(root, levels)

    yield make
    for root in made:
        _remove_deep(root)


def test_no_entry_can_stop_a_collect_run(warehouse_url, tmp_path, deep_trees):
    settings = settings_for(tmp_path / "home", warehouse_url)
    inbox = settings.inbox
    inbox.mkdir(parents=True)
    bad = os.fsencode(inbox)
    (inbox / "good.txt").write_bytes(SEED)
    # Names that are not UTF-8, two of them differing only in the bad byte.
    for name in (b"\xff\xfe-report.txt", b"\xfe\xff-report.txt"):
        with open(bad + b"/" + name, "wb") as f:
            f.write(name)
    # A link whose target name is not UTF-8 (out of the inbox, dangling).
    os.symlink(b"/nonexistent/\xff\xfe", bad + b"/link-bad-target")
    os.mkfifo(inbox / "pipe")
    deep_trees(inbox, 1200)
    (inbox / "ok_folder").mkdir()
    (inbox / "ok_folder" / "a.txt").write_bytes(b"a")
    pipeline.prepare_warehouse(settings)

    summary = pipeline.collect(settings, "run-1")
    summary2 = pipeline.collect(settings, "run-2")  # and again: nothing new, nothing lost

    got = receipts_of(warehouse_url)
    assert summary["waiting"] == 0 and summary2["new"] == summary2["duplicate"] == 0
    assert summary2["seen"] == summary["files"] == len(got) == 7
    assert set(got) == {
        "good.txt",
        "\\xff\\xfe-report.txt",
        "\\xfe\\xff-report.txt",
        "link-bad-target",
        "pipe",
        "ok_folder/a.txt",
        "/".join(["d"] * settings.collect_max_depth),
    }
    assert got["good.txt"]["status"] == "received"
    assert "outside the inbox" in got["link-bad-target"]["reason"]
    assert "not a regular file" in got["pipe"]["reason"]
    deep = got["/".join(["d"] * settings.collect_max_depth)]
    assert deep["status"] == "quarantined" and "deeper than" in deep["reason"]
    assert " / " in deep["reason"]  # Thai, then English


def test_cli_collect_survives_the_same_inbox(tmp_path, deep_trees):
    """``itaflow collect`` itself: exit 0 and a summary line, not a traceback."""
    import json
    import sys

    home = tmp_path / "home"
    (home / "inbox").mkdir(parents=True)
    os.symlink(b"/x/\xff", os.fsencode(home / "inbox") + b"/l")
    deep_trees(home / "inbox", 1200)
    env = {**os.environ, "ITAFLOW_HOME": str(home), "ITAFLOW_QUIET_SECONDS": "0"}
    done = subprocess.run(
        [sys.executable, "-m", "itaflow.cli", "collect"], env=env, capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert json.loads(done.stdout.decode().strip().splitlines()[-1])["new"] == 2


def test_sparse_file_is_refused_before_copying(tmp_path):
    inbox, store = tmp_path / "inbox", tmp_path / "store"
    inbox.mkdir()
    with open(inbox / "big.pdf", "wb") as f:
        f.truncate(2 * 1024**3)  # 2 GB of nothing, on no disk space
    started = time.monotonic()
    (r,) = scan_inbox(inbox, store, max_bytes=50 * 1024 * 1024)
    assert time.monotonic() - started < 5
    assert r.problem and "too large" in r.problem and r.stored_path == ""
    assert not [p for p in store.rglob("*") if p.is_file()] if store.exists() else True
    (inbox / "big.pdf").unlink()


def test_stored_copy_is_always_the_hashed_bytes(tmp_path):
    """A file rewritten while collected: either refused as changing, or kept under the
    hash of exactly the bytes kept; never a copy that disagrees with its name."""
    inbox, store = tmp_path / "inbox", tmp_path / "store"
    inbox.mkdir()
    path = inbox / "moving.txt"
    path.write_bytes(b"x" * 4_000_000)
    stop = threading.Event()

    def writer() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            path.write_bytes(bytes([n % 256]) * (4_000_000 + n))

    t = threading.Thread(target=writer)
    t.start()
    try:
        outcomes = []
        for _ in range(20):
            try:
                outcomes.append(hash_and_keep(path, store))
            except ChangedWhileReading:
                outcomes.append(None)
    finally:
        stop.set()
        t.join()
    for p in store.rglob("*"):
        if p.is_file():
            assert not p.name.endswith(".part"), "a temporary copy was left behind"
            assert p == stored_path_for(store, hashlib.sha256(p.read_bytes()).hexdigest())
    assert len(outcomes) == 20


def test_changed_since_the_scan_waits(tmp_path):
    inbox, store = tmp_path / "inbox", tmp_path / "store"
    inbox.mkdir()
    (inbox / "a.txt").write_bytes(b"first")
    (entry,) = walk_inbox(inbox)
    (inbox / "a.txt").write_bytes(b"first and more")
    with pytest.raises(ChangedWhileReading):
        hash_and_keep(entry.path, store, expect=(entry.size, entry.mtime_ns))


def test_quiet_period_marker_and_manifest(warehouse_url, tmp_path):
    settings = settings_for(tmp_path / "home", warehouse_url, quiet_seconds=1.0)
    inbox = settings.inbox
    inbox.mkdir(parents=True)
    pipeline.prepare_warehouse(settings)
    (inbox / "uploading.pdf").write_bytes(b"%PDF-1.4 half")
    (inbox / "marked.txt").write_bytes(SEED)
    (inbox / "marked.txt.done").write_bytes(b"")
    (inbox / "gateway.txt").write_bytes(SEED + b"\n")
    arrived = datetime(2025, 10, 20, 3, 0, tzinfo=UTC)
    settings.intake_dir.mkdir()
    (settings.intake_dir / "mail.jsonl").write_text(
        next(iter_manifest_lines([(inbox / "gateway.txt", arrived, None)])) + "\n"
    )

    first = pipeline.collect(settings, "run-1")
    assert first["waiting_files"] == ["uploading.pdf"] and first["new"] == 2
    got = receipts_of(warehouse_url)
    assert set(got) == {"marked.txt", "gateway.txt"}  # the .done marker is no entry
    assert got["gateway.txt"]["arrival_source"] == "manifest"
    assert got["gateway.txt"]["received_at"] == datetime(2025, 10, 20, 10, 0)  # Bangkok

    with open(inbox / "uploading.pdf", "ab") as f:  # still growing at the next scan
        f.write(b" more")
    second = pipeline.collect(settings, "run-2")
    assert second["waiting_files"] == ["uploading.pdf"]
    time.sleep(1.2)
    third = pipeline.collect(settings, "run-3")
    assert third["waiting"] == 0 and third["new"] == 1
    got = receipts_of(warehouse_url)
    assert got["uploading.pdf"]["run_id"] == "run-3"
    # Its arrival is when intake first saw it complete (run-2), not run-3 and not its mtime.
    assert got["uploading.pdf"]["received_at"] < got["marked.txt"]["received_at"] + timedelta(
        seconds=5
    )


def test_the_sender_cannot_set_the_arrival_time(warehouse_url, tmp_path):
    settings = settings_for(tmp_path / "home", warehouse_url)
    inbox = settings.inbox
    inbox.mkdir(parents=True)
    pipeline.prepare_warehouse(settings)
    path = inbox / "backdated.txt"
    path.write_bytes(SEED)
    old = datetime(2025, 10, 1, tzinfo=UTC).timestamp()
    os.utime(path, (old, old))  # touch -d 2025-10-01
    future = inbox / "from2030.txt"
    future.write_bytes(SEED + b"\n2030")
    t2030 = datetime(2030, 1, 1, tzinfo=UTC).timestamp()
    os.utime(future, (t2030, t2030))
    before = datetime.now(UTC).replace(tzinfo=None) + timedelta(hours=7) - timedelta(seconds=2)
    pipeline.collect(settings, "run-1")
    got = receipts_of(warehouse_url)
    for name, claimed in (("backdated.txt", 2025), ("from2030.txt", 2030)):
        assert got[name]["received_at"] >= before  # the office's clock
        assert got[name]["claimed_at"].year == claimed  # kept, as the sender's claim only
        assert got[name]["arrival_source"] == "intake"


def test_a_gateway_record_with_another_hash_is_not_trusted(warehouse_url, tmp_path):
    settings = settings_for(tmp_path / "home", warehouse_url)
    settings.inbox.mkdir(parents=True)
    settings.intake_dir.mkdir(parents=True)
    pipeline.prepare_warehouse(settings)
    (settings.inbox / "swapped.txt").write_bytes(SEED)
    early = datetime(2025, 10, 2, tzinfo=UTC)
    (settings.intake_dir / "g.jsonl").write_text(
        next(iter_manifest_lines([(settings.inbox / "swapped.txt", early, "0" * 64)])) + "\n"
    )
    pipeline.collect(settings, "run-1")
    assert receipts_of(warehouse_url)["swapped.txt"]["arrival_source"] == "intake"


# --- concurrent collectors -----------------------------------------------------------


def _collect_in_child(args: tuple[str, str]) -> dict:
    home, url = args
    return pipeline.collect(settings_for(Path(home), url))


def test_concurrent_collectors_register_each_file_once(warehouse_url, tmp_path):
    """4 collectors at once on 210 files, 10 times: one receipt per file, no phantom,
    unique run ids, no temporary file left, every kept copy matches its hash."""
    settings = settings_for(tmp_path / "home", warehouse_url)
    pipeline.prepare_warehouse(settings)
    ctx = multiprocessing.get_context("fork")
    run_ids: list[str] = []
    with ctx.Pool(4) as pool:
        for round_ in range(10):
            folder = settings.inbox / f"round-{round_}"
            folder.mkdir(parents=True)
            for i in range(210):
                (folder / f"lao-{i:03d}.txt").write_bytes(SEED + f"\n{round_}-{i}".encode())
            (folder / "copy-of-lao-000.txt").write_bytes(SEED + f"\n{round_}-0".encode())
            results = pool.map(_collect_in_child, [(str(settings.home), warehouse_url)] * 4)
            run_ids += [r["run_id"] for r in results]
            assert sum(r["new"] for r in results) == 210
            assert sum(r["duplicate"] for r in results) == 1
            assert sum(r["seen"] for r in results) == 3 * 211  # the others found them taken
            shutil.rmtree(folder)  # keep each round at 211 files (the receipts stay)
    got = receipts_of(warehouse_url)
    assert len(got) == 10 * 211
    assert all(r["status"] == "received" for r in got.values()), "phantom quarantined receipt"
    assert len(set(run_ids)) == len(run_ids) == 40
    for p in settings.store.rglob("*"):
        if p.is_file():
            assert p.suffix == ".bin", f"left behind: {p}"
            assert p == stored_path_for(settings.store, hashlib.sha256(p.read_bytes()).hexdigest())


def test_inbox_keys_stay_distinct():
    assert inbox_key("a\nb.txt") != inbox_key("a\tb.txt")
    assert inbox_key(os.fsdecode(b"\xff.txt")) == "\\xff.txt"
    long = inbox_key("ก" * 500)
    assert len(long) <= 400 and long != inbox_key("ก" * 501)


def test_a_future_mtime_never_outranks_the_real_correction(tmp_path):
    """A file dated 2030 arrives first, the correction (dated 2025) later: the correction
    is the current version, because versions follow arrival, not the sender's mtime."""
    url = f"sqlite:///{tmp_path / 'w.db'}"
    settings = settings_for(tmp_path / "home", url)
    inbox = settings.inbox
    inbox.mkdir(parents=True)
    pipeline.prepare_warehouse(settings)
    first = inbox / "ตาพระยา.txt"
    first.write_bytes(SEED)
    t2030 = datetime(2030, 1, 1, tzinfo=UTC).timestamp()
    os.utime(first, (t2030, t2030))
    pipeline.collect(settings, "run-1")
    time.sleep(1.1)  # arrival times are kept to the second
    fixed = inbox / "ตาพระยา_แก้ไข.txt"
    fixed.write_bytes(SEED.replace("ดำเนินการ".encode(), "ได้ดำเนินการ".encode(), 2))
    t2025 = datetime(2025, 10, 1, tzinfo=UTC).timestamp()
    os.utime(fixed, (t2025, t2025))
    pipeline.collect(settings, "run-2")
    for batch in pipeline.plan_batches(settings):
        pipeline.load_batch(pipeline.check_batch(batch, settings, "v"), settings, "v")
    with engine_for(url).connect() as conn:
        rows = {
            r.inbox_path: r
            for r in conn.execute(
                select(submissions.c.inbox_path, submissions.c.version, submissions.c.is_current)
            )
        }
    assert rows["ตาพระยา.txt"].version == 1 and not rows["ตาพระยา.txt"].is_current
    assert rows["ตาพระยา_แก้ไข.txt"].version == 2 and rows["ตาพระยา_แก้ไข.txt"].is_current


def test_a_store_that_cannot_take_the_copy_leaves_the_file_waiting(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    settings = settings_for(tmp_path / "home", url)
    settings.inbox.mkdir(parents=True)
    pipeline.prepare_warehouse(settings)
    (settings.inbox / "a.txt").write_bytes(SEED)
    settings.store.write_bytes(b"not a folder")  # the store cannot be created
    blocked = pipeline.collect(settings, "run-1")
    assert blocked["waiting_files"] == ["a.txt"] and receipts_of(url) == {}
    settings.store.unlink()
    assert pipeline.collect(settings, "run-2")["new"] == 1
    assert receipts_of(url)["a.txt"]["status"] == "received"


def test_a_file_swapped_for_a_link_after_the_walk_is_not_followed(tmp_path):
    from itaflow.collect import collect_entry

    inbox, store = tmp_path / "inbox", tmp_path / "store"
    inbox.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("not for itaflow")
    (inbox / "report.txt").write_bytes(SEED)
    (entry,) = walk_inbox(inbox)
    (inbox / "report.txt").unlink()
    os.symlink(secret, inbox / "report.txt")
    with pytest.raises(ChangedWhileReading):
        collect_entry(entry, inbox, store)
    assert not store.exists() or not any(p.is_file() for p in store.rglob("*"))


def test_unchanged_files_are_not_read_again_but_a_disguised_rewrite_is(warehouse_url, tmp_path):
    settings = settings_for(tmp_path / "home", warehouse_url)
    settings.inbox.mkdir(parents=True)
    pipeline.prepare_warehouse(settings)
    path = settings.inbox / "a.txt"
    path.write_bytes(SEED)
    assert pipeline.collect(settings, "run-1")["new"] == 1
    (kept,) = [p for p in settings.store.rglob("*.bin")]
    kept.chmod(0o644)
    kept.unlink()  # were the file read again, its copy would come back
    assert pipeline.collect(settings, "run-2")["seen"] == 1 and not kept.exists()
    # Same size, mtime put back: the sender's disguise; ctime still moves.
    st = path.stat()
    path.write_bytes(SEED.replace("ตาพระยา".encode(), "ตาพระยอ".encode(), 1))
    assert path.stat().st_size == st.st_size
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    again = pipeline.collect(settings, "run-3")
    assert again["new"] == 1 and len(list(settings.store.rglob("*.bin"))) == 1
