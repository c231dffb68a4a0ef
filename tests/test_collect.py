"""Collect: every inbox file is hashed and kept; the inbox itself is never touched."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from itaflow.collect import safe_display_name, scan_inbox
from itaflow.store import stored_path_for


def _tree(root):
    return sorted((p.relative_to(root), p.stat().st_mtime) for p in root.rglob("*"))


def test_scan_keeps_originals_under_hash_and_leaves_inbox_untouched(tmp_path):
    inbox, store = tmp_path / "inbox", tmp_path / "store"
    (inbox / "อำเภอ").mkdir(parents=True)
    a = inbox / "อำเภอ" / "รายงาน ๖ เดือน.txt"
    a.write_text("รายงานผลการดำเนินการ", encoding="utf-8")
    b = inbox / ".hidden.pdf"
    b.write_bytes(b"%PDF-1.4 broken")
    before = _tree(inbox)

    received = scan_inbox(inbox, store)

    assert _tree(inbox) == before
    assert [r.inbox_path for r in received] == [".hidden.pdf", "อำเภอ/รายงาน ๖ เดือน.txt"]
    for r, path in zip(received, [b, a], strict=True):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert r.sha256 == digest and r.size == path.stat().st_size
        assert r.stored_path == str(stored_path_for(store, digest))
        assert Path(r.stored_path).read_bytes() == path.read_bytes()
        assert r.problem is None
    assert received[1].original_name == "รายงาน ๖ เดือน.txt"


def test_rescan_is_stable(tmp_path):
    inbox, store = tmp_path / "inbox", tmp_path / "store"
    inbox.mkdir()
    (inbox / "a.txt").write_text("x")
    (inbox / "copy-of-a.txt").write_text("x")
    at = "2026-01-05T03:00:00+00:00"
    first = scan_inbox(inbox, store, seen_at=at)
    second = scan_inbox(inbox, store, seen_at=at)
    assert first == second
    assert first[0].sha256 == first[1].sha256  # same bytes, two receipts, one stored copy
    assert len(list(store.rglob("*.bin"))) == 1


def test_link_out_of_the_inbox_is_recorded_never_followed(tmp_path):
    inbox, store = tmp_path / "inbox", tmp_path / "store"
    inbox.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read")
    os.symlink(secret, inbox / "report.docx")
    (received,) = scan_inbox(inbox, store)
    assert received.problem and "outside the inbox" in received.problem
    assert received.stored_path == ""
    assert not any(store.rglob("*")) if store.exists() else True


def test_display_names_are_inert():
    assert safe_display_name("a\nb\r\x00c.pdf") == "a_b__c.pdf"
    assert len(safe_display_name("ก" * 1000)) == 200
    assert safe_display_name("") == "_"


def test_named_pipe_in_the_inbox_is_accounted_for_not_waited_on(tmp_path):
    inbox, store = tmp_path / "inbox", tmp_path / "store"
    inbox.mkdir()
    os.mkfifo(inbox / "pipe")
    os.symlink(inbox / "pipe", inbox / "report.pdf")
    received = scan_inbox(inbox, store)
    assert [r.inbox_path for r in received] == ["pipe", "report.pdf"]
    assert all(r.problem and "not a regular file" in r.problem for r in received)
    assert len({r.sha256 for r in received}) == 2


def test_link_inside_the_inbox_stores_the_bytes_not_the_link(tmp_path):
    inbox, store = tmp_path / "inbox", tmp_path / "store"
    inbox.mkdir()
    (inbox / "a.txt").write_text("รายงาน")
    os.symlink(inbox / "a.txt", inbox / "b.txt")
    received = scan_inbox(inbox, store)
    kept = Path(received[1].stored_path)
    assert not kept.is_symlink() and kept.read_text() == "รายงาน"
