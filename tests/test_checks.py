"""Quality checks: every check id fires where it should and stays quiet where it should not.

Great Expectations costs seconds to import, so the unit cases are one batch
validated once (which also shows that each failing row maps back to its own
submission and measure); the fixtures are a second batch, configuration changes
a third and fourth.
"""

from __future__ import annotations

import copy
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from contract import CHECK_IDS as CATALOGUE

from itaflow.checks import CheckRun, judge_records, verdict_of
from itaflow.checks.suites import SuiteError, load_suites, rule_metas, stage_finding
from itaflow.models import Agency, Finding, Measure, Reporter, SubmissionRecord
from itaflow.settings import load

FIXTURES = Path(__file__).parent / "fixtures"

TITLE = "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน\nประจำปีงบประมาณ พ.ศ. ๒๕๖๘"
WHOLE_YEAR = ("๑ ตุลาคม ๒๕๖๗ ถึง ๓๐ กันยายน ๒๕๖๘", date(2024, 10, 1), date(2025, 9, 30))


def clean() -> SubmissionRecord:
    """A good annual report of อบต.ตาพระยา (สระแก้ว), written the way extraction leaves it."""
    period, start, end = WHOLE_YEAR
    measures = [
        Measure(
            1,
            measure="กระบวนการปฏิบัติงานที่โปร่งใสและมีประสิทธิภาพ",
            steps="ทบทวนคู่มือการให้บริการของงานด้านต่าง ๆ และประชาสัมพันธ์ให้ผู้มารับบริการทราบ",
            responsible=["สำนักปลัด", "กองคลัง"],
            period_text=period,
            period_start=start,
            period_end=end,
            result="จัดทำคู่มือการให้บริการประชาชนพร้อมแบบฟอร์มคำร้อง และเผยแพร่บนเว็บไซต์ของหน่วยงานแล้ว",
            outcome="หน่วยงานมีมาตรฐานและแนวทางปฏิบัติเกี่ยวกับวิธีการให้บริการประชาชน",
        ),
        Measure(
            2,
            measure="พัฒนาระบบการให้บริการประชาชนผ่านระบบอิเล็กทรอนิกส์ (E-Service)",
            steps="ปรับปรุงข้อมูลพื้นฐานในเว็บไซต์ให้ครบถ้วนเป็นปัจจุบัน และสำรวจความพึงพอใจของผู้รับบริการ",
            responsible=["สำนักปลัด"],
            period_text=period,
            period_start=start,
            period_end=end,
            result="เปิดให้บริการยื่นคำร้องผ่านระบบ E-Service และจัดทำคู่มือการใช้งานสำหรับประชาชน",
            outcome="ประชาชนขอรับบริการได้โดยไม่ต้องเดินทางมาติดต่อด้วยตนเอง",
        ),
        Measure(
            3,
            measure="กระบวนการกำกับดูแลการใช้ทรัพย์สินของราชการ",
            steps="กำหนดขั้นตอนการยืมทรัพย์สินของราชการและตรวจสอบวัสดุครุภัณฑ์ในแต่ละส่วนงานเป็นระยะ",
            responsible=["กองคลัง"],
            period_text=period,
            period_start=start,
            period_end=end,
            result="ประกาศแนวทางการยืมทรัพย์สินของราชการ จัดทำทะเบียนคุมการยืม และร่วมกับองค์การบริหารส่วนจังหวัดสระแก้วจัดอบรมเจ้าหน้าที่",
            outcome="ไม่มีข้อร้องเรียนเกี่ยวกับการนำทรัพย์สินของราชการไปใช้ประโยชน์ส่วนตน",
        ),
    ]
    rows = [
        " | ".join(
            [m.measure, m.steps, " ".join(m.responsible), m.period_text, m.result, m.outcome]
        )
        for m in measures
    ]
    text = "\n".join(
        [
            *TITLE.splitlines(),
            "องค์การบริหารส่วนตำบลตาพระยา อำเภอตาพระยา จังหวัดสระแก้ว",
            "อบต.ตาพระยา ได้ดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส ร่วมกับเทศบาลตำบลตาพระยา ดังนี้",
            *rows,
            "(ลงชื่อ)..........ผู้รายงาน",
            "(นางสาวสมหญิง ใจดี)",
            "ตำแหน่ง ปลัดองค์การบริหารส่วนตำบลตาพระยา",
        ]
    )
    return SubmissionRecord(
        file="tapraya.txt",
        sha256="0" * 64,
        format="txt",
        agency=Agency("6270302", "องค์การบริหารส่วนตำบลตาพระยา", "อบต.", "ตาพระยา", "สระแก้ว", 0.95),
        fiscal_year=2568,
        round="FY",
        reporter=Reporter("นางสาวสมหญิง ใจดี", "ปลัดองค์การบริหารส่วนตำบลตาพระยา"),
        measures=measures,
        title=TITLE,
        text=text,
        evidence={"stated_district": "ตาพระยา", "stated_province": "สระแก้ว"},
    )


