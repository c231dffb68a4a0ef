"""A realistic ReportData for นครราชสีมา, with hostile text, to preview and test the report.

Used by the tests and to preview a template change without running the pipeline:
``uv run python -m itaflow.compile.sample reports/out/preview`` writes HTML, PDF and XLSX.
The hostile strings (``<script>``, ``=HYPERLINK``, Typst markup, CR/LF with mail
headers) are deliberate: the report must show them as plain text.

Over 400 lines on purpose: it is hand-written test data (one province's round with
its edge cases), not logic.
"""

from __future__ import annotations

import csv
import random
import sys
from datetime import date
from pathlib import Path

from itaflow.models import Finding, LaoRoundStatus, ReportData

REGISTRY = Path(__file__).resolve().parents[1] / "data" / "lao_registry.csv"
FULL_TYPE = {
    "อบต.": "องค์การบริหารส่วนตำบล",
    "อบจ.": "องค์การบริหารส่วนจังหวัด",
    "เทศบาลตำบล": "เทศบาลตำบล",
    "เทศบาลเมือง": "เทศบาลเมือง",
    "เทศบาลนคร": "เทศบาลนคร",
}
HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_FORMULA = '=HYPERLINK("http://x","y")'
HOSTILE_TYPST = '#set page(fill: red) #panic("x") $x^2$ *bold* <lbl> @ref'
HOSTILE_HEADER = "\r\nBcc: victim@example.com\r\nSubject: hacked"


def registry_laos(province: str = "นครราชสีมา") -> list[dict[str, str]]:
    with REGISTRY.open(encoding="utf-8") as f:
        return [row for row in csv.DictReader(f) if row["province_th"] == province]


def _status(row: dict[str, str], **kw: object) -> LaoRoundStatus:
    return LaoRoundStatus(
        lao_code=row["lao_code"],
        name_th=FULL_TYPE[row["type_th"]] + row["name_th"],
        type_th=row["type_th"],
        district=row["district_th"],
        province=row["province_th"],
        **kw,
    )


def _hand_made(by_code: dict[str, dict[str, str]]) -> list[LaoRoundStatus]:
    """A dozen LAOs in every state, with the findings an officer would see."""
    ok = {"state": "accepted", "on_time": True, "version": 1, "measure_count": 12}
    return [
        _status(
            by_code["6301205"],
            state="accepted",
            on_time=True,
            version=1,
            received_at="2026-04-20T09:15:00",
            original_name="รายงาน ITA อบต.ด่านช้าง.pdf",
            measure_count=14,
            status_counts={"done": 12, "in_progress": 2},
        ),
        _status(
            by_code["6301203"],
            state="accepted_with_warnings",
            on_time=False,
            version=1,
            received_at="2026-05-03T16:40:00",
            original_name="ขุนทอง_รอบ6เดือน.docx",
            measure_count=9,
            warnings=1,
            findings=[
                Finding(
                    "missing_field",
                    "warning",
                    "ไม่ได้ระบุผลลัพธ์ของมาตรการ โปรดชี้แจงเพิ่มเติม / outcome is empty",
                    measure_seq=4,
                    field="outcome",
                )
            ],
        ),
        _status(
            by_code["6301204"],
            state="rejected",
            on_time=True,
            version=2,
            received_at="2026-04-28T10:00:00",
            original_name=HOSTILE_FORMULA + ".xlsx",
            measure_count=7,
            errors=2,
            warnings=1,
            findings=[
                Finding(
                    "missing_field",
                    "error",
                    "ไม่พบผลการดำเนินการของมาตรการที่ 3 โปรดกรอกผลการดำเนินการ / result is empty",
                    measure_seq=3,
                    field="result",
                ),
                Finding(
                    "period_outside_fiscal_year",
                    "error",
                    "ระยะเวลาดำเนินการ ต.ค. 2566 อยู่นอกปีงบประมาณ 2569 / period outside FY",
                    measure_seq=5,
                    field="period",
                ),
                Finding("placeholder_text", "warning", HOSTILE_FORMULA + " (ลงชื่อ)......"),
            ],
        ),
        _status(by_code["6301209"], state="missing"),
        _status(by_code["4301201"], **ok, received_at="2026-04-15T08:00:00"),
        _status(
            by_code["5301211"],
            state="quarantined",
            on_time=True,
            version=1,
            received_at="2026-04-29T23:59:00",
            original_name="report.pdf",
            findings=[
                Finding(
                    "unreadable_file",
                    "error",
                    "เปิดไฟล์ไม่ได้ (ไฟล์เสียหรือมีรหัสผ่าน) โปรดส่งไฟล์ใหม่ / corrupt or encrypted",
                )
            ],
        ),
        _status(by_code["3300102"], **ok, received_at="2026-04-01T13:30:00"),
        _status(
            by_code["5300110"],
            state="accepted_with_warnings",
            on_time=True,
            version=1,
            received_at="2026-04-22T11:11:00",
            measure_count=10,
            warnings=2,
            findings=[
                Finding(
                    "duplicate_text",
                    "warning",
                    "ผลการดำเนินการซ้ำกับมาตรการที่ 2 เกือบทั้งหมด / near-duplicate result",
                    measure_seq=6,
                    field="result",
                ),
                Finding(
                    "garbled_text",
                    "warning",
                    "พบข้อความผิดเพี้ยน สระและวรรณยุกต์อยู่ผิดตำแหน่ง / broken Thai vowels",
                ),
            ],
        ),
        _status(by_code["5300106"], state="missing"),
        _status(by_code["2300101"], **ok, received_at="2026-04-10T09:00:00"),
        _status(
            by_code["4301402"],
            state="rejected",
            on_time=False,
            version=1,
            received_at="2026-05-10T10:20:00",
            original_name=HOSTILE_SCRIPT + ".html",
            measure_count=0,
            errors=1,
            findings=[
                Finding(
                    "no_measures_found",
                    "error",
                    f"ไม่พบตารางมาตรการ {HOSTILE_SCRIPT} / no measure table found",
                )
            ],
        ),
        _status(by_code["4302101"], state="missing"),
    ]


