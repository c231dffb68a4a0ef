"""Time and peak memory per hostile file of issue 10 (built here, then deleted).

Each file is read in a fresh child process (``itaflow.read.read_path``), and then
read + extracted + checked (``itaflow.process.inspect_paths``, what ``itaflow
inspect`` does, Great Expectations included) in another; the child reports wall time
and its own peak resident memory (``VmHWM``, interpreter and libraries included).

    uv run python benchmarks/hostile.py [--only NAME] [--no-inspect]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from hostile_files import BUILDERS  # noqa: E402

CHILD = r"""
import json, sys, time
from pathlib import Path

def peak_mb():
    # VmHWM: this process's own peak (ru_maxrss would include the parent's, kept across exec)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
mode, path = sys.argv[1], Path(sys.argv[2])
started = time.monotonic()
if mode == "read":
    from itaflow.read import read_path
    doc = read_path(path)
    verdict = "readable" if doc.readable else "refused"
    reason = doc.problems[0].message if doc.problems else f"{len(doc.blocks)} blocks"
else:
    from itaflow import settings
    from itaflow.process import inspect_paths
    (record,) = inspect_paths([str(path)], settings.load())
    verdict = record.verdict
    bad = [f for f in record.findings if f.check == "unreadable_file"]
    reason = bad[0].message if bad else f"{len(record.measures)} measures, {len(record.findings)} findings"
print(json.dumps({"seconds": round(time.monotonic() - started, 2), "verdict": verdict,
                  "reason": reason[:110],
                  "peak_mb": round(peak_mb())}))
"""


def run_child(mode: str, path: Path, timeout: float = 600) -> dict:
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, mode, str(path)],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=REPO,
        )
    except subprocess.TimeoutExpired:
        return {"seconds": timeout, "verdict": "TIMEOUT", "reason": "", "peak_mb": None}
    if done.returncode:
        return {
            "seconds": round(time.monotonic() - started, 2),
            "verdict": f"CRASH rc={done.returncode}",
            "reason": done.stderr.strip().splitlines()[-1][:110] if done.stderr.strip() else "",
            "peak_mb": None,
        }
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", help="one file name of the list")
    parser.add_argument("--no-inspect", action="store_true", help="reading only")
    args = parser.parse_args()
    names = [args.only] if args.only else list(BUILDERS)
    print(f"{'file':40} {'size':>10} {'stage':8} {'s':>7} {'peak MB':>8}  verdict: reason")
    with tempfile.TemporaryDirectory(prefix="itaflow-hostile-") as tmp:
        for name in names:
            path = BUILDERS[name](Path(tmp) / name)
            size = path.stat().st_size
            for mode in ("read",) if args.no_inspect else ("read", "inspect"):
                r = run_child(mode, path)
                print(
                    f"{name:40} {size:>10,} {mode:8} {r['seconds']:>7} {r['peak_mb'] or '-':>8}"
                    f"  {r['verdict']}: {r['reason']}",
                    flush=True,
                )
            path.unlink()


if __name__ == "__main__":
    main()