def variant(change) -> SubmissionRecord:
    rec = copy.deepcopy(clean())
    change(rec)
    return rec


def _set(obj, **values):
    for k, v in values.items():
        setattr(obj, k, v)


def _h1(rec: SubmissionRecord) -> None:
    rec.round = "H1"
    rec.title = rec.title + " รอบ ๖ เดือน"
    for m in rec.measures:
        _set(
            m,
            period_text="ตุลาคม ๒๕๖๗ - มีนาคม ๒๕๖๘",
            period_start=date(2024, 10, 1),
            period_end=date(2025, 3, 31),
        )
    _set(
        rec.measures[1],
        period_text=WHOLE_YEAR[0],
        period_start=WHOLE_YEAR[1],
        period_end=WHOLE_YEAR[2],
    )


def _header_row(rec: SubmissionRecord) -> None:
    header = Measure(
        2,
        measure="มาตรการ/กิจกรรม",
        steps="วิธีการดำเนินการ",
        responsible=["ผู้รับผิดชอบ"],
        period_text="ระยะเวลาในการดำเนินการ",
        result="สรุปผลการดำเนินงานตามมาตรการ",
        outcome="ผลลัพธ์หรือความสำเร็จในการดำเนินการ",
    )
    rec.measures.insert(1, header)
    for i, m in enumerate(rec.measures, 1):
        m.seq = i


