"""How long the provincial report takes for the largest province, after the data is loaded.

    uv run python benchmarks/bench_compile.py                  # SQLite, นครราชสีมา (334 LAOs)
    uv run python benchmarks/bench_compile.py --engine postgresql

Loads synthetic reports (``itaflow.synth`` through ``itaflow.compile.sample``) of every
LAO of the province for the round and the same round a year earlier (so the report
has a comparison), then times what the compile task does: ``report_data`` (the
warehouse read) and ``compile_report`` (HTML, PDF, XLSX) in a fresh process, so one-off
start-up (the theme tokeniser's dictionary, Typst's first layout) is included. Prints
the phases, the machine's load average (the figure means little on a busy machine)
and checks the total against the target (issue 13: under 15 s).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

from itaflow.compile import compile_report
from itaflow.compile.sample import load_sample_rounds
from itaflow.settings import load
from itaflow.warehouse import report_data, upgrade

PG_URL = os.environ.get("ITAFLOW_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PROVINCE = "นครราชสีมา"
TARGET_SECONDS = 15.0


def _url(engine: str, folder: Path) -> tuple[str, object]:
    if engine == "sqlite":
        return f"sqlite:///{folder / 'warehouse.db'}", None
    from sqlalchemy import create_engine, text

    schema = f"bench_compile_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}", (admin, schema)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--province", default=PROVINCE)
    args = parser.parse_args()
    settings = load()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url, cleanup = _url(args.engine, folder)
        try:
            t0 = time.perf_counter()
            upgrade(url)
            loaded = load_sample_rounds(
                url, args.province, [(2568, "H1"), (2569, "H1")], make_record_pool=40
            )
            t1 = time.perf_counter()
            print(f"province {args.province} on {args.engine}: loaded {loaded}")
            print(f"  load (not timed against the target): {t1 - t0:.1f} s")
            load_before = os.getloadavg()[0]
            a = time.perf_counter()
            data = report_data(url, 2569, "H1", args.province, settings)
            b = time.perf_counter()
            files = compile_report(data, folder / "out")
            c = time.perf_counter()
            sizes = ", ".join(f"{k} {p.stat().st_size // 1024} KiB" for k, p in files.items())
            print(
                f"  report_data {b - a:.2f} s + compile_report {c - b:.2f} s"
                f" ({len(data.laos)} LAOs, {len(data.measures)} measures,"
                f" {len(data.previous)} earlier round; {sizes})"
            )
            print(
                f"  machine load average (1 min) before/after: {load_before:.1f}/"
                f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
            )
        finally:
            if cleanup is not None:
                from sqlalchemy import text

                admin, schema = cleanup
                with admin.connect() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    total = c - a
    verdict = "OK" if total < TARGET_SECONDS else "OVER TARGET"
    print(f"compile after load: {total:.2f} s (target < {TARGET_SECONDS:.0f} s): {verdict}")
    return 0 if total < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
