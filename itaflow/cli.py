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
from itaflow.present.vocabulary import VERDICTS


def _cmd_inspect(args: argparse.Namespace) -> int:
    from itaflow.process import inspect_paths

    records = inspect_paths(args.paths, settings_mod.load())
    for record in records:
        if args.json:
            print(json.dumps(record.to_json(), ensure_ascii=False), flush=True)
            continue
        agency = record.agency
        print(f"{record.file}: {VERDICTS.get(record.verdict or '', '-')} ({record.verdict})")
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
        producers=tuple(p for p in (args.producers or "").split(",") if p),
    )
    if args.intake_manifest:
        from itaflow.synth.province import write_intake_manifest

        write_intake_manifest(manifest, args.out, args.intake_manifest)
    for message in manifest.get("skipped_producers", []):
        print(message, file=sys.stderr)
    kinds: dict[str, int] = {}
    for f in manifest["files"]:
        kinds[f["kind"]] = kinds.get(f["kind"], 0) + 1
        if f.get("producer"):
            kinds[f["producer"]] = kinds.get(f["producer"], 0) + 1
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
    from itaflow.monitor.files import REPORT_FILE
    from itaflow.pipeline import data_docs_pages

    s = settings_mod.load()
    # The reports an officer opens, as the monitoring page lists them (not the view snapshot).
    reports = sorted(s.reports_out.glob("*/ita-*.*")) if s.reports_out.is_dir() else []
    reports = [p for p in reports if REPORT_FILE.match(p.name)]
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
    run_id = pipeline.new_run_id(args.run_id)
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
        sent = pipeline.send_report(s, compiled, again=args.again)
        print(json.dumps(sent, ensure_ascii=False))
    return 0


def _settings_to_read() -> settings_mod.Settings:
    """The settings, or, with nothing configured and no warehouse under ./var, the demo's
    (``make demo`` keeps its data in var/demo): ``itaflow status`` right after the demo."""
    import os
    from pathlib import Path

    from itaflow.warehouse import current

    s = settings_mod.load()
    configured = os.environ.get("ITAFLOW_HOME") or os.environ.get("ITAFLOW_WAREHOUSE_URL")
    demo = Path.cwd() / "var" / "demo"
    unused = not (s.home / "warehouse.db").exists() or current(s.warehouse_url) is None
    if not configured and (demo / "warehouse.db").exists() and unused:
        print(f"(ใช้ข้อมูลของ make demo / using the demo's data: {demo})", file=sys.stderr)
        return s.with_(home=demo, warehouse_url=f"sqlite:///{demo / 'warehouse.db'}")
    return s


def _cmd_status(args: argparse.Namespace) -> int:
    from itaflow import registry, status
    from itaflow.warehouse import current, report_data

    s = _settings_to_read()
    try:
        rnd = status.parse_round(args.round)
        province = status.parse_province(args.province or s.province or "", registry.provinces())
    except status.StatusArgumentError as exc:
        print(f"itaflow status: {exc}", file=sys.stderr)
        return 2
    if current(s.warehouse_url) is None:
        print(
            f"itaflow status: คลังข้อมูลยังว่าง ({s.warehouse_url}) ตั้งค่า ITAFLOW_HOME หรือ "
            "ITAFLOW_WAREHOUSE_URL ให้ชี้ไปยังคลังข้อมูล / the warehouse is empty: set "
            "ITAFLOW_HOME or ITAFLOW_WAREHOUSE_URL (after make demo: source scripts/env.sh)",
            file=sys.stderr,
        )
        return 1
    data = report_data(s.warehouse_url, rnd.fiscal_year, rnd.round, province, s)
    result = status.round_status(data)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    status.print_status(result, show_all=args.all)
    return 0