CASES: dict[str, SubmissionRecord] = {
    "clean": clean(),
    "unreadable": variant(
        lambda r: _set(
            r,
            readable=False,
            measures=[],
            text="",
            title="",
            findings=[Finding("unreadable_file", "error", "ไฟล์เข้ารหัสไว้ / the file is encrypted")],
        )
    ),  # fmt: skip
    "unreadable_bare": variant(lambda r: _set(r, readable=False, measures=[], text="", title="")),
    "no_measures": variant(lambda r: _set(r, measures=[])),
    "plan": variant(
        lambda r: [
            _set(r, title="มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน\nประจำปีงบประมาณ พ.ศ. ๒๕๖๘"),
            *(_set(m, result="", outcome="") for m in r.measures),
        ]
    ),
    "ita_analysis": variant(
        lambda r: _set(
            r,
            measures=[],
            title="การวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA)",
        )
    ),
    "agency_unknown": variant(
        lambda r: _set(r, agency=Agency(None, "โรงพยาบาลน้ำยืน", None, None, None, 0.0))
    ),
    "name_variant": variant(
        lambda r: _set(r, text=r.text + "\nเทศบาลเมืองตาพระยา ขอรายงานผลการดำเนินการ")
    ),
    "district": variant(
        lambda r: r.evidence.update(stated_district="บัวใหญ่", stated_province="สระแก้ว")
    ),
    "foreign_agency": variant(
        lambda r: _set(
            r.measures[1],
            result=r.measures[1].result + " ประชาสัมพันธ์ผ่านเว็บไซต์ของเทศบาลตำบลหนองหัวแรต",
        )
    ),
    "wrong_year": variant(lambda r: _set(r, title=TITLE.replace("๒๕๖๘", "๒๕๖๖"), fiscal_year=2566)),
    "period_unparseable": variant(
        lambda r: _set(
            r.measures[1], period_text="ตามความเหมาะสม", period_start=None, period_end=None
        )
    ),
    "period_wrapped": variant(
        lambda r: _set(
            r.measures[1], period_text="เดือนพฤศจิกาย น 2567", period_start=None, period_end=None
        )
    ),
    "period_outside": variant(
        lambda r: _set(
            r.measures[2],
            period_text="มกราคม ๒๕๖๕",
            period_start=date(2022, 1, 1),
            period_end=date(2022, 1, 31),
        )
    ),
    "h1_past_march": variant(_h1),
    "round_unknown": variant(lambda r: _set(r, round=None)),
    "missing": variant(
        lambda r: [_set(r.measures[1], result=""), _set(r.measures[2], outcome="-")]
    ),
    "no_outcome_column": variant(lambda r: [_set(m, outcome="") for m in r.measures]),
    "column_shift": variant(
        lambda r: _set(
            r.measures[1],
            responsible=["ตุลาคม ๒๕๖๗ - กันยายน ๒๕๖๘"],
            period_text="สำนักปลัด / กองคลัง",
            period_start=None,
            period_end=None,
        )
    ),
    "header_row": variant(_header_row),
    "header_dropped": variant(lambda r: r.evidence.update(repeated_header_rows=[3])),
    "duplicate_text": variant(lambda r: _set(r.measures[2], outcome=r.measures[0].outcome)),
    "placeholder": variant(
        lambda r: _set(r.measures[1], result=r.measures[1].result + " เมื่อวันที่ เดือน มีนาคม ๒๕๖๘")
    ),
    "unsigned": variant(
        lambda r: _set(
            r,
            text=r.text
            + "\n(....................................)\nตำแหน่ง..........................",
        )
    ),
    "garbled_am": variant(
        lambda r: _set(r.measures[1], result=r.measures[1].result.replace("า", "ำ"))
    ),
    # Damage light enough that most of the cell still reads as words (share >= 0.8):
    # caught because undoing the damage makes it read much better.
    "garbled_am_light": variant(
        lambda r: _set(
            r.measures[1],
            result="ได้ประกำศนโยบำยกำรบริหำรทรัพยำกรบุคคลและเผยแพร่บนเว็บไซต์ เมื่อวันที่ ๕ พฤศจิกำยน ๒๕๖๗",
        )
    ),
    "garbled_tone_light": variant(
        lambda r: _set(
            r.measures[1],
            result="ไดด้ำเนินโครงการตามแผนปฏิบัติการปอ้งกันการทุจริตแลว้ ๘ โครงการ",
        )
    ),
    "garbled_pua": variant(
        lambda r: _set(
            r.measures[2],
            raw={"steps": r.measures[2].steps.replace("่", "\uf70a").replace("้", "\uf70b")},
        )
    ),
    "garbled_fffd": variant(
        lambda r: _set(r.measures[0], result="จัดทำคู่มือ\ufffd\ufffdการให้บริการ\ufffdประชาชน")
    ),
    "garbled_doc": variant(
        lambda r: _set(r, text=r.text.replace("า", "ำ").replace("่", "").replace("้", "ั"))
    ),
    "khmer": variant(
        lambda r: _set(r.measures[1], result=r.measures[1].result + " ការអនុវត្តវិធានការ")
    ),
    "cjk_doc": variant(lambda r: _set(r, text=r.text + "\n" + "实施措施已完成并公布于网站" * 40)),
    "lao_quoted": variant(
        lambda r: _set(
            r.measures[0], result=r.measures[0].result + " ร่วมประชุมกับแขวงจำปาสัก สปป.ลาว ເມືອງປາກເຊ"
        )
    ),
}


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    return load().with_(reports_out=tmp_path_factory.mktemp("reports"))


@pytest.fixture(scope="module")
def run(settings) -> dict[str, SubmissionRecord]:
    result = judge_records(list(CASES.values()), settings)
    assert isinstance(result, CheckRun) and result.data_docs is None and not result.problems
    return dict(zip(CASES, result.records, strict=True))


def found(
    rec: SubmissionRecord, check: str, seq: int | None = None, field: str | None = None
) -> list[Finding]:
    return [
        f
        for f in rec.findings
        if f.check == check
        and (seq is None or f.measure_seq == seq)
        and (field is None or f.field == field)
    ]


def checks(rec: SubmissionRecord) -> set[str]:
    return {f.check for f in rec.findings}


def test_every_catalogue_check_is_declared_in_the_suites(settings):
    declared = {
        e["meta"]["check_id"]
        for s in load_suites(
            settings.expectations_dir,
            required=settings.required_fields,
            recommended=settings.recommended_fields,
        )
        for e in [*s.expectations, *({"meta": m} for m in s.decided)]
    }
    assert declared >= CATALOGUE


def test_rule_meta_gives_other_stages_the_suites_wording(settings):
    metas = rule_metas(settings.expectations_dir)
    meta = metas.get("duplicate_submission")
    assert meta and meta["severity"] == "error" and meta["message_th"]
    assert metas.get("no_such_check") is None


