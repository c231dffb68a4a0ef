"""A whole province's inbox for one round, as the office would find it.

Most LAOs sent a file, in mixed formats and layouts; some did not; some were late;
some files are defective; one LAO sent a corrected second version; one file arrived
twice, byte for byte. The manifest says what is where and what a correct pipeline
must conclude. When the files "arrived" is told to collect the way a real gateway
would: an intake record (``write_intake_manifest``); the file's mtime is set to the
same time but is only the sender's claim, which itaflow never trusts.

With ``producers``, clean PDF submissions are made by a producer drawn from that list
(``render.producers``: LibreOffice, Chromium, Typst, or a LibreOffice-saved .docx),
all in one batch per producer, as an office receives files from many programs.
"""

from __future__ import annotations

import os
import random
import shutil
from datetime import date, datetime, time, timedelta
from pathlib import Path

from itaflow.models import SubmissionRecord
from itaflow.periods import due_date
from itaflow.registry import Lao
from itaflow.settings import Settings
from itaflow.synth import vocab
from itaflow.synth.defects import DEFECTS, Expected, Truth, plant
from itaflow.synth.periods import round_bounds
from itaflow.synth.records import make_record, province_rows
from itaflow.synth.render import producers as prod
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


def write_intake_manifest(manifest: dict, out_dir: Path | str, target: Path | str) -> Path:
    """The gateway's intake record for a synthetic inbox: one JSON line per file with
    its absolute path and arrival time (Asia/Bangkok), read by ``itaflow.collect``."""
    from itaflow.collect import iter_manifest_lines
    from itaflow.warehouse.db import BANGKOK

    out = Path(out_dir).resolve()
    items = [
        (out / f["file"], datetime.fromisoformat(f["received_at"]).replace(tzinfo=BANGKOK), None)
        for f in manifest["files"]
    ]
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("".join(line + "\n" for line in iter_manifest_lines(items)), "utf-8")
    return target


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
    producers: tuple[str, ...] = (),
    format_weights: dict[str, float] | None = None,
) -> dict:
    """Fill ``out_dir`` with the province's submissions; return the manifest.

    Manifest: ``province``, ``fiscal_year``, ``round``, ``due`` (ISO date),
    ``expected`` (LAO count), ``missing`` (lao_codes with no file) and ``files``:
    one entry per file with ``file`` (name in ``out_dir``), ``lao_code``,
    ``format``/``layout``/``encoding``, ``received_at`` (ISO, local time; also the
    file's mtime; ``write_intake_manifest`` records it for collect), ``late``, ``kind`` (original / resubmission / duplicate), ``version``,
    ``defect`` and ``truth`` (the planted findings) when defective, ``measures``.
    ``skip_layouts``: layouts left out of the inbox (none by default).
    ``producers``: outside producers for clean PDFs (none by default); a file so made
    has ``producer`` and a ``layout`` of the form ``producer:layout``; producers not
    installed are left out and named in the manifest's ``skipped_producers``.
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
    records: dict[str, SubmissionRecord] = {}  # file name -> the record it was rendered from
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
        records[path.name] = record
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
    skipped = _reproduce(files, records, out, producers)
    _duplicate(files, out, rng, due)
    return {
        "province": province_th,
        "fiscal_year": fiscal_year,
        "round": round_,
        "due": due.isoformat(),
        "expected": len(rows),
        "missing": sorted(r.lao_code for r in missing),
        "files": files,
        "skipped_producers": skipped,
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


def _reproduce(
    files: list[dict],
    records: dict[str, SubmissionRecord],
    out: Path,
    producers: tuple[str, ...],
) -> list[str]:
    """Remake clean original PDFs through ``producers`` (one batch each); returns skip messages.

    Draws from its own generator seeded by the file names, so the inbox's other
    choices are the same with or without producers.
    """
    if not producers:
        return []
    skipped = [m for p in producers if (m := prod.missing(p))]
    usable = [p for p in producers if not prod.missing(p)]
    if not usable:
        return skipped
    rng = random.Random("producers:" + "|".join(f["file"] for f in files))
    jobs: list[tuple[dict, prod.Job]] = []
    for f in files:
        if f["format"] != "pdf" or f["defect"] or f["kind"] != "original":
            continue
        producer = rng.choice(usable)
        layout = rng.choice(prod.LAYOUTS[producer])
        path = (out / f["file"]).with_suffix(prod.SUFFIX[producer])
        jobs.append((f, prod.Job(producer, layout, path, record=records[f["file"]])))
    prod.produce([job for _, job in jobs])
    for f, job in jobs:
        old = out / f["file"]
        if job.path != old:
            old.unlink()
        _stamp(job.path, datetime.fromisoformat(f["received_at"]))
        f.update(
            file=job.path.name,
            format=job.path.suffix[1:],
            layout=f"{job.producer}:{job.layout}",
            producer=job.producer,
        )
    return skipped


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
