"""The ``itaflow`` command: one sub-command per pipeline function.

Heavy modules are imported inside each command so ``itaflow --help`` is instant.
Exit codes: 0 done (a rejected file is a verdict, not an error), 1 the job
failed, 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from itaflow import settings as settings_mod

VERDICT_TH = {
    "accepted": "ผ่าน",
    "accepted_with_warnings": "ผ่านแบบมีข้อสังเกต",
    "rejected": "ต้องแก้ไข",
    None: "-",
}


def _cmd_inspect(args: argparse.Namespace) -> int:
    from itaflow.process import inspect_paths

    records = inspect_paths(args.paths, settings_mod.load())
    for record in records:
        if args.json:
            print(json.dumps(record.to_json(), ensure_ascii=False), flush=True)
            continue
        agency = record.agency
        print(f"{record.file}: {VERDICT_TH[record.verdict]} ({record.verdict})")
        print(
            f"  หน่วยงาน: {agency.name or '-'} [{agency.lao_code or '?'}] "
            f"อ.{agency.district or '-'} จ.{agency.province or '-'} (score {agency.match_score:.2f})"
        )
        print(f"  ปีงบประมาณ: {record.fiscal_year or '-'}  รอบ: {record.round or '-'}")
        print(f"  มาตรการ: {len(record.measures)} รายการ")
        for f in record.findings:
            where = f" มาตรการที่ {f.measure_seq}" if f.measure_seq else ""
            print(f"  - [{f.severity}] {f.check}{where}: {f.message}")
    return 0


def _cmd_db_upgrade(args: argparse.Namespace) -> int:
    from itaflow.warehouse import upgrade

    url = args.url or settings_mod.load().warehouse_url
    upgrade(url)
    print(f"warehouse at head: {url}")
    return 0


def _cmd_synth(args: argparse.Namespace) -> int:
    from pathlib import Path

    from itaflow.synth import province_inbox

    manifest = province_inbox(
        args.province, args.fiscal_year, args.round, Path(args.out), seed=args.seed
    )
    print(json.dumps(manifest, ensure_ascii=False, indent=1, default=str)[:2000])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="itaflow",
        description="รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส: collect, read, check, report.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("inspect", help="read + extract + check files, no warehouse")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--json", action="store_true", help="one JSON object per file (JSON Lines)")
    p.set_defaults(func=_cmd_inspect)

    db = sub.add_parser("db", help="warehouse schema")
    dbsub = db.add_subparsers(dest="db_command", required=True)
    up = dbsub.add_parser("upgrade", help="apply migrations (Alembic) up to head")
    up.add_argument("--url", help="warehouse URL (default: ITAFLOW_WAREHOUSE_URL)")
    up.set_defaults(func=_cmd_db_upgrade)

    s = sub.add_parser("synth", help="write a synthetic province inbox (demo, benchmarks)")
    s.add_argument("--province", default="นครราชสีมา")
    s.add_argument("--fiscal-year", type=int, default=2568)
    s.add_argument("--round", choices=["H1", "FY"], default="FY")
    s.add_argument("--out", required=True)
    s.add_argument("--seed", type=int, default=7)
    s.set_defaults(func=_cmd_synth)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