def test_a_finding_a_stage_decides_needs_a_rule(settings):
    rules = rule_metas(settings.expectations_dir)
    found = stage_finding(rules, "unreadable_file", reason="ไฟล์ใหญ่เกิน / too large")
    assert (found.check, found.severity, found.message) == (
        "unreadable_file",
        "error",
        "ไฟล์ใหญ่เกิน / too large",
    )
    with pytest.raises(SuiteError, match="no_such_check"):
        stage_finding(rules, "no_such_check", {})


def test_a_clean_report_is_accepted_without_findings(run):
    rec = run["clean"]
    assert rec.findings == [] and rec.verdict == "accepted"


# (case, check, measure_seq, field, severity): what must be found.
FIRES = [
    ("unreadable_bare", "unreadable_file", None, None, "error"),
    ("no_measures", "no_measures_found", None, None, "error"),
    ("plan", "not_an_implementation_report", None, None, "error"),
    ("ita_analysis", "not_an_implementation_report", None, None, "error"),
    ("agency_unknown", "agency_unknown", None, None, "error"),
    ("name_variant", "agency_name_inconsistent", None, None, "warning"),
    ("district", "district_province_mismatch", None, None, "warning"),
    ("foreign_agency", "foreign_agency_mentioned", 2, "result", "warning"),
    ("wrong_year", "fiscal_year_inconsistent", None, None, "error"),
    ("period_unparseable", "period_unparseable", 2, "period", "warning"),
    ("period_outside", "period_outside_fiscal_year", 3, "period", "warning"),
    ("h1_past_march", "round_inconsistent", 2, "period", "warning"),
    ("round_unknown", "round_inconsistent", None, None, "warning"),
    ("missing", "missing_field", 2, "result", "error"),
    ("missing", "missing_field", 3, "outcome", "warning"),
    ("column_shift", "column_shift", 2, "responsible", "warning"),
    ("header_row", "header_row_as_data", 2, None, "warning"),
    ("header_dropped", "header_row_as_data", 3, None, "warning"),
    ("duplicate_text", "duplicate_text", 3, "outcome", "warning"),
    ("placeholder", "placeholder_text", 2, "result", "warning"),
    ("unsigned", "placeholder_text", None, "reporter", "warning"),
    ("garbled_am", "garbled_text", 2, "result", "warning"),
    ("garbled_am_light", "garbled_text", 2, "result", "warning"),
    ("garbled_tone_light", "garbled_text", 2, "result", "warning"),
    ("garbled_pua", "garbled_text", 3, "steps", "warning"),
    ("garbled_fffd", "garbled_text", 1, "result", "warning"),
    ("garbled_doc", "garbled_text", None, None, "error"),
    ("khmer", "foreign_script", 2, "result", "warning"),
    ("cjk_doc", "foreign_script", None, None, "error"),
]

# Checks a stage decides itself (``decided_by`` in the suites): they fire in that stage's
# tests (collect's registration: tests/test_warehouse.py, "decided at registration").
DECIDED_BY_STAGE = {"duplicate_submission": "collect"}


@pytest.mark.parametrize(
    "case,check,seq,field,severity", FIRES, ids=[f"{c[0]}-{c[1]}" for c in FIRES]
)
def test_check_fires(run, case, check, seq, field, severity):
    hits = found(run[case], check, seq, field)
    assert hits, (
        f"{check} not found in {case}: {[(f.check, f.measure_seq, f.field) for f in run[case].findings]}"
    )
    assert hits[0].severity == severity
    if seq is None:
        assert hits[0].measure_seq is None


def test_every_catalogue_check_has_a_firing_case():
    assert {c[1] for c in FIRES} | set(DECIDED_BY_STAGE) == CATALOGUE


def test_a_rule_a_stage_decides_is_not_validated_by_great_expectations(settings):
    """``duplicate_submission`` is decided when the bytes are registered: the suite
    keeps its id, severity and wording for that stage and validates no column for it."""
    loaded = load_suites(
        settings.expectations_dir,
        required=settings.required_fields,
        recommended=settings.recommended_fields,
    )
    decided = {m["check_id"]: m["decided_by"] for s in loaded for m in s.decided}
    assert decided == DECIDED_BY_STAGE
    validated = {e["meta"]["check_id"] for s in loaded for e in s.to_gx_dict()["expectations"]}
    assert not validated & set(decided)


