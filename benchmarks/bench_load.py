"""How long a national round takes to load: 7,849 LAOs × 20 measures ≈ 157,000 rows.

    uv run python benchmarks/bench_load.py                 # PostgreSQL and SQLite
    uv run python benchmarks/bench_load.py --engine postgresql --batch-size 50

PostgreSQL: ``ITAFLOW_TEST_PG_URL`` or the local server, in a throw-away schema.
SQLite: a file in a temporary folder. Each engine gets a fresh migrated warehouse;
the script registers every file (as collect does), loads the judged records in
batches (as the validate DAG does: ``--batch-size`` files per transaction, 0 = one
batch), reloads the first batch to time an idempotent rerun, and prints the figures.
The target (issue 5): under 30 s for the load on PostgreSQL.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

from itaflow import registry
from itaflow.models import Agency, Finding, Measure, Reporter, SubmissionRecord
from itaflow.warehouse import register_received, store_judged, upgrade
from itaflow.warehouse.db import engine_for
from itaflow.warehouse.schema import measures

PG_URL = os.environ.get("ITAFLOW_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TARGET_SECONDS = 30.0

MEASURE = "มาตรการส่งเสริมการปฏิบัติงานตามประมวลจริยธรรมของพนักงานส่วนท้องถิ่น ข้อ {i}"
STEPS = (
    "๑. จัดประชุมชี้แจงแนวทางการปฏิบัติงานแก่บุคลากรทุกกอง ๒. เผยแพร่ประกาศเจตนารมณ์"
    "ทางเว็บไซต์ขององค์กร ๓. ติดตามและรายงานผลต่อผู้บริหารทุกไตรมาส"
)
RESULT = (
    "ดำเนินการจัดประชุมแล้ว จำนวน 2 ครั้ง มีผู้เข้าร่วม 45 คน และเผยแพร่ประกาศทางเว็บไซต์"
    "เมื่อวันที่ 15 ธันวาคม 2566 พร้อมจัดทำรายงานสรุปผลเสนอนายกองค์การบริหารส่วนตำบล"
)
RESULT_AS_WRITTEN = RESULT.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
OUTCOME = "บุคลากรมีความรู้ความเข้าใจเรื่องการป้องกันผลประโยชน์ทับซ้อนเพิ่มขึ้น ร้อยละ 80"


def build(n_laos: int, n_measures: int) -> tuple[list[dict], list[SubmissionRecord]]:
    """Received files and their judged records, one per LAO of the registry."""
    files, records = [], []
    start = datetime(2024, 4, 1, 8, 0)
    for i, code in enumerate(list(registry.load())[:n_laos]):
        sha = hashlib.sha256(f"bench {code}".encode()).hexdigest()
        files.append(
            {
                "sha256": sha,
                "size": 40_000,
                "original_name": f"รายงาน {code}.docx",
                "inbox_path": f"{code}/รายงาน.docx",
                "stored_path": f"/store/{sha[:2]}/{sha}.bin",
                "received_at": (start + timedelta(minutes=i)).isoformat(),
            }
        )
        ms = [
            Measure(
                seq=j + 1,
                category=("IIT", "EIT", "OIT")[j % 3],
                indicator=f"O{j + 1}",
                measure=MEASURE.format(i=j + 1),
                steps=STEPS,
                responsible=["สำนักปลัด", "กองคลัง", "กองช่าง"],
                period_text="๑ ต.ค. ๒๕๖๖ - ๓๑ มี.ค. ๒๕๖๗",
                period_start=date(2023, 10, 1),
                period_end=date(2024, 3, 31),
                result=RESULT,
                outcome=OUTCOME,
                status="done",
                # As the extractor keeps them: every original cell; the result was
                # written with Thai digits, the rest survived normalisation unchanged.
                raw={
                    "measure": MEASURE.format(i=j + 1),
                    "steps": STEPS,
                    "responsible": "สำนักปลัด/กองคลัง/กองช่าง",
                    "period": "๑ ต.ค. ๒๕๖๖ - ๓๑ มี.ค. ๒๕๖๗",
                    "result": RESULT_AS_WRITTEN,
                    "outcome": OUTCOME,
                },
            )
            for j in range(n_measures)
        ]
        found = [Finding("missing_field", "warning", "ไม่มีผลลัพธ์ / no outcome", 3, "outcome")]
        records.append(
            SubmissionRecord(
                file=files[-1]["original_name"],
                sha256=sha,
                format="docx",
                agency=Agency(lao_code=code, name="x", match_score=0.95),
                fiscal_year=2567,
                round="H1",
                reporter=Reporter(name="นายทดสอบ ระบบ", position="ปลัด"),
                measures=ms,
                findings=found if i % 4 == 0 else [],
                verdict="accepted_with_warnings" if i % 4 == 0 else "accepted",
                size=40_000,
            )
        )
    return files, records


def run(url: str, files: list[dict], records: list[SubmissionRecord], batch_size: int) -> dict:
    t0 = time.perf_counter()
    upgrade(url)
    t1 = time.perf_counter()
    register_received(url, files, "bench-collect")
    t2 = time.perf_counter()
    size = batch_size or len(records)
    batches = [records[i : i + size] for i in range(0, len(records), size)]
    phases: dict[str, float] = {}
    for batch in batches:
        for name, seconds in store_judged(url, batch, "bench-load")["seconds"].items():
            phases[name] = phases.get(name, 0.0) + seconds
    t3 = time.perf_counter()
    store_judged(url, batches[0], "bench-load")  # idempotent rerun of one batch
    t4 = time.perf_counter()
    with engine_for(url).connect() as conn:
        rows = conn.execute(select(func.count()).select_from(measures)).scalar_one()
    return {
        "migrate+registry": t1 - t0,
        "register": t2 - t1,
        "load": t3 - t2,
        "rerun_batch": t4 - t3,
        "batches": len(batches),
        "rows": rows,
        "phases": phases,
    }


def report(engine: str, figures: dict) -> bool:
    rate = figures["rows"] / figures["load"] if figures["load"] else 0
    ok = engine != "postgresql" or figures["load"] < TARGET_SECONDS
    print(
        f"{engine:>10}: {figures['rows']:,} measure rows in {figures['batches']} batch(es): "
        f"load {figures['load']:.1f} s ({rate:,.0f} rows/s), register {figures['register']:.1f} s, "
        f"migrate+registry {figures['migrate+registry']:.1f} s, rerun of one batch "
        f"{figures['rerun_batch']:.2f} s"
        + (
            ""
            if engine != "postgresql"
            else f"  [target < {TARGET_SECONDS:.0f} s: {'OK' if ok else 'MISSED'}]"
        ),
        flush=True,
    )
    print(
        "            load phases (s): "
        + ", ".join(f"{k} {v:.1f}" for k, v in figures["phases"].items())
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=["postgresql", "sqlite", "both"], default="both")
    parser.add_argument("--laos", type=int, default=7849)
    parser.add_argument("--measures", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=0, help="files per transaction (0 = all)")
    args = parser.parse_args()

    files, records = build(args.laos, args.measures)
    ok = True
    if args.engine in ("postgresql", "both"):
        schema = f"itaflow_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            sep = "&" if "?" in PG_URL else "?"
            ok &= report(
                "postgresql",
                run(
                    f"{PG_URL}{sep}options=-csearch_path%3D{schema}",
                    files,
                    records,
                    args.batch_size,
                ),
            )
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    if args.engine in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            report(
                "sqlite",
                run(f"sqlite:///{Path(tmp) / 'bench.db'}", files, records, args.batch_size),
            )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
