"""Settings: every default written once, every variable parsed with a clear error."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from pathlib import Path

import pytest

from itaflow import settings
from itaflow.settings import Limits, Settings, SettingsError


@pytest.fixture
def bare_env(monkeypatch, tmp_path):
    """No ITAFLOW_* variable set but the home."""
    import os

    for name in list(os.environ):
        if name.startswith("ITAFLOW_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("ITAFLOW_HOME", str(tmp_path))
    return tmp_path


def test_load_without_configuration_gives_the_dataclass_defaults(bare_env):
    loaded = settings.load()
    built = Settings(
        home=loaded.home,
        warehouse_url=loaded.warehouse_url,
        reports_out=loaded.reports_out,
        expectations_dir=loaded.expectations_dir,
    )
    assert loaded == built
    assert loaded.warehouse_url == f"sqlite:///{bare_env / 'warehouse.db'}"
    assert loaded.limits == Limits()


def test_every_variable_is_read(bare_env, monkeypatch):
    monkeypatch.setenv("ITAFLOW_BATCH_SIZE", "50")
    monkeypatch.setenv("ITAFLOW_REQUIRED_FIELDS", "measure, result")
    monkeypatch.setenv("ITAFLOW_SMTP_STARTTLS", "yes")
    monkeypatch.setenv("ITAFLOW_QUIET_SECONDS", "0")
    monkeypatch.setenv("ITAFLOW_DUE_H1", "5-1")
    monkeypatch.setenv("ITAFLOW_DUE_OVERRIDES", "2568-FY=2568-11-30")
    monkeypatch.setenv("ITAFLOW_MAX_PAGES", "12")
    monkeypatch.setenv("ITAFLOW_CONTACTS_CSV", "c.csv")
    monkeypatch.setenv("ITAFLOW_PROVINCE", "ตราด")
    s = settings.load()
    assert (s.batch_size, s.required_fields, s.smtp_starttls) == (50, ("measure", "result"), True)
    assert (s.quiet_seconds, s.due_h1, s.limits.max_pages) == (0.0, "05-01", 12)
    assert s.due_overrides == {(2568, "FY"): date(2025, 11, 30)}
    assert (s.contacts_csv, s.province) == (Path("c.csv"), "ตราด")


def test_every_field_but_the_home_paths_names_its_variable():
    computed = {"home", "warehouse_url", "reports_out", "expectations_dir", "limits"}
    for cls in (Settings, Limits):
        for f in fields(cls):
            assert f.name in computed or f.metadata.get("env", "").startswith("ITAFLOW_"), f.name


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ITAFLOW_BATCH_SIZE", "many"),
        ("ITAFLOW_REMIND_LEAD_DAYS", "-1"),
        ("ITAFLOW_QUIET_SECONDS", "soon"),
        ("ITAFLOW_DUE_FY", "13-40"),
        ("ITAFLOW_MAX_ROWS", "1e3"),
    ],
)
def test_a_bad_value_is_a_thai_and_english_error_naming_the_variable(
    bare_env, monkeypatch, name, value
):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=rf"^ค่า {name}=.* / {name} must be"):
        settings.load()