@pytest.mark.parametrize(
    "case,quiet",
    [
        ("clean", CATALOGUE),  # อบต. abbreviation, the province's อบจ., a same-named neighbour
        ("column_shift", {"period_unparseable", "missing_field"}),  # the shift explains the period
        ("duplicate_text", {"duplicate_text@1"}),  # the copy is the later measure
        ("lao_quoted", {"foreign_script"}),  # Lao quoted on purpose
        ("period_wrapped", CATALOGUE),  # a space that wrapping left inside a month name
        ("h1_past_march", {"round_inconsistent@1", "round_inconsistent@3"}),
        ("unreadable", CATALOGUE - {"unreadable_file"}),
        ("foreign_agency", {"agency_name_inconsistent"}),
    ],
)
def test_check_stays_quiet(run, case, quiet):
    for item in quiet:
        check, _, seq = item.partition("@")
        assert not found(run[case], check, int(seq) if seq else None), (
            case,
            item,
            run[case].findings,
        )


def test_each_failure_maps_to_its_own_submission_and_measure(run):
    """One batch, many records: nothing leaks from one record to another."""
    assert checks(run["foreign_agency"]) == {"foreign_agency_mentioned"}
    assert checks(run["khmer"]) == {"foreign_script"}
    assert [(f.check, f.measure_seq) for f in run["placeholder"].findings] == [
        ("placeholder_text", 2)
    ]


def test_reader_problems_are_kept_and_not_repeated(run):
    rec = run["unreadable"]
    assert [f.message for f in rec.findings] == ["ไฟล์เข้ารหัสไว้ / the file is encrypted"]
    assert rec.verdict == "rejected"


def test_a_rule_failing_on_every_measure_is_one_submission_finding(run):
    hits = found(run["no_outcome_column"], "missing_field")
    assert len(hits) == 1 and hits[0].measure_seq is None and hits[0].field == "outcome"
    assert hits[0].message.startswith("ทุกมาตรการ (3 มาตรการ)")
    assert run["no_outcome_column"].verdict == "accepted_with_warnings"


def test_messages_are_thai_first_and_specific(run):
    msg = found(run["placeholder"], "placeholder_text", 2)[0].message
    th, en = msg.split(" / ", 1)
    assert th.startswith("มาตรการที่ 2:") and "ผลการดำเนินการ" in th and "เมื่อวันที่ เดือน มีนาคม" in th
    assert en.startswith("measure 2:") and "result" in en
    dup = found(run["duplicate_text"], "duplicate_text", 3)[0].message
    assert "มาตรการที่ 1" in dup and "100%" in dup
    shift = found(run["column_shift"], "column_shift", 2)[0].message
    assert "ตุลาคม ๒๕๖๗ - กันยายน ๒๕๖๘" in shift
    unknown = found(run["agency_unknown"], "agency_unknown")[0].message
    assert "โรงพยาบาลน้ำยืน" in unknown


def test_severity_drives_the_verdict(run):
    assert run["missing"].verdict == "rejected"  # a required field is empty
    assert run["placeholder"].verdict == "accepted_with_warnings"
    assert run["clean"].verdict == "accepted"


def test_verdict_of():
    w, e = Finding("x", "warning", "w"), Finding("y", "error", "e")
    assert verdict_of([]) == "accepted"
    assert verdict_of([w]) == "accepted_with_warnings"
    assert verdict_of([w, e]) == "rejected"


def test_required_and_recommended_fields_are_configuration(settings):
    strict = settings.with_(required_fields=("measure", "outcome"), recommended_fields=("steps",))
    rec = variant(lambda r: [_set(r.measures[0], outcome=""), _set(r.measures[1], steps="")])
    out = judge_records([rec], strict).records[0]
    assert found(out, "missing_field", 1, "outcome")[0].severity == "error"
    assert found(out, "missing_field", 2, "steps")[0].severity == "warning"
    assert out.verdict == "rejected"


def test_a_misspelt_configured_field_fails_loudly(settings):
    with pytest.raises(SuiteError, match="'outcom', which is not a measure field"):
        load_suites(
            settings.expectations_dir,
            required=settings.required_fields,
            recommended=("outcom",),
        )


