"""The monitoring view: view-model, the Airflow plugin and its app, and a real browser.

One SQLite warehouse for the module, filled the way the pipeline fills it: the
real seed reports read, extracted and checked (``read_and_extract`` +
``judge_records``), plus judged records for the states the seeds do not show
(rejected with Thai reasons, resubmitted, late, unreadable, hostile text, a file
no LAO can be tied to). Province นครราชสีมา, round 2566 H1 (due 30 April 2023).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.request
import warnings
from datetime import date
from pathlib import Path

import pytest
from warehouse_rows import received

from itaflow import monitor, registry
from itaflow.checks import judge_records
from itaflow.compile import compile_report
from itaflow.models import Agency, Finding, Measure, SubmissionRecord
from itaflow.process import read_and_extract
from itaflow.settings import load
from itaflow.warehouse import register_received, report_data, store_judged, upgrade

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "tests" / "fixtures" / "seeds"
PROVINCE = "นครราชสีมา"
DANCHANG = "6301205"  # the real seed of 2566 H1
NONGHUARAT = "5302201"  # the real seed of 2568 FY
LAOS = [
    lao for lao in registry.expected_laos(PROVINCE) if lao.lao_code not in (DANCHANG, NONGHUARAT)
]
HOSTILE = "<script>alert('x')</script>"
CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)


# Five LAOs of the province, one per state the seeds do not show.
ON_TIME, REJECTED, RESUBMITTED, LATE, BROKEN = (LAOS[i] for i in (0, 1, 2, 3, 4))
HOSTILE_LAO = LAOS[5]


def _record(f: dict, lao_code: str | None, verdict: str | None, found=(), **kw) -> SubmissionRecord:
    measures = [
        Measure(seq=i, category="OIT", measure=f"มาตรการที่ {i}", result="ดำเนินการแล้ว", status="done")
        for i in range(1, kw.pop("measures", 3) + 1)
    ]
    return SubmissionRecord(
        file=f["original_name"],
        sha256=f["sha256"],
        format="txt",
        agency=Agency(lao_code=lao_code, name=kw.pop("agency_name", None), province=PROVINCE),
        fiscal_year=kw.pop("fiscal_year", 2566),
        round=kw.pop("round", "H1"),
        measures=measures,
        findings=list(found),
        verdict=verdict,
        size=f["size"],
        **kw,
    )


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("monitor")


@pytest.fixture(scope="module")
def world(root):
    """Settings pointing at a filled warehouse and a reports folder with compiled reports."""
    settings = load().with_(
        home=root,
        warehouse_url=f"sqlite:///{root / 'warehouse.db'}",
        reports_out=root / "reports",
        province=PROVINCE,
    )
    url = settings.warehouse_url
    upgrade(url)

    # The real seeds: read, extracted and checked as the validate DAG does.
    seeds = sorted(SEEDS.glob("*.txt"))
    run = judge_records([read_and_extract(p, settings, display=p.name) for p in seeds], settings)
    seed_files = []
    for path, rec in zip(seeds, run.records, strict=True):
        seed_files.append(
            {
                "sha256": rec.sha256,
                "size": rec.size,
                "original_name": path.name,
                "inbox_path": path.name,
                "stored_path": str(path),
                "received_at": "2023-04-20T10:00:00+07:00",
            }
        )

    f = {
        "on_time": received("ontime.pdf", "a", "2023-04-28T09:00:00+07:00"),
        "rejected": received("bad.docx", "b", "2023-04-29T09:00:00+07:00"),
        "first": received("v1.xlsx", "c1", "2023-04-10T09:00:00+07:00"),
        "second": received("v2-แก้ไข.xlsx", "c2", "2023-05-15T09:00:00+07:00"),
        "late": received("late.pdf", "d", "2023-05-10T09:00:00+07:00"),
        "broken": received("broken.pdf", "e", "2023-04-11T09:00:00+07:00"),
        "hostile": received(f"{HOSTILE}.pdf", "f", "2023-04-12T09:00:00+07:00"),
        "unmatched": received("<b>ไม่ทราบ</b>.txt", "g", "2023-04-13T09:00:00+07:00"),
    }
    register_received(url, seed_files + list(f.values()), "run-1")
    no_table = Finding("no_measures_found", "error", "ไม่พบตารางมาตรการ / no measure table found")
    no_outcome = Finding(
        "missing_field", "warning", "มาตรการที่ 1: ไม่มีผลลัพธ์ / no outcome", 1, "outcome"
    )
    records = [
        *run.records,
        _record(f["on_time"], ON_TIME.lao_code, "accepted"),
        _record(f["rejected"], REJECTED.lao_code, "rejected", [no_table], measures=0),
        _record(f["first"], RESUBMITTED.lao_code, "rejected", [no_table], measures=0),
        _record(f["second"], RESUBMITTED.lao_code, "accepted"),
        _record(f["late"], LATE.lao_code, "accepted_with_warnings", [no_outcome]),
        _record(
            f["broken"],
            BROKEN.lao_code,
            None,
            [Finding("unreadable_file", "error", "ไฟล์เสีย เปิดไม่ได้ / corrupt file")],
            readable=False,
            measures=0,
        ),
        _record(
            f["hostile"],
            HOSTILE_LAO.lao_code,
            "rejected",
            [
                Finding(
                    "placeholder_text",
                    "error",
                    f"ข้อความแปลก {HOSTILE} <img src=x onerror=alert(1)>",
                )
            ],
        ),
        _record(
            f["unmatched"],
            None,
            "rejected",
            [Finding("agency_unknown", "error", "ไม่พบหน่วยงานในทะเบียน / unknown agency")],
            agency_name=f"อบต.{HOSTILE}",
        ),
    ]
    store_judged(url, records, "run-1")

    # Compiled reports as the compile DAG writes them, and things that must never be served.
    data = report_data(url, 2566, "H1", PROVINCE, settings)
    compile_report(data, settings.reports_out, formats=("html", "xlsx"))
    (root / "secret.txt").write_text("not for the web")
    (settings.reports_out / "ita-link.html").symlink_to(root / "secret.txt")
    (settings.reports_out / "notes.txt").write_text("not a report")
    return settings


def test_rounds_listed_and_default_is_latest_with_submissions(world):
    rounds = monitor.available_rounds(world.warehouse_url, PROVINCE)
    keyed = {(r["fiscal_year"], r["round"]): r["laos_sent"] for r in rounds if r["laos_sent"]}
    assert list(keyed)[:2] == [(2568, "FY"), (2566, "H1")]  # newest first
    assert keyed[(2566, "H1")] == 7  # danchang + six LAOs (a resubmission counts once)
    assert keyed[(2568, "FY")] == 1  # หนองหัวแรต
    assert monitor.default_round(rounds, date(2026, 11, 1)) == (2568, "FY")
    assert monitor.default_round([], date(2026, 11, 1)) == (2569, "FY")
    everywhere = {
        (r["fiscal_year"], r["round"]): r["laos_sent"]
        for r in monitor.available_rounds(world.warehouse_url, None)
    }
    assert everywhere[(2568, "FY")] == 2  # ตาพระยา (สระแก้ว) too


def test_view_counts_states_and_reasons(world):
    view = monitor.monitor_view(world, {"fy": "2566", "round": "H1"}, today=date(2026, 11, 1))
    assert view["expected"] == len(LAOS) + 2 == 334
    c = view["counts"]
    assert (c["received"], c["missing"]) == (7, 327)
    assert (c["on_time"], c["late"]) == (6, 1)
    assert (c["rejected"], c["quarantined"], c["resubmitted"]) == (2, 1, 1)
    assert c["accepted"] == 2 and c["accepted_with_warnings"] == 2  # the late one and danchang
    by = {r["lao_code"]: r for r in view["rows"]}
    rejected = by[REJECTED.lao_code]
    assert rejected["state_th"] == "ต้องแก้ไข" and rejected["action"] == "แก้ไขแล้วส่งใหม่"
    assert rejected["reasons"] == ["ไม่พบตารางมาตรการ"]  # Thai only for officers
    again = by[RESUBMITTED.lao_code]
    assert (again["version_th"], again["resubmitted"], again["state"]) == (
        "ฉบับที่ 2",
        True,
        "accepted",
    )
    assert again["original_name"] == "v2-แก้ไข.xlsx"
    late = by[LATE.lao_code]
    assert (late["timeliness"], late["state_th"]) == ("ส่งล่าช้า", "ผ่านแบบมีข้อสังเกต")
    assert late["notes"] == ["มาตรการที่ 1: ไม่มีผลลัพธ์"]
    danchang = by[DANCHANG]
    assert danchang["name"] == "องค์การบริหารส่วนตำบลด่านช้าง" and danchang["measures"] > 0
    assert danchang["state"] == "accepted_with_warnings" and len(danchang["findings"]) > 4
    assert len(danchang["notes"]) == 4 and danchang["notes"][-1].startswith("และอีก")
    assert by[BROKEN.lao_code]["state_th"] == "ส่งแล้ว – ต้องส่งใหม่ (เปิดไฟล์ไม่ได้)"
    missing = by[LAOS[10].lao_code]
    assert missing["timeliness"] == "ยังไม่ส่ง" and missing["reasons"][0].startswith("ยังไม่ได้รับรายงาน")
    summary = {s["key"]: s["value"] for s in view["summary"]}
    assert summary["reporting_rate"] == "2.1%" and summary["unmatched"] == 1
    (unmatched,) = view["unmatched"]
    assert unmatched["file"] == "<b>ไม่ทราบ</b>.txt" and HOSTILE in unmatched["agency"]
    assert [f["name"] for f in view["reports"]] and all(
        f["name"].startswith("ita-2566-H1-นครราชสีมา.") for f in view["reports"]
    )
    total = next(d for d in view["districts"] if d["district"] == "บัวใหญ่")
    assert total["received"] >= 1 and total["expected"] == sum(
        1 for lao in registry.expected_laos(PROVINCE) if lao.district_th == "บัวใหญ่"
    )


def test_filters_state_district_and_search(world):
    def rows(**params):
        base = {"fy": "2566", "round": "H1"}
        return monitor.monitor_view(world, base | params, today=date(2026, 11, 1))["rows"]

    sent = {ON_TIME, REJECTED, RESUBMITTED, LATE, BROKEN, HOSTILE_LAO}
    assert {r["lao_code"] for r in rows(state="missing")} == {
        lao.lao_code for lao in LAOS if lao not in sent
    } | {NONGHUARAT}
    assert [r["lao_code"] for r in rows(state="late")] == [LATE.lao_code]
    assert {r["lao_code"] for r in rows(state="rejected")} == {
        REJECTED.lao_code,
        HOSTILE_LAO.lao_code,
    }
    assert [r["lao_code"] for r in rows(state="resubmitted")] == [RESUBMITTED.lao_code]
    assert [r["lao_code"] for r in rows(q="ด่านช้าง", state="received")] == [DANCHANG]
    assert [r["lao_code"] for r in rows(q="6301205")] == [DANCHANG]
    assert [r["lao_code"] for r in rows(q="V2-แก้ไข")] == [
        RESUBMITTED.lao_code
    ]  # file name, any case
    in_district = rows(district="บัวใหญ่")
    assert in_district and all(r["district"] == "บัวใหญ่" for r in in_district)
    assert rows(district="บัวใหญ่", q="ไม่มีชื่อนี้") == []
    # Filters change the table, never the figures.
    view = monitor.monitor_view(
        world, {"fy": "2566", "round": "H1", "state": "late"}, today=date(2026, 11, 1)
    )
    assert (
        view["counts"]["missing"] == 327 and view["filtering"] and view["state_label"] == "ส่งล่าช้า"
    )


def test_bad_requests_are_refused_in_thai(world):
    today = date(2026, 11, 1)
    cases = [
        ({"fy": "abc"}, 400, "ปีงบประมาณ"),
        ({"fy": "2566", "round": "Q3"}, 400, "รอบ"),
        ({"fy": "2550", "round": "H1"}, 404, "ยังไม่มีข้อมูล"),  # never creates a round row
        ({"state": "pwned"}, 400, "สถานะ"),
        ({"province": "แอตแลนติส"}, 404, "จังหวัด"),
        ({"q": "ก" * 500}, 400, "ยาว"),
    ]
    for params, status, word in cases:
        with pytest.raises(monitor.MonitorError) as err:
            monitor.monitor_view(world, params, today=today)
        assert err.value.status == status and word in str(err.value), params
    # No round is given and nothing was ever sent for this province: the last closed round.
    empty = monitor.monitor_view(world, {"province": "ระนอง"}, today=today)
    assert (empty["query"]["fiscal_year"], empty["query"]["round"]) == (2569, "FY")
    assert empty["counts"]["missing"] == empty["expected"] > 0


def test_report_listing_is_the_only_way_to_a_file(world):
    names = {f["name"] for f in monitor.list_reports(world.reports_out)}
    assert names == {
        "ita-2566-H1-นครราชสีมา.html",
        "ita-2566-H1-นครราชสีมา-validation.html",  # the report's offline validation summary
        "ita-2566-H1-นครราชสีมา.xlsx",
    }
    assert monitor.report_file(world.reports_out, "ita-2566-H1-นครราชสีมา.xlsx") is not None
    for name in ("ita-link.html", "notes.txt", "../secret.txt", "ita-../../secret.txt.html"):
        assert monitor.report_file(world.reports_out, name) is None
    assert monitor.list_reports(world.reports_out / "absent") == []


# --- the plugin and its app ------------------------------------------------------------


def _plugin():
    spec = importlib.util.spec_from_file_location(
        "itaflow_monitor", REPO / "plugins" / "itaflow_monitor.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def plugin():
    return _plugin()


@pytest.fixture
def env(world, monkeypatch):
    """The plugin's own app reads settings from the environment, as in Airflow."""
    monkeypatch.setenv("ITAFLOW_WAREHOUSE_URL", world.warehouse_url)
    monkeypatch.setenv("ITAFLOW_HOME", str(world.home))  # the kept originals (store/)
    monkeypatch.setenv("ITAFLOW_REPORTS_OUT", str(world.reports_out))
    monkeypatch.setenv("ITAFLOW_PROVINCE", PROVINCE)
    return world


