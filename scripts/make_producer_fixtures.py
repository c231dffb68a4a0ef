"""Regenerate tests/fixtures/producers/: each sample seed through every producer.

For each text seed in tests/fixtures/seeds, the document it reads as (its paragraphs
and tables) is rendered by every producer of ``itaflow.synth.render.producers``
(LibreOffice PDF, Chromium PDF, the Typst PDF, a LibreOffice-saved .docx) into
tests/fixtures/producers/<seed>/<producer>_<layout>.<ext>; the layout rotates with
the seed, and layouts beyond the third go to the seeds in turn, so every layout of
every producer has a fixture. ``manifest.json`` says which file
came from which seed, producer, layout and program version, so that tests can
check the readings without LibreOffice or Chromium installed.

    uv run python scripts/make_producer_fixtures.py [--only SEED_STEM] [--producers a,b]
                                                    [--missing-only]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from itaflow.read import read_path
from itaflow.synth.render.producers import LAYOUTS, PRODUCERS, SUFFIX, Job, produce, program
from itaflow.synth.render.sheet import from_blocks

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
OUT = ROOT / "tests" / "fixtures" / "producers"
MAX_BYTES = 150_000


def version(producer: str) -> str:
    """The version line of the program behind ``producer`` (the typst package for typst)."""
    exe = program(producer)
    if exe is None:
        from importlib.metadata import version as package_version

        return f"typst (PyPI) {package_version('typst')}"
    done = subprocess.run([exe, "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip().splitlines()[0] if done.stdout.strip() else exe


def layouts_for(producer: str, k: int, seeds: int) -> list[str]:
    """The layouts seed number ``k`` of ``seeds`` is rendered in by ``producer``."""
    layouts = LAYOUTS[producer]
    return [layouts[k % len(layouts)]] + [
        lay for j, lay in enumerate(layouts) if j >= seeds and j % seeds == k
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", help="one seed stem")
    ap.add_argument("--producers", default=",".join(PRODUCERS))
    ap.add_argument("--missing-only", action="store_true", help="keep files already there")
    args = ap.parse_args(argv)
    producers = [p for p in args.producers.split(",") if p]
    seeds = sorted(SEEDS.glob("*.txt"))
    manifest_path = OUT / "manifest.json"
    manifest = json.loads(manifest_path.read_text("utf-8")) if manifest_path.is_file() else []
    jobs: list[Job] = []
    entries: list[dict] = []
    for k, seed in enumerate(seeds):
        if args.only and seed.stem != args.only:
            continue
        pieces = from_blocks(read_path(seed).blocks)
        folder = OUT / seed.stem
        folder.mkdir(parents=True, exist_ok=True)
        for producer in producers:
            for layout in layouts_for(producer, k, len(seeds)):
                path = folder / f"{producer}_{layout}{SUFFIX[producer]}"
                if args.missing_only and path.is_file():
                    continue
                jobs.append(Job(producer, layout, path, pieces=pieces))
                entries.append(
                    {
                        "seed": seed.name,
                        "file": str(path.relative_to(OUT)),
                        "producer": producer,
                        "layout": layout,
                    }
                )
    started = time.perf_counter()
    skipped = produce(jobs)
    seconds = time.perf_counter() - started
    for message in skipped:
        print(message, file=sys.stderr)
    versions = {p: version(p) for p in producers}
    made = [e for e in entries if (OUT / e["file"]).is_file()]
    kept = {e["file"]: e for e in manifest}
    for e in made:
        kept[e["file"]] = {**e, "program": versions[e["producer"]]}
    manifest_path.write_text(
        json.dumps(sorted(kept.values(), key=lambda e: e["file"]), ensure_ascii=False, indent=1)
        + "\n",
        encoding="utf-8",
    )
    too_big = 0
    for e in made:
        size = (OUT / e["file"]).stat().st_size
        too_big += size > MAX_BYTES
        print(
            f"{size / 1000:7.1f} KB  {e['file']}" + ("  (over 150 KB)" if size > MAX_BYTES else "")
        )
    print(f"{len(made)} files in {seconds:.1f} s; {len(skipped)} producers skipped")
    return 1 if skipped or too_big else 0


if __name__ == "__main__":
    sys.exit(main())