def test_a_data_engineer_adds_a_check_in_json(settings, tmp_path):
    """README "Adding a check": copy the suites, add one expectation on an existing
    column, point the settings at the copy; the new finding appears, with no Python."""
    folder = tmp_path / "expectations"
    shutil.copytree(settings.expectations_dir, folder)
    path = folder / "measures.json"
    suite = json.loads(path.read_text(encoding="utf-8"))
    suite["expectations"].append(
        {
            "type": "expect_column_value_lengths_to_be_between",
            "kwargs": {"column": "result", "min_value": 30},
            "meta": {
                "check_id": "result_too_short",
                "severity": "warning",
                "field": "result",
                "message_th": "ผลการดำเนินการสั้นเกินไป: “{result}” ควรบอกว่าทำอะไร เมื่อไร",
                "message_en": "the result is too short to say what was done: “{result}”",
            },
        }
    )
    path.write_text(json.dumps(suite, ensure_ascii=False, indent=2), encoding="utf-8")
    custom = settings.with_(expectations_dir=folder, reports_out=tmp_path / "out")
    rec = variant(lambda r: _set(r.measures[1], result="ทำแล้ว <b>ครบ</b>"))
    result = judge_records([clean(), rec], custom, data_docs=True)
    before, after = result.records
    assert before.findings == []
    hit = found(after, "result_too_short", 2, "result")
    assert hit and hit[0].message.startswith("มาตรการที่ 2: ผลการดำเนินการสั้นเกินไป: “ทำแล้ว <b>ครบ</b>”")
    assert after.verdict == "accepted_with_warnings"
    # Data Docs of the run: built, and the submission's text is escaped there.
    assert result.data_docs and result.data_docs.is_file()
    pages = "".join(p.read_text(encoding="utf-8") for p in result.data_docs.parent.rglob("*.html"))
    assert "&lt;b&gt;ครบ&lt;/b&gt;" in pages  # the failing value is shown, as text
    assert "<b>ครบ</b>" not in pages


def test_a_broken_suite_fails_loudly(settings, tmp_path):
    folder = tmp_path / "bad"
    shutil.copytree(settings.expectations_dir, folder)
    path = folder / "submissions.json"
    suite = json.loads(path.read_text(encoding="utf-8"))
    del suite["expectations"][0]["meta"]["severity"]
    path.write_text(json.dumps(suite, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(SuiteError, match="submissions.json, expectation 1: meta lacks severity"):
        load_suites(
            folder,
            required=settings.required_fields,
            recommended=settings.recommended_fields,
        )
    suite["expectations"][0]["meta"]["severity"] = "error"
    suite["expectations"][0]["kwargs"]["column"] = "readabel"
    path.write_text(json.dumps(suite, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(SuiteError, match="readabel"):
        judge_records([clean()], settings.with_(expectations_dir=folder))


# --- the samples, end to end -----------------------------------------------------------

EXPECTED = sorted((FIXTURES / "expected").glob("*.json"))


@pytest.fixture(scope="module")
def samples(settings) -> tuple[CheckRun, dict[str, SubmissionRecord]]:
    extract = pytest.importorskip(
        "itaflow.extract", reason="extraction (itaflow.extract) not written yet"
    )
    read = pytest.importorskip("itaflow.read", reason="readers (itaflow.read) not written yet")
    records = []
    for exp in EXPECTED:
        path = FIXTURES / json.loads(exp.read_text(encoding="utf-8"))["file"]
        doc = read.read_path(path, settings.limits)
        records.append(
            extract.extract(doc, file=str(path), sha256=exp.stem, size=path.stat().st_size)
        )
    result = judge_records(records, settings, data_docs=True)
    return result, {exp.stem: rec for exp, rec in zip(EXPECTED, result.records, strict=True)}


@pytest.mark.parametrize("expected", EXPECTED, ids=[p.stem for p in EXPECTED])
def test_samples_find_what_they_must(samples, expected):
    want = json.loads(expected.read_text(encoding="utf-8"))
    rec = samples[1][expected.stem]
    for item in want.get("must_find", []):
        assert found(rec, item["check"], item.get("measure_seq"), item.get("field")), (
            item,
            rec.findings,
        )
    for check in want.get("must_not_find", []):
        assert not found(rec, check), (check, found(rec, check))
    if "verdict" in want:
        assert rec.verdict == want["verdict"]
    if "verdict_not" in want:
        assert rec.verdict != want["verdict_not"]


def test_no_false_errors_on_the_clean_seeds(samples):
    for name, rec in samples[1].items():
        if not name.startswith("real_"):
            assert [f for f in rec.findings if f.severity == "error"] == [], name


def test_data_docs_are_built_for_the_run(samples, settings):
    index = samples[0].data_docs
    assert index == settings.reports_out / "data_docs" / samples[0].batch_name / "index.html"
    assert index.is_file() and list(index.parent.glob("validations/**/*.html"))