def test_plugin_registers_app_and_nav_entry(plugin):
    from airflow.plugins_manager import AirflowPlugin
    from fastapi import FastAPI

    cls = plugin.ItaflowMonitorPlugin
    assert issubclass(cls, AirflowPlugin) and cls.name == "itaflow_monitor"
    (entry,) = cls.fastapi_apps
    assert isinstance(entry["app"], FastAPI) and entry["url_prefix"] == "/itaflow" and entry["name"]
    (view,) = cls.external_views
    assert view["name"] == "ติดตามการส่งรายงาน" and view["destination"] == "nav"
    assert view["href"] == "itaflow/" and view["url_route"] and view["nav_top_level"] is True


def test_app_requires_airflow_login(plugin, env):
    from fastapi.testclient import TestClient

    client = TestClient(plugin.app)
    page = client.get("/", headers={"accept": "text/html"})
    assert page.status_code == 401 and "เข้าสู่ระบบ" in page.text
    assert client.get("/api/round").status_code == 401


def _log_in(plugin, role: str | None = "viewer") -> None:
    """A logged-in user of Airflow's simple auth manager (``role`` None: no permission),
    judged by a real ``SimpleAuthManager``."""
    from airflow.api_fastapi.auth.managers.simple.simple_auth_manager import SimpleAuthManager
    from airflow.api_fastapi.auth.managers.simple.user import SimpleAuthManagerUser

    user = SimpleAuthManagerUser(username="officer", role=role)
    plugin.app.dependency_overrides[plugin.airflow_user] = lambda: user
    plugin.app.dependency_overrides[plugin.auth_manager] = SimpleAuthManager