def _hostile(rows: list[LaoRoundStatus]) -> None:
    """Put attack strings where a careless renderer would execute them."""
    rows[3].name_th = f"องค์การบริหารส่วนตำบลกุดจอก {HOSTILE_SCRIPT}"
    rows[8].name_th = f"เทศบาลตำบลโคกกรวด {HOSTILE_TYPST}"
    rows[11].name_th = f"เทศบาลเมืองปากช่อง\n{HOSTILE_FORMULA}"
    rows[5].name_th += HOSTILE_HEADER
    rows[0].original_name = "รายงาน" + HOSTILE_HEADER + ".pdf"


def sample_report_data(*, full_province: bool = False, hostile: bool = True) -> ReportData:
    """นครราชสีมา, FY 2569 round H1; ``full_province`` adds every other LAO of the
    province from the registry (about 330) with deterministic random states."""
    rows = registry_laos()
    by_code = {r["lao_code"]: r for r in rows}
    laos = _hand_made(by_code)
    if hostile:
        _hostile(laos)
    if full_province:
        rng = random.Random(2569)
        taken = {lao.lao_code for lao in laos}
        for row in rows:
            if row["lao_code"] in taken:
                continue
            state = rng.choices(
                ["accepted", "accepted_with_warnings", "rejected", "missing"], [6, 2, 1, 2]
            )[0]
            received = state != "missing"
            laos.append(
                _status(
                    row,
                    state=state,
                    on_time=(rng.random() < 0.8) if received else None,
                    version=1 if received else 0,
                    measure_count=rng.randint(8, 20) if received else 0,
                    received_at=f"2026-04-{rng.randint(1, 30):02d}T10:00:00" if received else None,
                    errors=1 if state == "rejected" else 0,
                    findings=[
                        Finding(
                            "missing_field",
                            "error",
                            "ไม่พบขั้นตอนการดำเนินการ / steps are empty",
                            1,
                            "steps",
                        )
                    ]
                    if state == "rejected"
                    else [],
                )
            )
    measures = _give_measures(laos, 2569, "H1", seed=2569)
    _debris(laos)
    checks: dict[str, int] = {}
    for lao in laos:
        for f in lao.findings:
            checks[f.check] = checks.get(f.check, 0) + 1
    checks["agency_unknown"] = 2
    previous = _previous_round(laos)
    data = ReportData(
        fiscal_year=2569,
        round="H1",
        province="นครราชสีมา",
        period_start=date(2025, 10, 1),
        period_end=date(2026, 3, 31),
        due_date=date(2026, 4, 30),
        generated_at="2026-05-15T08:30:00",
        laos=laos,
        category_counts={"IIT": 41, "EIT": 37, "OIT": 52, None: 3},
        check_counts=checks,
        data_docs=[
            "/var/itaflow/data_docs/local_site/index.html",
            "https://docs.example.go.th/ita/2569/H1/index.html",
            "javascript:alert(1)",
        ],
        unmatched_files=[
            {
                "original_name": "รายงานผลการดำเนินการ (ไม่ระบุหน่วยงาน).pdf",
                "received_at": "2026-04-25T14:00:00",
                "agency_name": "อบต.หนองสนวน",
                "stated_district": "บ้านกรวด",
                "stated_province": "นครราชสีมา",
                "sha256": "ab" * 32,
                "state": "rejected",
                "reason": "ไม่พบชื่อหน่วยงานในทะเบียน อปท. / agency not in registry",
            },
            {
                "original_name": HOSTILE_SCRIPT + HOSTILE_FORMULA,
                "received_at": "not a date",
                "sha256": "cd" * 32,
                "verdict": "rejected",
                "message": HOSTILE_TYPST,
            },
        ],
        measures=measures,
        previous=[previous],
        trend=[
            _trend_row(previous),
            {
                "fiscal_year": 2569,
                "round": "H1",
                "expected": len(laos),
                "received": sum(1 for x in laos if x.state != "missing"),
                "on_time": sum(1 for x in laos if x.on_time),
            },
        ],
        finding_history=[
            {"lao_code": lao.lao_code, "fiscal_year": fy, "round": "H1", "check": f.check}
            for fy, group in ((2568, previous.laos), (2569, laos))
            for lao in group
            for f in lao.findings
        ],
        office_name="สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดนครราชสีมา",
        officer_name="นางสาวสมใจ ตั้งใจงาน",
        officer_position="นักวิเคราะห์นโยบายและแผนชำนาญการ",
    )
    return data


