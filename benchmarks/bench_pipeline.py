"""How fast the whole pipeline is, for the largest province and for the country.

Run from the repo root (``make bench`` runs the full version)::

    uv run python benchmarks/bench_pipeline.py                      # largest province + national
    uv run python benchmarks/bench_pipeline.py --provinces 1 --repeat 1 --province ตราด  # quick

For each scenario (``province``: one province through the CLI path and through the
real DAGs with ``dag.test()``; ``national``: every LAO of the registry, or
``--provinces N`` drawn by ``--seed``) it prints the wall and CPU seconds of each
stage (collect, read, extract, check, load, compile), files per second, peak
memory (the sum of the RSS of the run and its worker processes, sampled), the
parse time of each DAG file, and the ratio of the pipeline's CPU to the *floor*:
the CPU it takes just to read every file's bytes and its text with the fastest
extractor there is (pypdfium2 for PDF, the XML text of Word/Excel, decoding for
text). Each repeat runs in a fresh process (so Great Expectations is imported
again, as in real life); figures are medians over ``--repeat`` runs. The load
average is printed with them: this machine is shared, the figures are noisy.

JSON goes to ``reports/out/bench/pipeline-<time>.json`` (and ``latest.json``); the
last line is ``pipeline/floor ratio: X`` for scripts.

Read, extract and check run fused in the worker pool (``itaflow.workers``), so
their per-stage wall is *worker-seconds* (summed over workers, timed around
``read_path``, ``extract`` and ``judge_records``); ``validate`` is the elapsed wall
of the whole read→extract→check→load step.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / "var" / "bench"
OUT = REPO / "reports" / "out" / "bench"
STAGES = ("collect", "read", "extract", "check", "load", "data_docs", "compile")


# --- the floor: bytes + the fastest text --------------------------------------------


def fastest_text(path: Path) -> str:
    """The text of a file the cheapest way there is, ignoring all layout."""
    data = path.read_bytes()
    suffix = path.suffix.lower()
    try:
        if suffix == ".pdf":
            import pypdfium2 as pdfium

            doc = pdfium.PdfDocument(data)
            try:
                return "\n".join(page.get_textpage().get_text_range() for page in doc)
            finally:
                doc.close()
        if suffix in (".docx", ".xlsx"):
            with zipfile.ZipFile(path) as z:
                names = [n for n in z.namelist() if n.endswith(".xml")]
                xml = " ".join(z.read(n).decode("utf-8", "replace") for n in names)
            return re.sub(r"<[^>]+>", " ", xml)
        return data.decode("utf-8", "replace")
    except Exception:  # a broken file costs its bytes only
        return ""


def floor(files: list[Path]) -> dict[str, float]:
    """CPU and wall to read every file's bytes and text, in one process."""
    w, c = time.perf_counter(), time.process_time()
    chars = sum(len(fastest_text(p)) for p in files)
    return {"wall": time.perf_counter() - w, "cpu": time.process_time() - c, "chars": chars}


# --- measuring one run --------------------------------------------------------------