def _routes(world) -> list[str]:
    """One request per plugin route (the original file: the first seed, kept by hash)."""
    from itaflow.store import stored_path_for

    seed = SEEDS / "danchang_sao_nakhonratchasima_2566_h1.txt"
    sha = hashlib.sha256(seed.read_bytes()).hexdigest()
    kept = stored_path_for(world.store, sha)
    kept.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(seed, kept)
    return [
        "/?fy=2566&round=H1",
        "/api/round?fy=2566&round=H1",
        "/matrix?fy=2566&round=H1",
        "/api/matrix?fy=2566&round=H1",
        f"/lao/{RESUBMITTED.lao_code}",
        f"/api/lao/{RESUBMITTED.lao_code}",
        f"/files/{sha}",
        "/reports/ita-2566-H1-นครราชสีมา.html",
        "/static/sarabun-regular.ttf",
    ]


def test_every_route_is_authorised_by_the_auth_manager(plugin, env):
    from fastapi.testclient import TestClient

    routes = _routes(env)
    client = TestClient(plugin.app)
    try:
        for route in routes:
            assert client.get(route).status_code == 401, route
        _log_in(plugin, role=None)  # logged in, but the auth manager grants nothing
        for route in routes:
            response = client.get(route, headers={"accept": "text/html"})
            assert response.status_code == 403, route
            assert "ไม่มีสิทธิ์" in response.text and DANCHANG not in response.text
        _log_in(plugin, role="viewer")
        for route in routes:
            assert client.get(route).status_code == 200, route
    finally:
        plugin.app.dependency_overrides.clear()


