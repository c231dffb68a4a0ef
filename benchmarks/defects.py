"""Precision and recall of every check on planted defects with known ground truth.

Plants each defect of ``itaflow.synth.defects`` in fresh synthetic reports (real LAOs,
random format/layout/encoding), adds clean reports, runs the real pipeline stages
(``read_path`` → ``extract`` → ``judge_records``: Great Expectations suites in
``expectations/``), and scores per check id:

- recall: planted findings that fired (on the right file; any listed alternative counts);
- precision: files where the check fired and it was planted (or an allowed side
  effect), over all files where it fired, clean ones included;
- located: measure-level plants found on the right measure.

Then the false errors on the clean sample seeds (``tests/fixtures/seeds``): error
findings whose check the seed's expected JSON does not list in ``must_find``.

    uv run python benchmarks/defects.py [-k 20] [--clean 100] [--seed 1] [--keep DIR]
                                        [--skip-layouts pdf_unruled]

Prints a markdown table ready for the README. Targets: precision and recall ≥ 0.95
for every check, zero false errors on the seeds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from itaflow.checks import judge_records
from itaflow.extract import extract
from itaflow.models import SubmissionRecord
from itaflow.read import read_path
from itaflow.settings import load
from itaflow.synth.defects import DEFECTS, Truth, plant
from itaflow.synth.records import make_record, random_round, registry
from itaflow.synth.render import render_random

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "tests" / "fixtures" / "seeds"
EXPECTED = REPO / "tests" / "fixtures" / "expected"


@dataclass
class Case:
    path: Path
    fmt: str
    layout: str
    truth: Truth | None  # None: a clean report


def corpus(k: int, clean: int, seed: int, folder: Path, skip: tuple[str, ...] = ()) -> list[Case]:
    """k files per defect and ``clean`` defect-free files, rendered into ``folder``."""
    rng = random.Random(seed)
    rows = registry()
    cases: list[Case] = []
    plan = [name for name in DEFECTS for _ in range(k)] + [None] * clean
    for i, name in enumerate(plan):
        spec = DEFECTS[name] if name else None
        fy, rnd = random_round(rng)
        record = make_record(
            rng.choice(rows), fy, (spec.round if spec and spec.round else rnd), rng
        )
        truth = None
        if name:
            record, truth = plant(record, name, rng)
        stem = folder / f"{i:04d}_{name or 'clean'}"
        excluded = (spec.layouts_excluded if spec else ()) + skip
        path, fmt, layout, _ = render_random(record, stem, rng, exclude_layouts=excluded)
        cases.append(Case(path, fmt, layout, truth))
    return cases


def read_all(paths: list[Path]) -> tuple[list[SubmissionRecord], list[str]]:
    records, crashes = [], []
    for path in paths:
        data = path.read_bytes()
        try:
            records.append(
                extract(
                    read_path(path),
                    file=str(path),
                    sha256=hashlib.sha256(data).hexdigest(),
                    size=len(data),
                )
            )
        except Exception:  # a crash is reported, and the file counts as finding nothing
            crashes.append(f"{path.name}: {traceback.format_exc(limit=2)}")
            records.append(SubmissionRecord(file=str(path), sha256="", format="unknown"))
    return records, crashes


def score(cases: list[Case], checked: list[SubmissionRecord]):
    planted, found, located, locatable = Counter(), Counter(), Counter(), Counter()
    fired, right = Counter(), Counter()
    misses: dict[str, list[str]] = defaultdict(list)
    false_alarms: dict[str, list[str]] = defaultdict(list)
    for case, rec in zip(cases, checked, strict=True):
        checks = {f.check for f in rec.findings}
        acceptable = case.truth.acceptable if case.truth else set()
        for check in checks:
            fired[check] += 1
            if check in acceptable:
                right[check] += 1
            else:
                msg = next(f.message for f in rec.findings if f.check == check)
                false_alarms[check].append(f"{case.path.name} [{case.layout}]: {msg[:110]}")
        for e in case.truth.expected if case.truth else []:
            planted[e.check] += 1
            hit = [f for f in rec.findings if f.check in e.checks]
            if hit:
                found[e.check] += 1
            else:
                misses[e.check].append(f"{case.path.name} [{case.layout}]: {case.truth.note}")
            if e.measure_seq is not None:
                locatable[e.check] += 1
                located[e.check] += any(f.measure_seq == e.measure_seq for f in hit)
    return planted, found, located, locatable, fired, right, misses, false_alarms


def seed_false_errors(settings) -> list[str]:
    """Errors on the real sample seeds that their expected JSON does not ask for."""
    paths = sorted(SEEDS.glob("*.txt"))
    records, _ = read_all(paths)
    out = []
    for path, rec in zip(paths, judge_records(records, settings).records, strict=True):
        expected = json.loads((EXPECTED / f"{path.stem}.json").read_text(encoding="utf-8"))
        wanted = {m["check"] for m in expected.get("must_find", [])}
        out += [
            f"{path.name}: {f.check} (measure {f.measure_seq}) {f.message[:100]}"
            for f in rec.findings
            if f.severity == "error" and f.check not in wanted
        ]
    return out


def ratio(a: int, b: int) -> str:
    return f"{a / b:.2f}" if b else "–"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-k", type=int, default=20, help="files per defect")
    ap.add_argument("--clean", type=int, default=100, help="defect-free files")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--examples", type=int, default=3, help="misses and false alarms shown per check"
    )
    ap.add_argument("--keep", type=Path, help="keep the rendered files in this folder")
    ap.add_argument("--skip-layouts", default="", help="comma-separated layouts to leave out")
    args = ap.parse_args(argv)
    skip = tuple(x for x in args.skip_layouts.split(",") if x)
    settings = load()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        cases = corpus(args.k, args.clean, args.seed, folder, skip)
        records, crashes = read_all([c.path for c in cases])
        t_check = time.perf_counter()
        checked = judge_records(records, settings).records
        t_check = time.perf_counter() - t_check
    planted, found, located, locatable, fired, right, misses, false_alarms = score(cases, checked)
    seconds = time.perf_counter() - started

    print(f"\n{len(cases)} files ({args.k} per defect, {args.clean} clean) in {seconds:.0f} s, "
          f"judge_records {t_check:.1f} s\n")  # fmt: skip
    print("| check | planted | recall | fired | precision | on the right measure |")
    print("|---|---:|---:|---:|---:|---:|")
    ids = sorted(set(planted) | set(fired))
    worst = 1.0
    for check in ids:
        rec_, prec = (
            (found[check] / planted[check] if planted[check] else None),
            (right[check] / fired[check] if fired[check] else None),
        )
        worst = min(worst, *(x for x in (rec_, prec) if x is not None))
        print(
            f"| `{check}` | {planted[check]} | {ratio(found[check], planted[check])} | {fired[check]} "
            f"| {ratio(right[check], fired[check])} | {ratio(located[check], locatable[check])} |"
        )
    seeds = seed_false_errors(settings)
    print(f"\nFalse errors on the clean sample seeds: {len(seeds)}")
    for line in seeds:
        print(f"  - {line}")
    if crashes:
        print(f"\n{len(crashes)} files crashed read/extract, first: {crashes[0]}")
    for title, table in (("Missed (planted, not found)", misses), ("False alarms", false_alarms)):
        print(f"\n{title}:")
        for check in sorted(table, key=lambda c: -len(table[c])):
            print(f"  {check}: {len(table[check])}")
            for line in table[check][: args.examples]:
                print(f"    - {line}")
    ok = worst >= 0.95 and not seeds
    print(
        f"\nworst precision/recall {worst:.2f} (target ≥ 0.95), seed false errors {len(seeds)} (target 0)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
