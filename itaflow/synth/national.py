"""A national round: every province's inbox, side by side, with one ground-truth file.

Each province is filled by ``province_inbox`` (missing, late, defective, a
resubmission and a byte-for-byte duplicate per province) from its own random
stream, seeded by ``(seed, province)``: the files are the same whichever worker
renders which province and in what order, so a seed names one national round.
Provinces render in a process pool (the slowest part is Typst compiling PDFs,
~0.1-0.3 s each), largest first so no core idles at the end.

The format mix leans on PDF as real submissions do (most offices print Word to
PDF), then Word, Excel and text. The PDFs come from the one Typst producer: it
takes minutes for the country, where LibreOffice or Chromium (a process start
and 1-3 s a file) would take hours for 7,849 files.
"""

from __future__ import annotations

import json
import multiprocessing
import random
from pathlib import Path
from typing import Any

from itaflow import registry

# Share of each format in a national round (real inboxes: mostly PDF, then Word).
NATIONAL_FORMATS = {"pdf": 0.55, "docx": 0.20, "xlsx": 0.12, "txt": 0.08, "html": 0.05}


def choose_provinces(count: int | None, seed: int, names: list[str] | None = None) -> list[str]:
    """``names`` as given; else ``count`` provinces drawn by ``seed``; else all of them."""
    every = sorted(registry.provinces())
    if names:
        unknown = [n for n in names if n not in every]
        if unknown:
            raise ValueError(f"no LAO of province(s) {unknown} in the registry")
        return list(names)
    if count is None or count >= len(every):
        return every
    return sorted(random.Random(f"provinces:{seed}").sample(every, max(1, count)))


def _one(task: tuple[str, int, str, str, int, float, float]) -> dict[str, Any]:
    from itaflow.synth.province import province_inbox

    province, fiscal_year, round_, out, seed, share_missing, defect_rate = task
    return province_inbox(
        province,
        fiscal_year,
        round_,
        Path(out) / province,
        random.Random(f"{seed}:{province}"),
        share_missing=share_missing,
        share_defective=defect_rate,
        format_weights=NATIONAL_FORMATS,
    )


def national_inbox(
    out_dir: Path | str,
    provinces: list[str],
    fiscal_year: int = 2568,
    round_: str = "FY",
    seed: int = 7,
    defect_rate: float = 0.2,
    share_missing: float = 0.05,
    workers: int = 1,
    truth_path: Path | str | None = None,
) -> dict[str, Any]:
    """Write ``out_dir/<province>/...`` for each province, and the ground truth to
    ``truth_path`` (default ``<out_dir>.ground_truth.json``, beside the inbox so
    that collecting the inbox never picks it up).

    The ground truth is each province's manifest (see ``province_inbox``) with file
    names made relative to ``out_dir``, plus the totals; returns it.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    sizes = {p: len(registry.expected_laos(p)) for p in provinces}
    order = sorted(provinces, key=lambda p: -sizes[p])
    tasks = [(p, fiscal_year, round_, str(out), seed, share_missing, defect_rate) for p in order]
    if workers > 1 and len(tasks) > 1:
        ctx = multiprocessing.get_context("spawn")  # typst threads do not survive a fork
        with ctx.Pool(min(workers, len(tasks))) as pool:
            done = dict(zip(order, pool.imap(_one, tasks, chunksize=1), strict=True))
    else:
        done = {p: _one(t) for p, t in zip(order, tasks, strict=True)}
    manifests = [done[p] for p in provinces]
    for m in manifests:
        for f in m["files"]:
            f["file"] = f"{m['province']}/{f['file']}"
    truth = {
        "fiscal_year": fiscal_year,
        "round": round_,
        "seed": seed,
        "defect_rate": defect_rate,
        "share_missing": share_missing,
        "formats": NATIONAL_FORMATS,
        "expected": sum(m["expected"] for m in manifests),
        "files": sum(len(m["files"]) for m in manifests),
        "missing": sum(len(m["missing"]) for m in manifests),
        "provinces": manifests,
    }
    target = Path(truth_path) if truth_path else out.with_name(out.name + ".ground_truth.json")
    target.write_text(json.dumps(truth, ensure_ascii=False, indent=1), "utf-8")
    return truth
