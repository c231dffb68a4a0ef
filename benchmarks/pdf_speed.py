"""CPU seconds per PDF page of ``itaflow.read``, per producer.

Reads the committed producer fixtures (tests/fixtures/producers/, one folder per
sample seed: LibreOffice, Chromium, Typst) and ``-n`` synthetic reports in every
PDF layout of ``itaflow synth`` (Typst, the generator's own PDFs), each file
``--repeat`` times, and prints files, pages, CPU seconds and seconds per page per
producer. CPU time (``time.process_time``) rather than wall time, so a busy
machine changes the figures less; they still vary with the machine's load.

    uv run python benchmarks/pdf_speed.py [-n 12] [--repeat 2]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from itaflow.read import read_path
from itaflow.synth.records import make_record, random_round, registry
from itaflow.synth.render import LAYOUTS, render

PRODUCERS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "producers"


def fixture_files() -> list[tuple[str, Path]]:
    """(producer, path) of every committed producer PDF."""
    manifest = json.loads((PRODUCERS / "manifest.json").read_text(encoding="utf-8"))
    return [(e["producer"], PRODUCERS / e["file"]) for e in manifest if e["file"].endswith(".pdf")]


def synth_files(n: int, out: Path, seed: int = 1) -> list[tuple[str, Path]]:
    """``n`` synthetic reports cycling over the generator's PDF layouts."""
    rng = random.Random(seed)
    laos = registry()
    files = []
    for k in range(n):
        fy, rnd = random_round(rng)
        record = make_record(rng.choice(laos), fy, rnd, rng)
        layout = LAYOUTS["pdf"][k % len(LAYOUTS["pdf"])]
        files.append((f"synth {layout}", render(record, "pdf", layout, out / f"{k}.pdf")))
    return files


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=12, help="synthetic reports")
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        files = fixture_files() + synth_files(args.n, Path(tmp))
        totals: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0])
        for producer, path in files:
            for _ in range(args.repeat):
                started = time.process_time()
                doc = read_path(path)
                spent = time.process_time() - started
                row = totals[producer]
                row[0], row[1], row[2] = row[0] + 1, row[1] + (doc.pages or 0), row[2] + spent
    print(f"{'producer':24} {'reads':>5} {'pages':>6} {'cpu s':>7} {'s/page':>7}")
    all_pages = all_secs = 0.0
    for producer, (reads, pages, secs) in sorted(totals.items()):
        print(f"{producer:24} {reads:5.0f} {pages:6.0f} {secs:7.2f} {secs / max(pages, 1):7.3f}")
        all_pages, all_secs = all_pages + pages, all_secs + secs
    print(f"{'all':24} {'':5} {all_pages:6.0f} {all_secs:7.2f} {all_secs / max(all_pages, 1):7.3f}")


if __name__ == "__main__":
    main()
