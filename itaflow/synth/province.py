"""A whole province's inbox for one round, as the office would find it.

Most LAOs sent a file, in mixed formats and layouts; some did not; some were late
(the file's mtime is when it was received); some files are defective; one LAO sent
a corrected second version; one file arrived twice, byte for byte. The manifest
says what is where and what a correct pipeline must conclude.
"""

from __future__ import annotations

import os
import random
import shutil
from datetime import date, datetime, time, timedelta
from pathlib import Path

from itaflow.periods import due_date
from itaflow.registry import Lao
from itaflow.settings import Settings
from itaflow.synth import vocab
from itaflow.synth.defects import DEFECTS, Expected, Truth, plant
from itaflow.synth.periods import round_bounds
from itaflow.synth.records import make_record, province_rows
from itaflow.synth.render import render_random

FORMAT_WEIGHTS = {"pdf": 0.35, "docx": 0.25, "xlsx": 0.15, "txt": 0.15, "html": 0.10}
# Defects an office actually sees in an inbox (not every benchmark defect).
INBOX_DEFECTS = (
    "foreign_agency", "duplicate_result", "column_shift", "placeholder", "wrong_title_year",
    "h1_past_march", "district_mismatch", "missing_field", "garbled", "foreign_script",
    "measures_plan", "unreadable", "no_table",
)  # fmt: skip


def _file_name(row: Lao, fiscal_year: int, round_: str, rng: random.Random) -> str:
    short = vocab.SHORT_TYPE[row.type_th]
    rnd = "รอบ 6 เดือน" if round_ == "H1" else "รอบ 12 เดือน"
    return rng.choice(
        [
            f"รายงานผล ITA {short}{row.name_th} {rnd} {fiscal_year}",
            f"ITA-{fiscal_year}-{row.name_th}",
            f"o36_{short}{row.name_th}",
            f"{row.lao_code}_{fiscal_year}_{round_}",
            f"มาตรการส่งเสริมคุณธรรม {row.name_th}",
        ]
    ).replace("/", "-")


def _stamp(path: Path, when: datetime) -> None:
    ts = when.timestamp()
    os.utime(path, (ts, ts))


def province_inbox(
    province_th: str,
    fiscal_year: int,
    round_: str,
    out_dir: Path | str,
    rng: random.Random,
    share_missing: float = 0.1,
    share_defective: float = 0.2,
    settings: Settings | None = None,
    skip_layouts: tuple[str, ...] = (),
    format_weights: dict[str, float] | None = None,
) -> dict:
    """Fill ``out_dir`` with the province's submissions; return the manifest.

    Manifest: ``province``, ``fiscal_year``, ``round``, ``due`` (ISO date),
    ``expected`` (LAO count), ``missing`` (lao_codes with no file) and ``files``:
    one entry per file with ``file`` (name in ``out_dir``), ``lao_code``,
    ``format``/``layout``/``encoding``, ``received_at`` (ISO, also the file's
    mtime), ``late``, ``kind`` (original / resubmission / duplicate), ``version``,
    ``defect`` and ``truth`` (the planted findings) when defective, ``measures``.
    ``skip_layouts``: layouts left out of the inbox (none by default).
    ``format_weights``: the format mix (default ``FORMAT_WEIGHTS``).
    """
    from itaflow.settings import load

    settings = settings or load()
    weights = format_weights or FORMAT_WEIGHTS
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rows = sorted(province_rows(province_th), key=lambda r: r.lao_code)
    if not rows:
        raise ValueError(f"no LAO of province {province_th!r} in the registry")
    _, round_end = round_bounds(fiscal_year, round_)
    due = due_date(fiscal_year, round_, settings)
    order = rows[:]
    rng.shuffle(order)
    n_missing = round(share_missing * len(rows))
    missing, senders = order[:n_missing], order[n_missing:]
    n_defective = round(share_defective * len(senders))
    defects = [d for d in INBOX_DEFECTS if DEFECTS[d].round in (None, round_)]
    files: list[dict] = []
    used: set[str] = set()
    for i, row in enumerate(senders):
        record = make_record(row, fiscal_year, round_, rng)
        defect = truth = None
        if i < n_defective:
            defect = defects[i % len(defects)]
            record, truth = plant(record, defect, rng)
        name = _file_name(row, fiscal_year, round_, rng)
        while name in used:
            name += "_"
        used.add(name)
        late = rng.random() < 0.15
        day = (
            due + timedelta(days=rng.randint(1, 30))
            if late
            else due - timedelta(days=rng.randint(0, (due - round_end).days - 1))
        )
        received = datetime.combine(day, time(rng.randint(8, 16), rng.randint(0, 59)))
        path, fmt, layout, enc = render_random(
            record,
            out / name,
            rng,
            weights=weights,
            exclude_layouts=(DEFECTS[defect].layouts_excluded if defect else ()) + skip_layouts,
        )
        _stamp(path, received)
        files.append(
            {
                "file": path.name,
                "lao_code": row.lao_code,
                "format": fmt,
                "layout": layout,
                "encoding": enc,
                "received_at": received.isoformat(),
                "late": late,
                "kind": "original",
                "version": 1,
                "defect": defect,
                "truth": truth.to_json() if truth else None,
                "measures": len(record.measures),
            }
        )
    _resubmission(files, senders, fiscal_year, round_, out, rng, due, skip_layouts, weights)
    _duplicate(files, out, rng, due)
    return {
        "province": province_th,
        "fiscal_year": fiscal_year,
        "round": round_,
        "due": due.isoformat(),
        "expected": len(rows),
        "missing": sorted(r.lao_code for r in missing),
        "files": files,
    }


def _resubmission(
    files,
    senders,
    fiscal_year,
    round_,
    out: Path,
    rng,
    due: date,
    skip: tuple[str, ...],
    weights: dict[str, float] = FORMAT_WEIGHTS,
) -> None:
    """The first defective LAO sends a corrected version a few days later."""
    first = next((f for f in files if f["defect"]), files[0] if files else None)
    if first is None:
        return
    row = next(r for r in senders if r.lao_code == first["lao_code"])
    record = make_record(row, fiscal_year, round_, rng)
    when = datetime.fromisoformat(first["received_at"]) + timedelta(days=rng.randint(2, 9))
    stem = out / (Path(first["file"]).stem + "_แก้ไข")
    path, fmt, layout, enc = render_random(record, stem, rng, weights=weights, exclude_layouts=skip)
    _stamp(path, when)
    files.append(
        {
            **first,
            "file": path.name,
            "format": fmt,
            "layout": layout,
            "encoding": enc,
            "received_at": when.isoformat(),
            "late": when.date() > due,
            "kind": "resubmission",
            "version": 2,
            "defect": None,
            "truth": None,
            "measures": len(record.measures),
        }
    )


def _duplicate(files, out: Path, rng, due: date) -> None:
    """One clean file sent twice: the same bytes under another name, an hour later."""
    clean = [f for f in files if f["kind"] == "original" and not f["defect"]]
    if not clean:
        return
    src = rng.choice(clean)
    target = out / f"สำเนา - {src['file']}"
    shutil.copyfile(out / src["file"], target)
    when = datetime.fromisoformat(src["received_at"]) + timedelta(hours=1)
    _stamp(target, when)
    truth = Truth(
        "duplicate", [Expected("duplicate_submission")], note=f"same bytes as {src['file']}"
    )
    files.append(
        {
            **src,
            "file": target.name,
            "received_at": when.isoformat(),
            "late": when.date() > due,
            "kind": "duplicate",
            "truth": truth.to_json(),
        }
    )