def test_matrix_history_and_original_download(plugin, env):
    from fastapi.testclient import TestClient

    routes = _routes(env)
    _log_in(plugin)
    try:
        client = TestClient(plugin.app)
        from itaflow import status

        page = client.get("/api/round", params={"fy": 2566, "round": "H1"}).json()
        data = report_data(env.warehouse_url, 2566, "H1", PROVINCE, env)
        assert page["figures"] == status.summarize(data)
        cards = {c["key"]: c["value"] for c in page["summary"]}
        assert cards["must_resubmit"] == page["figures"]["must_resubmit"] == 3
        matrix = client.get("/api/matrix", params={"fy": 2566, "round": "H1"}).json()
        assert matrix["query"]["fiscal_year"] == 2566  # opens on the round with submissions
        rows = {r["lao_code"]: r for d in matrix["districts"] for r in d["laos"]}
        assert len(rows) == len(registry.expected_laos(PROVINCE))
        column = [c["round"] for c in matrix["columns"]].index("H1")
        assert rows[BROKEN.lao_code]["cells"][column]["state_th"].startswith("ส่งแล้ว")
        assert rows[LATE.lao_code]["cells"][column]["late"] is True
        assert rows[RESUBMITTED.lao_code]["cells"][column]["version"] == 2
        late_only = client.get("/api/matrix", params={"fy": 2566, "round": "H1", "state": "late"})
        assert [r["lao_code"] for d in late_only.json()["districts"] for r in d["laos"]] == [
            LATE.lao_code
        ]
        page = client.get("/matrix?fy=2566&round=H1").text
        assert 'class="cell c-missing"' in page and f'href="/lao/{LATE.lao_code}"' in page

        history = client.get(f"/api/lao/{RESUBMITTED.lao_code}").json()
        (h1,) = history["rounds"]
        first, second = sorted(h1["versions"], key=lambda x: x["version"])
        assert (first["current"], second["current"]) == (False, True)
        assert first["superseded"]["by_version"] == 2 and "แก้ไข" in first["superseded"]["why"]
        assert first["findings"][0]["message"].startswith("ไม่พบตารางมาตรการ")
        assert first["download"] == f"files/{first['sha256']}"
        html = client.get(f"/lao/{RESUBMITTED.lao_code}").text
        assert "ถูกแทนที่ด้วยฉบับที่ 2" in html and "ดาวน์โหลดไฟล์ต้นฉบับ" in html

        original = client.get(routes[6])
        assert (
            original.content == (SEEDS / "danchang_sao_nakhonratchasima_2566_h1.txt").read_bytes()
        )
        assert original.headers["content-disposition"].startswith("attachment")
        assert original.headers["content-type"] == "application/octet-stream"
        for bad in ("/files/" + "0" * 64, "/files/..%2F..%2Fwarehouse.db", "/files/ABC", "/lao/x"):
            assert client.get(bad).status_code == 404, bad
    finally:
        plugin.app.dependency_overrides.clear()


