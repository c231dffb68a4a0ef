"""Every PDF of a folder through ``itaflow inspect``'s code path, one child process per file.

Prints, per file: pages, seconds to read + extract and to check (in the child),
their sum (the time to a verdict), the one-off start of the child (imports and
Great Expectations' first run, which the pipeline pays once per batch, not per
file), the child's CPU seconds and peak memory (its own rusage, from ``wait4``),
the verdict and the findings that decided it. A file that takes longer than ``--deadline``
seconds is killed and reported as such; the exit status is 1 when any file
breaks the time or memory bound, so the script can gate a run.

    uv run python benchmarks/pdf_folder.py [FOLDER] [--deadline 20] [--max-mib 1024]

FOLDER defaults to ../shared/samples/wild/ (real PDFs that must all be refused;
never copy them into the repository).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_FOLDER = Path(__file__).resolve().parents[1] / ".." / "shared" / "samples" / "wild"

# What the child runs: the same function as ``itaflow inspect --json``, timed inside.
CHILD = r"""
import copy, json, sys, time
from pathlib import Path
t0 = time.monotonic()
from itaflow import settings
from itaflow.checks import judge_records
from itaflow.process import read_and_extract
s = settings.load()
t1 = time.monotonic()
record = read_and_extract(Path(sys.argv[1]), s, display=sys.argv[1])
t2 = time.monotonic()
judge_records([copy.deepcopy(record)], s)  # warm up: Great Expectations' one-off start
t3 = time.monotonic()
(record,) = judge_records([record], s).records
t4 = time.monotonic()
out = record.to_json()
print(json.dumps({"verdict": out["verdict"], "findings": out["findings"],
                  "read_s": t2 - t1, "check_s": t4 - t3, "start_s": (t1 - t0) + (t3 - t2),
                  "verdict_s": (t2 - t1) + (t4 - t3)}, ensure_ascii=False))
"""


def page_count(path: Path) -> int | None:
    """Pages as PDFium counts them (cheap: the page tree only), None if it cannot open it."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(path))
    except Exception:
        return None
    try:
        return len(doc)
    finally:
        doc.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", nargs="?", default=str(DEFAULT_FOLDER))
    ap.add_argument("--deadline", type=float, default=20.0, help="seconds allowed per file")
    ap.add_argument("--max-mib", type=float, default=1024.0, help="memory allowed per file")
    args = ap.parse_args(argv)
    files = sorted(Path(args.folder).glob("*.pdf"))
    if not files:
        print(f"no PDFs in {args.folder}")
        return 0
    print(
        f"{'file':26} {'pages':>5} {'read s':>6} {'check s':>7} {'verdict s':>9} {'start s':>7} {'cpu s':>6}"
        f" {'peak MiB':>8}  verdict: why"
    )
    bad = 0
    slowest = (0.0, "")
    for path in files:
        res, peak = _child_peak(path, args.deadline)
        secs = res.get("verdict_s", res["wall_s"])
        why = sorted({f["check"] for f in res.get("findings", []) if f["severity"] == "error"})
        reason = next(
            (f["message"] for f in res.get("findings", []) if f["check"] == "unreadable_file"),
            "",
        )
        verdict = "KILLED" if res["killed"] else res.get("verdict", f"ERROR {res.get('error')}")
        ok = not res["killed"] and secs < args.deadline and peak < args.max_mib
        bad += not ok
        slowest = max(slowest, (secs, path.name))
        pages = page_count(path)
        print(
            f"{path.name:26} {pages if pages is not None else '?':>5} {res.get('read_s', 0):6.2f}"
            f" {res.get('check_s', 0):7.2f} {secs:9.2f} {res.get('start_s', 0):7.2f} {res['cpu_s']:6.2f} {peak:8.0f}"
            f"  {verdict}: {', '.join(why)}"
            + (f" [{reason[:90]}]" if reason else "")
            + ("" if ok else "  <-- over bound")
        )
    print(f"slowest: {slowest[1]} {slowest[0]:.2f} s; files over bound: {bad}")
    return 1 if bad else 0


def _child_peak(path: Path, deadline: float) -> tuple[dict, float]:
    """Run one child; its result and its own peak RSS in MiB (``wait4``'s rusage)."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path)],
            stdout=out,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        killed = False
        while True:
            pid, _status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > deadline + 120 and not killed:
                os.killpg(proc.pid, signal.SIGKILL)
                killed = True
            time.sleep(0.05)
        proc.returncode = 0  # reaped above; keep Popen from waiting again
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    result: dict = {
        "wall_s": time.monotonic() - started,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "killed": killed,
    }
    try:
        result.update(json.loads(text.strip().splitlines()[-1]))
    except (ValueError, IndexError):
        result["error"] = "no output"
    return result, usage.ru_maxrss / 1024


if __name__ == "__main__":
    sys.exit(main())