class PeakRSS:
    """Samples the RSS of this process and all its descendants; keeps the largest sum."""

    def __init__(self, every: float = 0.2) -> None:
        import psutil

        self.proc, self.every, self.peak = psutil.Process(), every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            total = 0
            for p in [self.proc, *self.proc.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    total += p.memory_info().rss
            self.peak = max(self.peak, total)
            self._stop.wait(self.every)

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _cpu_all() -> float:
    """CPU of this process and every child it has waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


class Timer:
    """Wall and CPU (self + reaped children) of a block, added to ``into[name]``."""

    def __init__(self, into: dict[str, dict[str, float]], name: str) -> None:
        self.into, self.name = into, name

    def __enter__(self) -> Timer:
        self.w, self.c = time.perf_counter(), _cpu_all()
        return self

    def __exit__(self, *exc: object) -> None:
        slot = self.into.setdefault(self.name, {"wall": 0.0, "cpu": 0.0})
        slot["wall"] += time.perf_counter() - self.w
        slot["cpu"] += _cpu_all() - self.c


def instrument(log_path: Path) -> None:
    """Time read_path, extract and judge_records wherever they run (the pool forks after
    this, so its workers inherit the wrappers): one line per call in ``log_path``."""
    import itaflow.checks.batch as batch
    import itaflow.extract as extract
    import itaflow.read as read

    def wrap(module: Any, attr: str, stage: str) -> None:
        inner = getattr(module, attr)

        def timed(*args: Any, **kwargs: Any) -> Any:
            w, c = time.perf_counter(), time.process_time()
            try:
                return inner(*args, **kwargs)
            finally:
                line = f"{stage}\t{time.perf_counter() - w}\t{time.process_time() - c}\n"
                with open(log_path, "a") as f:
                    f.write(line)

        setattr(module, attr, timed)

    wrap(read, "read_path", "read")
    wrap(extract, "extract", "extract")
    wrap(batch, "judge_records", "check")


def stage_log(log_path: Path) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for line in log_path.read_text().splitlines() if log_path.exists() else []:
        stage, wall, cpu = line.split("\t")
        slot = out.setdefault(stage, {"wall": 0.0, "cpu": 0.0})
        slot["wall"] += float(wall)
        slot["cpu"] += float(cpu)
    return out


def link_inbox(source: Path, inbox: Path) -> list[Path]:
    """Hard links of the cached inbox (same bytes and mtimes, no copy)."""
    files = []
    for p in sorted(source.rglob("*")):
        if p.is_file():
            target = inbox / p.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(p, target)
            files.append(target)
    return files


def one_run(source: Path, compile_province: str, fiscal_year: int, round_: str) -> dict:
    """Everything the CLI does for a round, stage by stage, in this (fresh) process."""
    home = Path(tempfile.mkdtemp(prefix="itaflow-bench-"))
    os.environ.update(
        ITAFLOW_HOME=str(home),
        ITAFLOW_REPORTS_OUT=str(home / "reports"),
        ITAFLOW_PROVINCE="",
        ITAFLOW_QUIET_SECONDS="0",  # the files are complete: no quiet period to wait out
        GX_ANALYTICS_ENABLED="False",
    )
    from itaflow import pipeline, settings, workers

    s = settings.load()
    files = link_inbox(source, s.inbox)
    log_path = home / "stages.tsv"
    instrument(log_path)
    stages: dict[str, dict[str, float]] = {}
    run_id = "bench"
    fl = floor(files)
    with PeakRSS() as peak:
        pipeline.prepare_warehouse(s)
        with Timer(stages, "collect"):
            pipeline.collect(s, run_id)
        with Timer(stages, "validate"):
            batches = pipeline.plan_batches(s)
            for ids in batches:
                with Timer(stages, "check_step"):
                    path = pipeline.check_batch(ids, s, run_id)
                with Timer(stages, "load"):
                    pipeline.load_batch(path, s, run_id)
            with Timer(stages, "check_step"):
                workers.shutdown()  # reap the workers: their CPU is counted from here
        accounting = pipeline.account(s, batches)
        with Timer(stages, "data_docs"):
            pipeline.build_data_docs(s, run_id)
        with Timer(stages, "compile"):
            compiled = pipeline.compile_round(s, fiscal_year, round_, compile_province)
    in_pool = stage_log(log_path)
    for name in ("read", "extract", "check"):
        stages[name] = in_pool.get(name, {"wall": 0.0, "cpu": 0.0})
    validate_cpu = stages["validate"]["cpu"]
    return {
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
        "batches": len(batches),
        "workers": workers.worker_count(),
        "batch_size": s.batch_size,
        "accounting": accounting,
        "compiled_expected": compiled["expected"],
        "stages": stages,
        "floor": fl,
        "peak_rss_mb": peak.peak / 2**20,
        "files_per_s": len(files) / stages["validate"]["wall"],
        "ratio_cpu": validate_cpu / fl["cpu"] if fl["cpu"] else None,
        "ratio_wall": stages["validate"]["wall"] / fl["wall"] if fl["wall"] else None,
    }


# --- the real DAGs and their parse time ------------------------------------------------


def dag_parse_times() -> dict[str, float]:
    code = (
        "import json; from airflow.dag_processing.dagbag import DagBag;"
        f"b = DagBag(dag_folder={str(REPO / 'dags')!r});"
        "print(json.dumps({s.file.rsplit('/',1)[-1]: s.duration.total_seconds()"
        " for s in b.dagbag_stats}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=_airflow_env(None)
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _airflow_env(airflow_home: Path | None) -> dict[str, str]:
    env = {
        **os.environ,
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
        "GX_ANALYTICS_ENABLED": "False",
    }
    if airflow_home is not None:
        env["AIRFLOW_HOME"] = str(airflow_home)
        env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = f"sqlite:///{airflow_home / 'airflow.db'}"
    return env


def dag_run(source: Path, airflow_home: Path, province: str, fy: int, round_: str) -> dict:
    """collect → validate_load → compile_report through ``scripts/run_dag.py``."""
    home = Path(tempfile.mkdtemp(prefix="itaflow-bench-dag-"))
    link_inbox(source, home / "inbox")
    env = {
        **_airflow_env(airflow_home),
        "ITAFLOW_HOME": str(home),
        "ITAFLOW_REPORTS_OUT": str(home / "reports"),
        "ITAFLOW_PROVINCE": province,
        "ITAFLOW_QUIET_SECONDS": "0",  # the files are complete: no quiet period to wait out
    }
    conf = json.dumps({"fiscal_year": fy, "round": round_, "province": province})
    out: dict[str, dict[str, float]] = {}
    with PeakRSS() as peak:
        for dag, extra in (
            ("itaflow_collect", []),
            ("itaflow_validate_load", []),
            ("itaflow_compile_report", ["--conf", conf]),
        ):
            with Timer(out, dag):
                done = subprocess.run(
                    [sys.executable, str(REPO / "scripts" / "run_dag.py"), dag, *extra],
                    env=env,
                    capture_output=True,
                    text=True,
                )
            if done.returncode != 0:
                raise SystemExit(f"{dag} failed:\n{(done.stdout + done.stderr)[-3000:]}")
    total = {k: sum(v[k] for v in out.values()) for k in ("wall", "cpu")}
    return {"dags": out, "total": total, "peak_rss_mb": peak.peak / 2**20}


# --- scenarios -----------------------------------------------------------------------


def ensure_inbox(label: str, provinces: list[str], seed: int, fy: int, round_: str) -> Path:
    """The synthetic round for ``label``, written once and reused (``var/bench``)."""
    from itaflow.synth.national import national_inbox
    from itaflow.workers import worker_count

    folder = CACHE / label
    inbox, truth = folder / "inbox", folder / "inbox.ground_truth.json"
    if not truth.exists():
        started = time.perf_counter()
        national_inbox(inbox, provinces, fy, round_, seed=seed, workers=worker_count())
        print(f"  synthesised {label} in {time.perf_counter() - started:.0f} s", flush=True)
    return inbox


def repeated(source: Path, compile_province: str, fy: int, round_: str, n: int) -> list[dict]:
    runs = []
    for i in range(n):
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
            target = Path(f.name)
        cmd = [
            sys.executable,
            __file__,
            "--one-run",
            str(source),
            "--compile-province",
            compile_province,
            "--result",
            str(target),
            "--fiscal-year",
            str(fy),
            "--round",
            round_,
        ]
        subprocess.run(cmd, check=True)
        runs.append(json.loads(target.read_text()))
        target.unlink()
        print(
            f"  run {i + 1}/{n}: {runs[-1]['stages']['validate']['wall']:.1f} s validate",
            flush=True,
        )
    return runs


def median_of(runs: list[dict]) -> dict:
    """Per-key medians of the runs (nested dicts of numbers)."""

    def med(values: list[Any]) -> Any:
        if isinstance(values[0], dict):
            return {k: med([v[k] for v in values]) for k in values[0]}
        if isinstance(values[0], (int, float)) and not isinstance(values[0], bool):
            return statistics.median(values)
        return values[0]

    return med(runs)


def table(name: str, m: dict) -> str:
    rows = [
        f"\n{name}: {m['files']} files, {m['bytes'] / 2**20:.0f} MiB, {m['batches']} batches"
        f" of {m['batch_size']}, {m['workers']} workers"
    ]
    rows.append(f"  {'stage':<12}{'wall s':>9}{'cpu s':>9}")
    for stage in (*STAGES, "validate"):
        if stage in m["stages"]:
            v = m["stages"][stage]
            rows.append(f"  {stage:<12}{v['wall']:>9.1f}{v['cpu']:>9.1f}")
    rows.append(f"  files/s (read→load): {m['files_per_s']:.1f}")
    rows.append(f"  peak memory: {m['peak_rss_mb']:.0f} MiB")
    rows.append(
        f"  floor: {m['floor']['cpu']:.1f} s CPU; pipeline/floor {m['ratio_cpu']:.1f}x CPU,"
        f" {m['ratio_wall']:.1f}x wall"
    )
    return "\n".join(rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--province", help="the province scenario (default: the largest)")
    ap.add_argument("--provinces", type=int, help="national scenario: N provinces (default all)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=3, help="runs per province scenario")
    ap.add_argument("--national-repeat", type=int, default=1)
    ap.add_argument("--fiscal-year", type=int, default=2568)
    ap.add_argument("--round", default="FY")
    ap.add_argument("--skip-dag", action="store_true")
    ap.add_argument("--skip-national", action="store_true")
    ap.add_argument("--one-run", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--compile-province", help=argparse.SUPPRESS)
    ap.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.one_run:
        result = one_run(args.one_run, args.compile_province, args.fiscal_year, args.round)
        args.result.write_text(json.dumps(result))
        return 0

    from itaflow import registry
    from itaflow.synth.national import choose_provinces

    counts = {p: len(registry.expected_laos(p)) for p in registry.provinces()}
    largest = max(counts, key=lambda p: counts[p])
    province = args.province or largest
    load_before = os.getloadavg()
    report: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "load_before": load_before,
        "args": {k: v for k, v in vars(args).items() if k not in ("one_run", "result")},
    }
    print(
        f"load average {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}"
        f" on {os.cpu_count()} CPUs (shared machine: figures are noisy)",
        flush=True,
    )

    report["dag_parse_s"] = dag_parse_times()
    print("DAG parse: " + ", ".join(f"{k} {v:.3f} s" for k, v in report["dag_parse_s"].items()))

    label = f"province-{province}-s{args.seed}"
    print(f"\n== province {province} ({counts[province]} LAOs)", flush=True)
    source = ensure_inbox(label, [province], args.seed, args.fiscal_year, args.round)
    runs = repeated(source, province, args.fiscal_year, args.round, args.repeat)
    report["province"] = {"name": province, "laos": counts[province], **median_of(runs)}
    report["province"]["runs"] = runs
    print(table(f"province {province}", report["province"]))

    if not args.skip_dag:
        airflow_home = Path(tempfile.mkdtemp(prefix="itaflow-bench-airflow-"))
        subprocess.run(
            [sys.executable, "-m", "airflow", "db", "migrate"],
            env=_airflow_env(airflow_home),
            check=True,
            capture_output=True,
        )
        dag_runs = [
            dag_run(source, airflow_home, province, args.fiscal_year, args.round)
            for _ in range(args.repeat)
        ]
        report["province_dags"] = median_of(dag_runs)
        d = report["province_dags"]
        print(
            "  real DAGs (dag.test): "
            + ", ".join(f"{k} {v['wall']:.1f} s" for k, v in d["dags"].items())
            + f"; end to end {d['total']['wall']:.1f} s wall, {d['total']['cpu']:.1f} s CPU,"
            f" peak {d['peak_rss_mb']:.0f} MiB"
        )

    ratio = report["province"]["ratio_cpu"]
    if not args.skip_national:
        chosen = choose_provinces(args.provinces, args.seed)
        label = (
            f"national-s{args.seed}"
            if args.provinces is None
            else f"national-n{args.provinces}-s{args.seed}"
        )
        n_laos = sum(counts[p] for p in chosen)
        print(f"\n== national: {len(chosen)} provinces ({n_laos} LAOs)", flush=True)
        source = ensure_inbox(label, chosen, args.seed, args.fiscal_year, args.round)
        biggest = max(chosen, key=lambda p: counts[p])
        runs = repeated(source, biggest, args.fiscal_year, args.round, args.national_repeat)
        report["national"] = {"provinces": len(chosen), "laos": n_laos, **median_of(runs)}
        report["national"]["runs"] = runs
        print(table(f"national ({len(chosen)} provinces)", report["national"]))
        ratio = report["national"]["ratio_cpu"]

    report["load_after"] = os.getloadavg()
    report["pipeline_floor_ratio"] = ratio
    OUT.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    for path in (OUT / f"pipeline-{stamp}.json", OUT / "latest.json"):
        path.write_text(json.dumps(report, ensure_ascii=False, indent=1))
    la = report["load_after"]
    print(f"\nload average after {la[0]:.2f} {la[1]:.2f} {la[2]:.2f}; JSON: {OUT / 'latest.json'}")
    print(f"pipeline/floor ratio: {ratio:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
