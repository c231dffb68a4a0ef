"""What a check task hands its load task is a key inside the shared folder, never a path
on the worker's own disk: a key that leaves the folder is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from itaflow.pipeline import handoff_path
from itaflow.settings import Settings


def settings(home: Path, shared: Path | None = None) -> Settings:
    return Settings(
        home=home,
        warehouse_url="sqlite://",
        reports_out=home / "reports",
        expectations_dir=home / "expectations",
        shared_dir=shared,
    )


def test_keys_resolve_in_each_workers_view_of_the_shared_folder(tmp_path):
    key = "run_1/run_1-batch-3-4.json"
    one = settings(tmp_path / "host-a", shared=tmp_path / "volume")
    other = settings(tmp_path / "host-b", shared=tmp_path / "volume")
    assert handoff_path(key, one) == handoff_path(key, other) == tmp_path / "volume/work" / key
    assert one.store == other.store == tmp_path / "volume/store"
    assert settings(tmp_path).work == tmp_path / "work"  # no shared folder: ITAFLOW_HOME


@pytest.mark.parametrize("key", ["../escape.json", "/tmp/elsewhere/batch.json", "run/../../x"])
def test_a_key_outside_the_shared_folder_is_refused(tmp_path, key):
    with pytest.raises(ValueError, match="shared work folder"):
        handoff_path(key, settings(tmp_path, shared=tmp_path / "volume"))


def test_itaflow_shared_from_the_environment(tmp_path, monkeypatch):
    from itaflow import settings as settings_mod

    monkeypatch.setenv("ITAFLOW_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ITAFLOW_SHARED", str(tmp_path / "volume"))
    loaded = settings_mod.load()
    assert loaded.work == tmp_path / "volume" / "work"
    assert loaded.inbox == tmp_path / "home" / "inbox"