def test_app_serves_page_api_and_reports_read_only(plugin, env):
    from fastapi.testclient import TestClient

    _log_in(plugin)
    try:
        client = TestClient(plugin.app)
        page = client.get("/?fy=2566&round=H1")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        body = page.text
        for text in (
            "ติดตามการส่งรายงาน",
            "หน่วยงานที่ต้องรายงาน",
            "องค์การบริหารส่วนตำบลด่านช้าง",
            "ส่งล่าช้า",
            "ยังไม่ส่ง",
            "ต้องแก้ไข",
            "ฉบับที่ 2",
            "ไม่พบตารางมาตรการ",
        ):
            assert text in body, text
        assert HOSTILE not in body and "<b>ไม่ทราบ" not in body and "<img src=x" not in body
        assert "&lt;script&gt;" in body and "<script" not in body.lower()
        assert "http://" not in body and "https://" not in body  # no external assets
        assert "script-src" not in page.headers["content-security-policy"]
        assert "frame-ancestors 'self'" in page.headers["content-security-policy"]

        api = client.get("/api/round", params={"fy": 2566, "round": "H1", "state": "rejected"})
        assert api.status_code == 200
        data = api.json()
        assert data["counts"]["rejected"] == 2 and len(data["rows"]) == 2
        assert any(HOSTILE in f["message"] for r in data["rows"] for f in r["findings"])
        assert client.get("/api/round", params={"state": "nope"}).status_code == 400
        assert client.get("/?fy=2550&round=H1", headers={"accept": "text/html"}).status_code == 404

        name = "ita-2566-H1-นครราชสีมา.html"
        report = client.get(f"/reports/{name}")
        assert report.status_code == 200 and "ด่านช้าง" in report.text
        assert "sandbox" in report.headers["content-security-policy"]
        xlsx = client.get("/reports/ita-2566-H1-นครราชสีมา.xlsx")
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
        assert xlsx.headers["content-disposition"].startswith("attachment")
        for bad in (
            "/reports/..%2Fsecret.txt",
            "/reports/ita-link.html",
            "/reports/notes.txt",
            "/reports/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
            "/reports/../secret.txt",
            "/static/..%2F..%2Fsettings.py",
            "/static/Sarabun-Regular.ttf",
        ):
            response = client.get(bad)
            assert response.status_code == 404, bad
            assert "not for the web" not in response.text
        font = client.get("/static/sarabun-regular.ttf")
        assert font.status_code == 200 and font.content[:4] == b"\x00\x01\x00\x00"
        for method in ("post", "put", "delete"):
            assert getattr(client, method)("/").status_code == 405
    finally:
        plugin.app.dependency_overrides.clear()


# --- a real browser -------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(world, plugin):
    """The app (without Airflow's login) served by uvicorn on 127.0.0.1 in a thread."""
    import uvicorn

    app = plugin.create_app(lambda: world, require_login=False)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    if CHROMIUM is None:
        message = "CHROMIUM NOT INSTALLED (run scripts/system-deps.sh): the browser test is SKIPPED"
        warnings.warn(message, stacklevel=2)
        print(f"\n{'!' * 78}\n{message}\n{'!' * 78}", file=sys.stderr)
        pytest.skip(message)
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={tmp_path / 'profile'}",
        *args,
    ]
    return subprocess.run(
        cmd, capture_output=True, text=True, timeout=90, env={**os.environ, "HOME": str(tmp_path)}
    )