def _cmd_remind(args: argparse.Namespace) -> int:
    from datetime import date

    from itaflow import pipeline, registry, remind, status

    s = settings_mod.load()
    try:
        rnd = status.parse_round(args.round)
        province = status.parse_province(args.province or s.province or "", registry.provinces())
        day = date.fromisoformat(args.day) if args.day else date.today()
    except (status.StatusArgumentError, ValueError) as exc:
        print(f"itaflow remind: {exc}", file=sys.stderr)
        return 2
    pipeline.prepare_warehouse(s)
    result = remind.send_reminders(
        s, rnd.fiscal_year, rnd.round, day, province=province, force=args.force
    )
    print(json.dumps(result, ensure_ascii=False, indent=1))
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
    s.add_argument(
        "--intake-manifest",
        help="also write the gateway's arrival record (JSON Lines) here, e.g. $ITAFLOW_HOME/intake/synth.jsonl",
    )
    s.add_argument(
        "--producers",
        nargs="?",
        const="typst,libreoffice,chromium,libreoffice_docx",
        help="make clean PDFs with these producers (default when given alone: all; "
        "LibreOffice/Chromium are skipped with a message when not installed)",
    )
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
    r.add_argument("--again", action="store_true", help="with --send: mail it again")
    r.set_defaults(func=_cmd_compile)

    st = sub.add_parser("status", help="a round's figures and per-LAO list (table or --json)")
    st.add_argument("--province", help="Thai name, e.g. นครราชสีมา (default: ITAFLOW_PROVINCE)")
    st.add_argument("--round", required=True, help="fiscal year (BE) and round: 2568-H1 or 2568-FY")
    st.add_argument("--json", action="store_true", help="the same as JSON, with a summary object")
    st.add_argument(
        "--all", action="store_true", help="list every LAO, not only those that must act"
    )
    st.set_defaults(func=_cmd_status)

    rm = sub.add_parser(
        "remind", help="mail today's reminders and the office digest (itaflow_remind)"
    )
    rm.add_argument("--province", help="default: ITAFLOW_PROVINCE")
    rm.add_argument("--round", required=True, help="2568-H1 or 2568-FY")
    rm.add_argument("--day", help="YYYY-MM-DD (default: today); once per LAO and day")
    rm.add_argument("--force", action="store_true", help="also outside the reminder window")
    rm.set_defaults(func=_cmd_remind)
    return parser


def unreachable_message(exc: BaseException) -> str | None:
    """One line, Thai then English, for a database or mail server that cannot be
    reached; None for any other error (that one is a bug and keeps its traceback)."""
    sqlalchemy_exc = sys.modules.get("sqlalchemy.exc")
    if sqlalchemy_exc is not None and isinstance(
        exc, sqlalchemy_exc.OperationalError | sqlalchemy_exc.InterfaceError
    ):
        from sqlalchemy.engine import make_url

        url = settings_mod.load().warehouse_url
        shown = make_url(url).render_as_string(hide_password=True)
        reason = str(getattr(exc, "orig", exc) or exc).strip().splitlines()
        return (
            f"ติดต่อฐานข้อมูลคลังข้อมูลไม่ได้ ({shown}) กรุณาตรวจสอบว่าเซิร์ฟเวอร์ฐานข้อมูลทำงานอยู่"
            f" / cannot reach the warehouse database {shown}: {reason[0][:200] if reason else ''}"
        )
    mail = sys.modules.get("itaflow.mail")
    if mail is not None and isinstance(exc, mail.DeliveryError):
        s = settings_mod.load()
        return (
            f"ส่งอีเมลไม่ได้ (SMTP {s.smtp_host}:{s.smtp_port}) กรุณาตรวจสอบเซิร์ฟเวอร์อีเมล แล้วสั่งส่งใหม่"
            f" / cannot send mail via SMTP {s.smtp_host}:{s.smtp_port}: {exc.result.error}"
        )
    return None


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except settings_mod.SettingsError as exc:
        print(f"itaflow: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        message = unreachable_message(exc)
        if message is None:
            raise
        print(f"itaflow: {message}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