# A reader's debris and a doubled measure prefix, as seen in real extracted reports.
DEBRIS_MESSAGE = (
    "มาตรการที่ 20: มาตรการที่ 20: ผลการดำเนินการ(cid:0) ว่าง\ufffd / measure 20: result empty"
)


def _debris(laos: list[LaoRoundStatus]) -> None:
    laos[1].findings.append(Finding("missing_field", "warning", DEBRIS_MESSAGE, 20, "result"))
    laos[1].warnings += 1


def _give_measures(
    laos: list[LaoRoundStatus], fiscal_year: int, round_: str, seed: int
) -> list[dict[str, object]]:
    """Synthetic measures (itaflow.synth) for every LAO that sent something, as the
    warehouse gives them; sets each LAO's submission id and measure counts."""
    from itaflow.registry import load as load_registry
    from itaflow.synth.records import make_record

    registry = load_registry()
    rng = random.Random(seed)
    # A pool of reports reused round-robin: a province's worth of make_record is slow.
    pool = [make_record(registry[lao.lao_code], fiscal_year, round_, rng) for lao in laos[:24]]
    measures: list[dict[str, object]] = []
    for n, lao in enumerate(laos, 1):
        lao.submission_id = None
        if lao.state == "missing":
            continue
        lao.submission_id = seed * 1000 + n
        record = pool[n % len(pool)]
        rows = [
            {
                "submission_id": lao.submission_id,
                "position": i,
                **{k: getattr(m, k) for k in ("seq", "category", "indicator", "measure", "steps")},
                **{k: getattr(m, k) for k in ("responsible", "period_text", "period_start")},
                **{k: getattr(m, k) for k in ("period_end", "result", "outcome", "status")},
            }
            for i, m in enumerate(record.measures, 1)
        ]
        lao.measure_count = len(rows)
        lao.status_counts = {}
        for r in rows:
            lao.status_counts[r["status"]] = lao.status_counts.get(r["status"], 0) + 1
        measures.extend(rows)
    return measures


def _previous_round(laos: list[LaoRoundStatus]) -> ReportData:
    """The same LAOs a year earlier, with other states, so the comparison has movers."""
    rng = random.Random(2568)
    before = []
    for lao in laos:
        state = rng.choices(
            ["accepted", "accepted_with_warnings", "rejected", "missing"], [5, 2, 1, 2]
        )[0]
        received = state != "missing"
        before.append(
            LaoRoundStatus(
                lao_code=lao.lao_code,
                name_th=lao.name_th,
                type_th=lao.type_th,
                district=lao.district,
                province=lao.province,
                state=state,
                on_time=(rng.random() < 0.7) if received else None,
                version=1 if received else 0,
                findings=[Finding("missing_field", "error", "ไม่พบขั้นตอน / no steps", 1, "steps")]
                if state == "rejected" or lao.lao_code == "6301204"
                else [],
            )
        )
    measures = _give_measures(before, 2568, "H1", seed=2568)
    data = ReportData(
        fiscal_year=2568,
        round="H1",
        province="นครราชสีมา",
        period_start=date(2024, 10, 1),
        period_end=date(2025, 3, 31),
        due_date=date(2025, 4, 30),
        generated_at="2025-05-15T08:30:00",
        laos=before,
        measures=measures,
    )
    return data