def test_real_browser_renders_the_page(served, tmp_path):
    url = f"{served}/?fy=2566&round=H1"
    dom = _chromium(tmp_path, "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout
    for text in (
        "องค์การบริหารส่วนตำบลด่านช้าง",
        registry.full_name(ON_TIME),
        "ส่งตรงเวลา",
        "ส่งล่าช้า",
        "ยังไม่ส่ง",
        "ต้องแก้ไข",
        "ผ่านแบบมีข้อสังเกต",
        "ฉบับที่ 2",
        "ไม่พบตารางมาตรการ",
    ):
        assert text in html, text
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    filtered = _chromium(tmp_path, "--dump-dom", f"{served}/?fy=2566&round=H1&state=late")
    assert (
        LATE.lao_code in filtered.stdout
        and ON_TIME.lao_code not in filtered.stdout.split("<tbody>")[1]
    )

    shot = tmp_path / "m.png"
    run = _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,1800", url)
    assert run.returncode == 0 and shot.exists(), run.stderr[-2000:]
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (1280, 1800)
    keep = os.environ.get("ITAFLOW_MONITOR_SCREENSHOT")
    if keep:  # for looking at it: ITAFLOW_MONITOR_SCREENSHOT=/tmp/m.png
        shutil.copyfile(shot, keep)


def test_json_api_over_http(served):
    from urllib.request import urlopen

    with urlopen(f"{served}/api/round?fy=2566&round=H1&state=missing", timeout=30) as r:
        data = json.load(r)
    assert data["counts"]["missing"] == len(data["rows"]) == 327


def test_warehouse_not_installed_says_so(plugin, tmp_path):
    from fastapi.testclient import TestClient

    settings = load().with_(warehouse_url=f"sqlite:///{tmp_path / 'none.db'}", province=PROVINCE)
    client = TestClient(plugin.create_app(lambda: settings, require_login=False))
    page = client.get("/", headers={"accept": "text/html"})
    assert page.status_code == 503 and "อ่านคลังข้อมูลไม่ได้" in page.text
    assert client.get("/api/round").status_code == 503


# --- the plugin inside Airflow itself --------------------------------------------------


def _get(url: str, token: str | None = None) -> tuple[int, str]:
    from urllib.error import HTTPError, URLError
    from urllib.request import Request, urlopen

    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with urlopen(Request(url, headers=headers), timeout=30) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")
    except URLError:  # not listening yet
        return 0, ""


JWT_SECRET = (
    "itaflow-test-jwt-secret-" + "0123456789abcdef" * 3
)  # shared with the test api-server to sign a guest token
REAL_AIRFLOW_TESTS = {
    "test_plugin_mounts_in_real_airflow_api_server",
    "test_real_airflow_refuses_anonymous_and_unauthorised_on_every_route",
    "test_browser_logs_in_opens_matrix_and_history",
}


class AirflowBoot(threading.Thread):
    """``airflow db migrate`` then ``airflow api-server``, started in the background when
    the module starts, so Airflow comes up while the warehouse is being built."""

    def __init__(self, home: Path, root: Path) -> None:
        super().__init__(daemon=True)
        (home / "dags").mkdir(parents=True)
        passwords = home / "passwords.json"
        passwords.write_text(json.dumps({"officer": "ita-test-password"}))
        self.log = home / "api-server.log"
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.server: subprocess.Popen | None = None
        self.error = ""
        self.started = time.monotonic()
        self.env = {
            **os.environ,
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
            "AIRFLOW__CORE__DAGS_FOLDER": str(home / "dags"),
            "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO / "plugins"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__AUTH_MANAGER": (
                "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"
            ),
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "officer:viewer",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "False",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
            "AIRFLOW__API_AUTH__JWT_SECRET": JWT_SECRET,
            "ITAFLOW_HOME": str(root),
            "ITAFLOW_WAREHOUSE_URL": f"sqlite:///{root / 'warehouse.db'}",
            "ITAFLOW_REPORTS_OUT": str(root / "reports"),
            "ITAFLOW_PROVINCE": PROVINCE,
        }

    def run(self) -> None:
        migrate = subprocess.run(
            [sys.executable, "-m", "airflow", "db", "migrate"],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if migrate.returncode != 0:
            self.error = migrate.stdout[-2000:] + migrate.stderr[-2000:]
            return
        with self.log.open("wb") as out:
            self.server = subprocess.Popen(
                [sys.executable, "-m", "airflow", "api-server", "-H", "127.0.0.1"]
                + ["-p", str(self.port), "-w", "1"],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own group, so its workers stop with it
            )

    def wait_up(self, limit: float = 240) -> None:
        """Until the API answers; a skip (loudly) past ``limit`` seconds since the start."""
        while _get(f"{self.base}/api/v2/monitor/health")[0] != 200:
            if self.error or (self.server is not None and self.server.poll() is not None):
                log = self.log.read_text() if self.log.exists() else ""
                pytest.fail(f"airflow did not start: {self.error}{log[-3000:]}")
            if time.monotonic() - self.started > limit:
                message = f"airflow api-server took more than {limit:g} s to come up: SKIPPED"
                warnings.warn(message, stacklevel=1)
                print(f"\n{'!' * 78}\n{message}\n{'!' * 78}", file=sys.stderr)
                pytest.skip(message)
            time.sleep(0.5)

    def stop(self) -> None:
        self.join(130)
        if self.server is None or self.server.poll() is not None:
            return
        os.killpg(self.server.pid, signal.SIGTERM)
        try:
            self.server.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.server.pid, signal.SIGKILL)
            self.server.wait(10)


@pytest.fixture(scope="module", autouse=True)
def airflow(root, tmp_path_factory, request):
    """Started first (autouse) but only when the test that needs it was selected."""
    if not any(i.name in REAL_AIRFLOW_TESTS for i in request.session.items):
        yield None
        return
    boot = AirflowBoot(tmp_path_factory.mktemp("airflow"), root)
    boot.start()
    yield boot
    boot.stop()


def test_plugin_mounts_in_real_airflow_api_server(world, airflow):
    """``airflow api-server`` loads the plugin from plugins/ and mounts /itaflow behind its login."""
    from urllib.request import Request, urlopen

    airflow.wait_up()
    base = airflow.base
    status, body = _get(f"{base}/itaflow/?fy=2566&round=H1")
    assert status == 401, "the monitor must be behind Airflow's login"
    login = Request(
        f"{base}/auth/token",
        data=json.dumps({"username": "officer", "password": "ita-test-password"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urlopen(login, timeout=30) as r:
        token = json.load(r)["access_token"]
    status, body = _get(f"{base}/itaflow/?fy=2566&round=H1", token)
    assert status == 200, body[-2000:]
    assert "ติดตามการส่งรายงาน" in body and "องค์การบริหารส่วนตำบลด่านช้าง" in body
    assert 'href="/itaflow/reports/' in body  # links carry the mount point
    status, body = _get(f"{base}/itaflow/api/round?fy=2566&round=H1", token)
    assert status == 200 and json.loads(body)["counts"]["received"] == 7
    assert _get(f"{base}/itaflow/reports/..%2F..%2Fsecret.txt", token)[0] == 404
    status, body = _get(f"{base}/api/v2/plugins", token)
    plugins = {p["name"]: p for p in json.loads(body)["plugins"]}
    mine = plugins["itaflow_monitor"]
    assert mine["fastapi_apps"][0]["url_prefix"] == "/itaflow"
    assert mine["external_views"][0]["name"] == "ติดตามการส่งรายงาน"


def _token(base: str, username: str, password: str) -> str:
    from urllib.request import Request, urlopen

    login = Request(
        f"{base}/auth/token",
        data=json.dumps({"username": username, "password": password}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urlopen(login, timeout=30) as r:
        return json.load(r)["access_token"]


def test_real_airflow_refuses_anonymous_and_unauthorised_on_every_route(
    world, airflow, monkeypatch
):
    """Inside ``airflow api-server``: no token → 401 on every route; a valid token of a
    user the simple auth manager grants nothing (no role) → 403; the officer → 200."""
    from urllib.parse import quote

    from airflow.api_fastapi.auth.managers.simple.simple_auth_manager import SimpleAuthManager
    from airflow.api_fastapi.auth.managers.simple.user import SimpleAuthManagerUser

    routes = [quote(r, safe="/?=&") for r in _routes(world)]
    airflow.wait_up()
    base = f"{airflow.base}/itaflow"
    monkeypatch.setenv("AIRFLOW__API_AUTH__JWT_SECRET", JWT_SECRET)
    guest = SimpleAuthManager().generate_jwt(SimpleAuthManagerUser(username="guest", role=None))
    officer = _token(airflow.base, "officer", "ita-test-password")
    for route in routes:
        assert _get(base + route)[0] == 401, route
        status, body = _get(base + route, guest)
        assert status == 403 and DANCHANG not in body, (route, status)
        assert _get(base + route, officer)[0] == 200, route


class Browser:
    """Headless Chromium driven over the DevTools protocol (websockets), so a test can
    type into Airflow's own login form like an officer."""

    def __init__(self, tmp_path: Path) -> None:
        from websockets.sync.client import connect

        profile = tmp_path / "profile"
        self.proc = subprocess.Popen(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--no-first-run",
                "--window-size=1280,1600",
                "--remote-debugging-port=0",
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "HOME": str(tmp_path)},
        )
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().count("\n") >= 1):
            assert time.monotonic() < deadline, "chromium did not open its DevTools port"
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as r:
            page = next(t for t in json.load(r) if t["type"] == "page")
        self._connection = connect(page["webSocketDebuggerUrl"], max_size=None, open_timeout=20)
        self.ws = self._connection.__enter__()  # closed in ``close``
        self.next_id = 0

    def call(self, method: str, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            reply = json.loads(self.ws.recv(timeout=60))
            if reply.get("id") == self.next_id:
                assert "error" not in reply, reply
                return reply["result"]

    def js(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    def wait(self, expression: str, limit: float = 60) -> None:
        deadline = time.monotonic() + limit
        while not self.js(expression):
            if time.monotonic() > deadline:
                seen = self.js("location.href + ' | ' + document.body.innerText.slice(0, 500)")
                pytest.fail(f"timed out waiting for {expression}; page: {seen}")
            time.sleep(0.25)

    def goto(self, url: str) -> None:
        self.call("Page.navigate", url=url)
        self.wait("document.readyState === 'complete' && location.href !== 'about:blank'")

    def screenshot(self, path: Path) -> bytes:
        import base64

        data = base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"])
        path.write_bytes(data)
        return data

    def close(self) -> None:
        self._connection.__exit__(None, None, None)
        self.proc.terminate()
        self.proc.wait(20)


def test_browser_logs_in_opens_matrix_and_history(world, airflow, tmp_path):
    """An officer logs in on Airflow's login page, opens the matrix and one LAO's history;
    the figures on screen are the warehouse's; screenshots are saved."""
    from itaflow import status

    if CHROMIUM is None:
        pytest.skip("CHROMIUM NOT INSTALLED (run scripts/system-deps.sh)")
    _routes(world)
    airflow.wait_up()
    base = airflow.base
    browser = Browser(tmp_path)
    try:
        browser.goto(f"{base}/itaflow/matrix?fy=2566&round=H1")
        assert "เข้าสู่ระบบ" in browser.js("document.body.innerText")  # refused before login
        browser.js("document.querySelector('a[href*=\"/auth/login\"]').click(); true")
        browser.wait("document.querySelector('input[type=password]') !== null")
        browser.js(
            """(() => {
              const set = (el, v) => {
                Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(el, v);
                el.dispatchEvent(new Event('input', {bubbles: true}));
              };
              set(document.querySelector('input[name=username]'), 'officer');
              set(document.querySelector('input[type=password]'), 'ita-test-password');
              return true;
            })()"""
        )
        browser.wait("!document.querySelector('button[type=submit]').disabled")
        browser.js("document.querySelector('button[type=submit]').click(); true")
        browser.wait(
            "location.pathname.startsWith('/itaflow/matrix') && document.readyState === 'complete'"
        )
        on_screen = browser.js(
            """(() => {
              const count = {};
              for (const td of document.querySelectorAll('td[data-round="2566-H1"]'))
                count[td.dataset.state] = (count[td.dataset.state] || 0) + 1;
              return count;
            })()"""
        )
        figures = status.summarize(report_data(world.warehouse_url, 2566, "H1", PROVINCE, world))
        assert on_screen.get("missing", 0) == figures["missing"]
        assert on_screen.get("quarantined", 0) == figures["unreadable"]
        assert on_screen.get("rejected", 0) == figures["rejected"]
        assert sum(on_screen.values()) == figures["expected"]
        shot = browser.screenshot(tmp_path / "matrix.png")
        assert shot[:8] == b"\x89PNG\r\n\x1a\n"

        browser.js(
            f"document.querySelector('a[href$=\"lao/{RESUBMITTED.lao_code}\"]').click(); true"
        )
        browser.wait(
            f"location.pathname.endsWith('/lao/{RESUBMITTED.lao_code}') && document.readyState === 'complete'"
        )
        versions = browser.js(
            "[...document.querySelectorAll('.version')].map(v => v.dataset.version)"
        )
        assert sorted(versions) == ["1", "2"]
        text = browser.js("document.body.innerText")
        assert "ถูกแทนที่ด้วยฉบับที่ 2" in text and "ไม่พบตารางมาตรการ" in text
        assert browser.screenshot(tmp_path / "history.png")[:4] == b"\x89PNG"
        keep = os.environ.get("ITAFLOW_MONITOR_SCREENSHOT")
        if keep:  # e.g. ITAFLOW_MONITOR_SCREENSHOT=/tmp/matrix.png
            shutil.copyfile(tmp_path / "matrix.png", keep)
            shutil.copyfile(tmp_path / "history.png", Path(keep).with_name("history.png"))
    finally:
        browser.close()


def test_reports_filed_in_round_folders_are_listed_and_served(tmp_path):
    """compile files its outputs under ``<fiscal year>-<round>/``: the page lists them."""
    (tmp_path / "2568-FY").mkdir()
    (tmp_path / "2568-FY" / "ita-2568-FY-นครราชสีมา.pdf").write_bytes(b"%PDF-1.7")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "ita-2568-FY-x.pdf").write_bytes(b"%PDF-1.7")
    (tmp_path / "2567-H1").symlink_to(tmp_path / "other")
    names = {f["name"] for f in monitor.list_reports(tmp_path)}
    assert names == {"ita-2568-FY-นครราชสีมา.pdf"}
    served = monitor.report_file(tmp_path, "ita-2568-FY-นครราชสีมา.pdf")
    assert served == tmp_path / "2568-FY" / "ita-2568-FY-นครราชสีมา.pdf"
    assert monitor.report_file(tmp_path, "ita-2568-FY-x.pdf") is None
