"""``itaflow status``: the round's figures add up, unreadable files tied to their LAO
count as received – must resubmit, bad arguments get a Thai + English answer (exit 2),
and due dates follow the settings each time.

The warehouse is filled the way the pipeline fills it (register → judge → load) on
SQLite and PostgreSQL; the unreadable files go through the pipeline's own
``attribute_unreadable`` step.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from warehouse_rows import received

from itaflow import registry, status
from itaflow.attribute import attribute, round_from_name
from itaflow.cli import main
from itaflow.models import Agency, Finding, Measure, SubmissionRecord
from itaflow.pipeline import attribute_unreadable
from itaflow.present import counts
from itaflow.settings import SettingsError, load, parse_due_overrides
from itaflow.warehouse import (
    ensure_round,
    register_received,
    report_data,
    set_due_date,
    store_judged,
    upgrade,
)

PROVINCE = "นครราชสีมา"
LAOS = sorted(registry.expected_laos(PROVINCE), key=lambda r: r.lao_code)
NAMES = {}
for _r in LAOS:
    NAMES.setdefault((_r.type_th, _r.name_th), []).append(_r)
# LAOs whose type + name is unique in the province (a file name can name them).
UNIQUE = [r for r in LAOS if len(NAMES[(r.type_th, r.name_th)]) == 1 and r.type_th == "อบต."]
ACCEPTED, REJECTED, BY_CODE, BY_NAME, WARNED = UNIQUE[:5]
UNREADABLE = Finding("unreadable_file", "error", "ไฟล์เสีย เปิดไม่ได้ / corrupt file")


def judged(f: dict, lao_code: str | None, verdict: str | None, found=(), readable=True):
    return SubmissionRecord(
        file=f["original_name"],
        sha256=f["sha256"],
        format="txt" if readable else "unknown",
        agency=Agency(lao_code=lao_code, province=PROVINCE),
        fiscal_year=2566 if readable else None,
        round="H1" if readable else None,
        measures=[Measure(seq=1, measure="ม", result="ทำแล้ว", status="done")] if readable else [],
        findings=list(found),
        verdict=verdict,
        size=f["size"],
        readable=readable,
    )


def fill(url: str, settings) -> dict[str, dict]:
    """One 2566 H1 round: accepted, accepted with warnings, rejected, two unreadable files
    that name their LAO (code; อบต. + name), one that names nobody."""
    upgrade(url)
    by_name = f"o36_อบต.{BY_NAME.name_th}.xlsx"
    files = {
        "accepted": received("ok.pdf", "a", "2023-04-20T09:00:00+07:00"),
        "warned": received("warn.pdf", "w", "2023-05-20T09:00:00+07:00"),
        "rejected": received("bad.docx", "b", "2023-04-21T09:00:00+07:00"),
        "by_code": received(f"{BY_CODE.lao_code}_2566_H1.xlsx", "c", "2023-04-22T09:00:00+07:00"),
        "by_name": received(by_name, "d", "2023-04-23T09:00:00+07:00", path=f"scans/{by_name}"),
        "nobody": received("scan001.pdf", "e", "2023-04-24T09:00:00+07:00"),
    }
    register_received(url, list(files.values()), "run-1")
    missing = Finding(
        "missing_field", "error", "มาตรการที่ 1: ไม่มีผลการดำเนินการ / no result", 1, "result"
    )
    records = [
        judged(files["accepted"], ACCEPTED.lao_code, "accepted"),
        judged(files["warned"], WARNED.lao_code, "accepted_with_warnings"),
        judged(files["rejected"], REJECTED.lao_code, "rejected", [missing]),
        *(
            judged(files[k], None, "rejected", [UNREADABLE], readable=False)
            for k in ("by_code", "by_name", "nobody")
        ),
    ]
    subs = [{**f, "received_at": f["received_at"]} for f in files.values()]
    assert attribute_unreadable(records, subs, settings) == 2
    store_judged(url, records, "run-1")
    return files


@pytest.fixture
def world(warehouse_url, tmp_path):
    settings = load().with_(home=tmp_path, warehouse_url=warehouse_url, province=PROVINCE)
    fill(warehouse_url, settings)
    return settings


def test_summary_adds_up_and_unreadable_named_files_are_received(world):
    data = report_data(world.warehouse_url, 2566, "H1", PROVINCE, world)
    result = status.round_status(data)
    s = result["summary"]
    assert list(s) == list(counts.SUMMARY_KEYS)
    assert s["expected"] == len(LAOS)
    assert (s["accepted"], s["accepted_with_warnings"], s["rejected"], s["unreadable"]) == (
        1,
        1,
        1,
        2,
    )
    assert (
        s["received"]
        == s["accepted"] + s["accepted_with_warnings"] + s["rejected"] + s["unreadable"]
        == 5
    )
    assert s["missing"] == s["expected"] - s["received"]
    assert s["must_resubmit"] == 3 and (s["on_time"], s["late"]) == (4, 1)
    assert s["reporting_rate"] == round(5 / len(LAOS), 4)
    assert s["on_time_rate"] == round(4 / len(LAOS), 4)
    by = {r["lao_code"]: r for r in result["laos"]}
    for lao in (BY_CODE, BY_NAME):
        item = by[lao.lao_code]
        assert item["state"] == "unreadable" and item["must_act"]
        assert item["state_th"] == "ส่งแล้ว – ต้องส่งใหม่ (เปิดไฟล์ไม่ได้)"
        assert item["state_en"] == "received – must resubmit (file could not be opened)"
    assert by[REJECTED.lao_code]["reasons"] == ["มาตรการที่ 1: ไม่มีผลการดำเนินการ / no result"]
    assert [u["file"] for u in result["unattributed_files"]] == ["scan001.pdf"]
    assert result["unattributed_files"][0]["state"] == "unreadable"


def test_cli_status_json_and_table(world, monkeypatch, capsys):
    monkeypatch.setenv("ITAFLOW_WAREHOUSE_URL", world.warehouse_url)
    monkeypatch.setenv("ITAFLOW_HOME", str(world.home))
    assert main(["status", "--province", PROVINCE, "--round", "2566-H1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    data = report_data(world.warehouse_url, 2566, "H1", PROVINCE, world)
    assert out["summary"] == status.summarize(data)
    assert len(out["laos"]) == len(LAOS)
    assert main(["status", "--province", PROVINCE, "--round", "2566-H1"]) == 0
    table = capsys.readouterr().out
    assert "ต้องส่งใหม่" in table and BY_NAME.name_th in table and "reporting_rate" in table


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--province", PROVINCE, "--round", "2025-FY"], ["ค.ศ.", "CE year", "2568-FY"]),
        (
            ["--province", "นครราชสีมาา", "--round", "2568-FY"],
            ["ไม่พบจังหวัด", "did you mean", "'นครราชสีมา'"],
        ),
        (["--province", "นครราชศรีมา", "--round", "2568-FY"], ["'นครราชสีมา'"]),
        (["--province", PROVINCE, "--round", "2568-Q3"], ["ไม่รู้จักรอบ", "H1", "FY"]),
        (["--province", PROVINCE, "--round", "2568"], ["รูปแบบรอบ", "2568-H1"]),
    ],
)
def test_bad_arguments_exit_2_with_thai_and_english(args, expected, capsys):
    assert main(["status", *args]) == 2
    err = capsys.readouterr().err
    for text in expected:
        assert text in err, err


def test_attribution_by_name_folder_and_sender():
    lao = BY_NAME
    at = "2025-10-20T10:00:00+07:00"
    assert attribute(f"{lao.lao_code}_2568_FY.pdf", "x.pdf", at, PROVINCE).lao_code == lao.lao_code
    hit = attribute(f"o36_อบต.{lao.name_th}.xlsx", "o.xlsx", at, PROVINCE)
    assert (hit.lao_code, hit.fiscal_year, hit.round) == (lao.lao_code, 2568, "FY")
    assert attribute("scan001.pdf", "scan001.pdf", at, PROVINCE) is None
    folder = attribute("scan.pdf", f"อบต.{lao.name_th}/scan.pdf", at, PROVINCE)
    assert folder.lao_code == lao.lao_code and "โฟลเดอร์" in folder.how
    sender = attribute(
        "scan.pdf", "lao@example.go.th/scan.pdf", at, PROVINCE, {"lao@example.go.th": lao.lao_code}
    )
    assert sender.lao_code == lao.lao_code and sender.how == "อีเมลผู้ส่ง"
    # A name shared by two LAOs of the province names neither.
    twins = next(rows for (t, n), rows in NAMES.items() if len(rows) > 1)
    assert (
        attribute(f"{twins[0].name_th}.pdf", "x.pdf", at, PROVINCE) is None
        or twins[0].type_th != twins[1].type_th
    )
    # The round: from the name, else the round that closed last when the file arrived.
    assert round_from_name("รายงาน รอบ 6 เดือน 2569") == (2569, "H1")
    assert (
        attribute(f"{lao.lao_code}.pdf", "x.pdf", "2025-05-02T09:00:00+07:00", PROVINCE).round
        == "H1"
    )


def test_due_dates_follow_settings_each_time(warehouse_url, tmp_path, monkeypatch):
    upgrade(warehouse_url)
    base = load().with_(home=tmp_path, warehouse_url=warehouse_url)
    assert ensure_round(warehouse_url, 2568, "FY", base)["due_date"] == date(2025, 10, 31)
    later = base.with_(due_fy="11-15")  # ITAFLOW_DUE_FY changed after the round was first read
    assert report_data(warehouse_url, 2568, "FY", PROVINCE, later).due_date == date(2025, 11, 15)
    extended = later.with_(due_overrides=parse_due_overrides("2568-FY=2568-11-30"))
    assert report_data(warehouse_url, 2568, "FY", PROVINCE, extended).due_date == date(2025, 11, 30)
    assert ensure_round(warehouse_url, 2568, "H1", extended)["due_date"] == date(2025, 4, 30)
    set_due_date(warehouse_url, 2568, "FY", date(2025, 12, 1), later)  # the office moved it
    assert report_data(warehouse_url, 2568, "FY", PROVINCE, later).due_date == date(2025, 12, 1)
    assert report_data(warehouse_url, 2568, "FY", PROVINCE, extended).due_date == date(2025, 11, 30)

    for name, value in [
        ("ITAFLOW_DUE_FY", "31-10"),
        ("ITAFLOW_DUE_OVERRIDES", "2568-FY=30/11/2568"),
        ("ITAFLOW_REMIND_LEAD_DAYS", "two weeks"),
    ]:
        monkeypatch.setenv(name, value)
        with pytest.raises(SettingsError, match=name):
            load()
        assert main(["status", "--round", "2568-FY"]) == 2
        monkeypatch.delenv(name)


def test_status_right_after_make_demo_reads_the_demos_warehouse(tmp_path, monkeypatch, capsys):
    """Nothing configured, no warehouse under ./var: the demo's (var/demo) is read."""
    demo = tmp_path / "var" / "demo"
    url = f"sqlite:///{demo / 'warehouse.db'}"
    fill(url, load().with_(home=demo, warehouse_url=url, province=PROVINCE))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ITAFLOW_HOME", raising=False)
    monkeypatch.delenv("ITAFLOW_WAREHOUSE_URL", raising=False)
    assert main(["status", "--province", PROVINCE, "--round", "2566-H1", "--json"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["summary"]["received"] == 5 and "make demo" in out.err
    monkeypatch.setenv("ITAFLOW_HOME", str(tmp_path / "elsewhere"))  # configured: no fallback
    assert main(["status", "--province", PROVINCE, "--round", "2566-H1"]) == 1
    assert "ITAFLOW_HOME" in capsys.readouterr().err