def _trend_row(data: ReportData) -> dict[str, object]:
    return {
        "fiscal_year": data.fiscal_year,
        "round": data.round,
        "expected": data.expected,
        "received": data.received,
        "on_time": data.on_time,
    }


if __name__ == "__main__":
    from itaflow.compile import compile_report

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "reports/out/preview")
    for fmt, path in compile_report(sample_report_data(full_province=True), out).items():
        print(fmt, path)


# --- a synthetic province in a real warehouse (tests and benchmarks/bench_compile.py) ---

TROUBLED_SHARE = 0.12  # LAOs whose reports keep failing the same check, round after round


def load_sample_rounds(
    url: str,
    province: str,
    rounds: list[tuple[int, str]],
    *,
    seed: int = 13,
    make_record_pool: int = 0,
) -> dict[tuple[int, str], dict[str, int]]:
    """Load synthetic reports (``itaflow.synth``) of every LAO of ``province`` for each
    round into a migrated warehouse at ``url``; returns what was loaded per round.

    Per round: about 15 % of LAOs send nothing, 20 % send after the due date, a fixed
    set of "troubled" LAOs is rejected for the same check in every round (a recurring
    problem), others get a warning. ``make_record_pool`` > 0 reuses that many
    generated reports round-robin (a large province is slow to generate).
    """
    import hashlib
    from datetime import datetime, time, timedelta

    from itaflow import periods
    from itaflow.models import Agency
    from itaflow.settings import load as load_settings
    from itaflow.synth.records import copy_record, full_name, make_record, province_rows
    from itaflow.warehouse import register_received, store_judged

    settings = load_settings()
    rows = province_rows(province)
    troubled = {
        r.lao_code
        for r in rows
        if int(hashlib.sha256(f"{seed}{r.lao_code}".encode()).hexdigest(), 16) % 100
        < 100 * TROUBLED_SHARE
    }
    loaded: dict[tuple[int, str], dict[str, int]] = {}
    for fiscal_year, round_ in rounds:
        rng = random.Random(f"{seed}-{fiscal_year}-{round_}")
        due = periods.due_date(fiscal_year, round_, settings)
        pool: list = []
        files, records = [], []
        counts = {"sent": 0, "late": 0, "rejected": 0, "warned": 0}
        for n, row in enumerate(rows):
            if row.lao_code not in troubled and rng.random() < 0.15:
                continue
            if make_record_pool and len(pool) >= make_record_pool:
                record = copy_record(pool[n % make_record_pool])
                record.agency = Agency(
                    lao_code=row.lao_code,
                    name=full_name(row),
                    type_th=row.type_th,
                    district=row.district_th,
                    province=row.province_th,
                    match_score=1.0,
                )
            else:
                record = make_record(row, fiscal_year, round_, rng)
                pool.append(record)
            late = rng.random() < 0.2
            when = datetime.combine(
                due + timedelta(days=rng.randint(1, 20) if late else -rng.randint(0, 25)),
                time(9 + n % 8, n % 60),
            )
            sha = hashlib.sha256(f"{seed}|{row.lao_code}|{fiscal_year}|{round_}".encode())
            record.sha256 = sha.hexdigest()
            record.file = f"รายงาน ITA {row.name_th} {fiscal_year} {round_}.docx"
            record.format = "docx"
            record.size = 40_000
            if row.lao_code in troubled:
                record.findings = [
                    Finding(
                        "missing_field",
                        "error",
                        "มาตรการที่ 1: ไม่พบผลการดำเนินการ โปรดกรอกผลการดำเนินการ"
                        " / measure 1: result is empty",
                        1,
                        "result",
                    )
                ]
                record.verdict = "rejected"
                counts["rejected"] += 1
            elif rng.random() < 0.25:
                record.findings = [
                    Finding(
                        "missing_field",
                        "warning",
                        "ไม่ได้ระบุผลลัพธ์ของมาตรการ(cid:3) / outcome is empty",
                        len(record.measures),
                        "outcome",
                    )
                ]
                record.verdict = "accepted_with_warnings"
                counts["warned"] += 1
            else:
                record.verdict = "accepted"
            counts["sent"] += 1
            counts["late"] += int(late)
            files.append(
                {
                    "sha256": record.sha256,
                    "size": record.size,
                    "original_name": record.file,
                    "inbox_path": f"{fiscal_year}-{round_}/{row.lao_code}.docx",
                    "stored_path": f"/store/{record.sha256}.bin",
                    "received_at": when.isoformat(),
                }
            )
            records.append(record)
        run = f"sample-{fiscal_year}-{round_}"
        register_received(url, files, run)
        for start in range(0, len(records), 100):
            store_judged(url, records[start : start + 100], run)
        loaded[(fiscal_year, round_)] = counts
    return loaded
