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
    import random
    from pathlib import Path

    from itaflow.synth.province import province_inbox

    if args.all or args.provinces is not None:
        return _synth_national(args)
    manifest = province_inbox(
        args.province,
        args.fiscal_year,
        args.round,
        Path(args.out),
        random.Random(args.seed),
        share_missing=args.share_missing,
        share_defective=args.share_defective,
    )
    kinds: dict[str, int] = {}
    for f in manifest["files"]:
        kinds[f["kind"]] = kinds.get(f["kind"], 0) + 1
    print(
        f"{manifest['province']} FY{manifest['fiscal_year']} {manifest['round']}: "
        f"{len(manifest['files'])} files for {manifest['expected']} LAOs "
        f"({len(manifest['missing'])} missing) {kinds} -> {args.out}"
    )
    return 0


def _synth_national(args: argparse.Namespace) -> int:
    """``synth --all`` / ``--provinces N``: many provinces at once, on every core."""
    import time

    from itaflow.synth.national import choose_provinces, national_inbox
    from itaflow.workers import worker_count

    started = time.perf_counter()
    provinces = choose_provinces(None if args.all else args.provinces, args.seed)
    truth = national_inbox(
        args.out,
        provinces,
        args.fiscal_year,
        args.round,
        seed=args.seed,
        defect_rate=args.share_defective,
        share_missing=args.share_missing,
        workers=worker_count(),
        truth_path=args.truth,
    )
    print(
        f"{len(provinces)} provinces FY{truth['fiscal_year']} {truth['round']}: "
        f"{truth['files']} files for {truth['expected']} LAOs ({truth['missing']} missing) "
        f"-> {args.out} in {time.perf_counter() - started:.0f} s"
    )
    return 0


def _cmd_where(args: argparse.Namespace) -> int:
    from itaflow.pipeline import data_docs_pages

    s = settings_mod.load()
    reports = sorted(s.reports_out.glob("ita-*.*")) if s.reports_out.is_dir() else []
    mails = sorted(s.outbox.glob("*.eml")) if s.outbox.is_dir() else []
    docs = data_docs_pages(s)
    print(f"inbox:      {s.inbox}")
    print(f"originals:  {s.store}")
    print(f"warehouse:  {s.warehouse_url}")
    print(f"reports:    {s.reports_out}")
    for path in reports:
        print(f"            {path}")
    print(f"data docs:  {docs[0] if docs else '-'} ({len(docs)} validation runs)")
    print(f"outbox:     {s.outbox} ({len(mails)} mails)")
    for path in mails[-3:]:
        print(f"            {path}")
    return 0


def _cmd_collect(args: argparse.Namespace) -> int:
    from itaflow import pipeline

    s = settings_mod.load()
    pipeline.prepare_warehouse(s)
    print(json.dumps(pipeline.collect(s, args.run_id), ensure_ascii=False))
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from itaflow import pipeline

    s = settings_mod.load()
    pipeline.prepare_warehouse(s)
    batches = pipeline.plan_batches(s)
    run_id = pipeline._run_id(args.run_id)
    for ids in batches:
        pipeline.load_batch(pipeline.check_batch(ids, s, run_id), s, run_id)
    print(json.dumps(pipeline.account(s, batches), ensure_ascii=False))
    if batches and not args.no_data_docs:
        print(f"data docs: {pipeline.build_data_docs(s, run_id)}")
    return 0


def _cmd_compile(args: argparse.Namespace) -> int:
    from itaflow import pipeline

    s = settings_mod.load()
    pipeline.prepare_warehouse(s)
    compiled = pipeline.compile_round(s, args.fiscal_year, args.round, args.province)
    print(json.dumps(compiled, ensure_ascii=False, indent=1))
    if args.send:
        print(json.dumps(pipeline.send_report(s, compiled), ensure_ascii=False))
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
    s.add_argument("--share-missing", type=float, default=0.1)
    s.add_argument("--share-defective", "--defect-rate", type=float, default=0.2)
    many = s.add_mutually_exclusive_group()
    many.add_argument("--all", action="store_true", help="every LAO of the registry (national)")
    many.add_argument("--provinces", type=int, help="N provinces drawn by --seed")
    s.add_argument("--truth", help="ground-truth file (default: <out>.ground_truth.json)")
    s.set_defaults(func=_cmd_synth)
    w = sub.add_parser("where", help="where the inbox, warehouse, reports and mails are")
    w.set_defaults(func=_cmd_where)

    c = sub.add_parser("collect", help="register new inbox files (what itaflow_collect does)")
    c.add_argument("--run-id")
    c.set_defaults(func=_cmd_collect)

    v = sub.add_parser("validate", help="check and load pending files (itaflow_validate_load)")
    v.add_argument("--run-id")
    v.add_argument("--no-data-docs", action="store_true", help="skip building the run's Data Docs")
    v.set_defaults(func=_cmd_validate)

    r = sub.add_parser(
        "compile", help="compile a round's provincial report (itaflow_compile_report)"
    )
    r.add_argument("--fiscal-year", type=int, required=True, help="ปีงบประมาณ พ.ศ., e.g. 2568")
    r.add_argument("--round", choices=["H1", "FY"], required=True)
    r.add_argument("--province", help="default: ITAFLOW_PROVINCE")
    r.add_argument("--send", action="store_true", help="also mail it (once per round)")
    r.set_defaults(func=_cmd_compile)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
