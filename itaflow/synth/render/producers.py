"""The same report through the programs offices really make their files with.

- ``typst``: the project's own PDF (``pdf``), the producer the reader was first tuned on;
- ``libreoffice``: a .docx (``office``) exported to PDF by ``soffice --convert-to pdf``,
  as most Word/LibreOffice users' PDFs look: Thai words split by the text layer,
  ruled tables, cells and rows wrapped over lines and pages, the header repeated;
- ``chromium``: an HTML page (``browser``) printed by headless Chromium ``--print-to-pdf``;
- ``libreoffice_docx``: the same .docx opened and saved again by LibreOffice, whose
  Word XML differs from python-docx's;
- ``cairo_reprint`` (extra, not in ``PRODUCERS``): the LibreOffice PDF printed again to a
  PDF through cairo (``pdftocairo -pdf``, what a Linux desktop's "Print to File" does):
  the text layer comes out damaged the way re-printed files are (ำ as ํา or ำา, marks
  dropped or doubled), so it measures robustness beyond the issue's producers.

Outside programs are started once per batch (``soffice`` converts every file of a
batch in one call, with a private profile so parallel runs do not clash). A producer
whose program is not installed is skipped with a message saying what to install.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import fontpkg_sarabun
import typst

from itaflow.models import SubmissionRecord
from itaflow.synth.render import pdf
from itaflow.synth.render.browser import WebStyle, html_of
from itaflow.synth.render.compose import compose, rng_for
from itaflow.synth.render.office import OfficeStyle, docx_of
from itaflow.synth.render.sheet import Grid, Piece, from_doc

# layout -> (style, how compose splits the tables, ลำดับ column: yes / no / drawn)
OFFICE_LAYOUTS: dict[str, tuple[OfficeStyle, str, bool | None]] = {
    "lo_grouped": (OfficeStyle(landscape=False, font="TH SarabunPSK", size=14), "one", None),
    "lo_landscape": (OfficeStyle(landscape=True, font="Norasi", size=12), "group", True),
    "lo_long": (OfficeStyle(landscape=False, font="Loma", size=13, margin_cm=1.2), "one", False),
    "lo_distributed": (
        OfficeStyle(landscape=True, font="TH SarabunPSK", size=14, distribute=True, furniture=True),
        "pairs",
        None,
    ),
    "lo_vmerge": (OfficeStyle(landscape=True, font="Garuda", size=11, vmerge=True), "one", None),
}
WEB_LAYOUTS: dict[str, tuple[WebStyle, str, bool | None]] = {
    "chrome_table": (WebStyle(landscape=False, font="Sarabun", size_pt=11), "one", None),
    "chrome_landscape": (
        WebStyle(landscape=True, font="Garuda", size_pt=10, paragraphs=True),
        "group",
        True,
    ),
    "chrome_long": (WebStyle(landscape=False, font="Loma", size_pt=13), "one", False),
    "chrome_print": (
        WebStyle(landscape=False, font="Norasi", size_pt=12, furniture=True),
        "group",
        None,
    ),
    "chrome_rowspan": (
        WebStyle(landscape=True, font="Sarabun", size_pt=11, rowspan=True),
        "one",
        True,
    ),
}
# Faces a record's file may be set in instead of its layout's (drawn from the record's seed).
OFFICE_FONTS = ("TH SarabunPSK", "TH Sarabun New", "Laksaman", "Garuda", "Norasi", "Loma")
WEB_FONTS = ("Sarabun", "Loma", "Garuda", "Norasi", "Kinnari", "Laksaman")
LAYOUTS: dict[str, tuple[str, ...]] = {
    "typst": pdf.LAYOUTS,
    "libreoffice": tuple(OFFICE_LAYOUTS),
    "chromium": tuple(WEB_LAYOUTS),
    "libreoffice_docx": tuple(OFFICE_LAYOUTS),
    "cairo_reprint": tuple(OFFICE_LAYOUTS),
}
PRODUCERS = ("typst", "libreoffice", "chromium", "libreoffice_docx")  # the issue's producers
EXTRA_PRODUCERS = ("cairo_reprint",)  # harder than what offices mostly send; opt-in
SUFFIX = {p: ".pdf" for p in LAYOUTS} | {"libreoffice_docx": ".docx"}
# producer -> (programs that provide it, Debian package to install)
TOOLS: dict[str, tuple[tuple[str, ...], str]] = {
    "libreoffice": (("soffice", "libreoffice"), "libreoffice-writer"),
    "libreoffice_docx": (("soffice", "libreoffice"), "libreoffice-writer"),
    "chromium": (("chromium", "chromium-browser", "google-chrome"), "chromium"),
    "cairo_reprint": (("soffice", "libreoffice"), "libreoffice-writer"),
}
# producer -> a second program it needs, and its Debian package
ALSO: dict[str, tuple[str, str]] = {"cairo_reprint": ("pdftocairo", "poppler-utils")}
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--allow-file-access-from-files",
)
TIMEOUT = 600  # seconds for one outside program call (a whole soffice batch)
PIECES_TEMPLATE = Path(__file__).with_name("pieces.typ")


@dataclass
class Job:
    """One file to make: ``record`` (synthetic) or ``pieces`` (a read document) by ``producer``."""

    producer: str
    layout: str
    path: Path
    record: SubmissionRecord | None = None
    pieces: list[Piece] | None = None


def program(producer: str) -> str | None:
    """The outside program ``producer`` runs, or None when it needs none or none is installed."""
    names, _ = TOOLS.get(producer, ((), ""))
    return next((p for n in names if (p := shutil.which(n))), None)


def missing(producer: str) -> str | None:
    """Why ``producer`` cannot run here (a message for people), or None when it can."""
    if producer not in LAYOUTS:
        return f"unknown producer {producer!r} (known: {', '.join(LAYOUTS)})"
    if producer in TOOLS and program(producer) is None:
        names, package = TOOLS[producer]
        return (
            f"producer {producer} skipped: none of {', '.join(names)} is on PATH "
            f"(install the Debian package {package})"
        )
    if producer in ALSO and shutil.which(ALSO[producer][0]) is None:
        name, package = ALSO[producer]
        return (
            f"producer {producer} skipped: {name} is not on PATH "
            f"(install the Debian package {package})"
        )
    return None


def style_of(job: Job) -> OfficeStyle | WebStyle:
    """The layout's style; a record's file varies its face and size as its author would."""
    style = (OFFICE_LAYOUTS.get(job.layout) or WEB_LAYOUTS[job.layout])[0]
    if job.record is None:
        return style
    rng = rng_for(job.record, "producer")
    if rng.random() < 0.5:
        return style
    if isinstance(style, OfficeStyle):
        return replace(style, font=rng.choice(OFFICE_FONTS), size=style.size + rng.choice([-1, 1]))
    return replace(style, font=rng.choice(WEB_FONTS), size_pt=style.size_pt + rng.choice([-1, 1]))


def _pieces(job: Job) -> list[Piece]:
    if job.pieces is not None:
        return job.pieces
    assert job.record is not None
    table = OFFICE_LAYOUTS.get(job.layout) or WEB_LAYOUTS[job.layout]
    _, split, seq = table
    return from_doc(compose(job.record, split, with_seq=seq))


def _typst_pieces(pieces: list[Piece], layout: str, path: Path) -> None:
    """Any document through the Typst producer, laid out as ``layout`` of ``pdf`` says."""
    items = []
    for p in pieces:
        if isinstance(p, Grid):
            items.append(
                {
                    "kind": "grid",
                    "header": [h.split("\n") for h in p.header],
                    "widths": p.weights(),
                    "rows": [
                        {
                            "kind": k,
                            "cells": [[pdf.breakable(x) for x in c.split("\n")] for c in cs],
                        }
                        for k, cs in p.rows
                    ],
                }
            )
        else:
            items.append({"kind": "para", "text": p.text, "align": p.align, "bold": p.bold})
    data = {
        "landscape": layout != "pdf_table",
        "ruled": layout != "pdf_unruled",
        "size": 10,
        "pieces": items,
    }
    path.write_bytes(
        typst.compile(
            str(PIECES_TEMPLATE),
            font_paths=[str(fontpkg_sarabun.ROOT / "files")],
            ignore_system_fonts=True,
            sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
            timestamp=1735689600,
        )
    )


def _run(cmd: list[str], what: str) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed ({done.returncode}): {done.stderr[-800:]}")


def _soffice(jobs: list[Job], target: str, tmp: Path) -> None:
    """Every job's .docx converted by one soffice call (pdf, or docx saved by LibreOffice)."""
    batch = Path(tempfile.mkdtemp(prefix=f"{target}-", dir=tmp))
    src, out = batch / "src", batch / "out"
    src.mkdir()
    out.mkdir()
    names = []
    for i, job in enumerate(jobs):
        style = style_of(job)
        assert isinstance(style, OfficeStyle)
        names.append(str(docx_of(_pieces(job), style, src / f"{i:05d}.docx")))
    profile = (tmp / "lo-profile").as_uri()
    convert = "pdf:writer_pdf_Export" if target == "pdf" else "docx:MS Word 2007 XML"
    cmd = [str(program("libreoffice")), f"-env:UserInstallation={profile}", "--headless"]
    cmd += ["--norestore", "--convert-to", convert, "--outdir", str(out), *names]
    _run(cmd, "soffice --convert-to " + target)
    for i, job in enumerate(jobs):
        made = out / f"{i:05d}.{target}"
        if not made.is_file():
            raise RuntimeError(f"soffice made no {made.name} for {job.path.name}")
        shutil.move(made, job.path)


def _reprint(jobs: list[Job], tmp: Path) -> None:
    """The LibreOffice PDF of each job printed again to PDF through cairo."""
    exported = [replace(job, path=tmp / f"export-{i:05d}.pdf") for i, job in enumerate(jobs)]
    _soffice(exported, "pdf", tmp)
    for source, job in zip(exported, jobs, strict=True):
        _run(
            [str(shutil.which("pdftocairo")), "-pdf", str(source.path), str(job.path)], "pdftocairo"
        )


def _chromium(jobs: list[Job], tmp: Path) -> None:
    """Each job's page printed by headless Chromium (one call per page: it prints one)."""
    exe = str(program("chromium"))
    profile = tmp / "chromium-profile"
    for i, job in enumerate(jobs):
        page = tmp / f"{i:05d}.html"
        style = style_of(job)
        assert isinstance(style, WebStyle)
        page.write_text(html_of(_pieces(job), style), encoding="utf-8")
        made = tmp / f"{i:05d}.pdf"
        cmd = [exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={made}"]
        if not style.furniture:
            cmd.append("--no-pdf-header-footer")
        _run([*cmd, page.as_uri()], "chromium --print-to-pdf")
        if not made.is_file():
            raise RuntimeError(f"chromium printed no PDF for {job.path.name}")
        shutil.move(made, job.path)


def produce(jobs: list[Job]) -> list[str]:
    """Make every job's file; returns the messages of producers skipped as not installed.

    Jobs of a skipped producer make no file. Layouts are checked before anything runs.
    """
    for job in jobs:
        if job.producer in LAYOUTS and job.layout not in LAYOUTS[job.producer]:
            raise ValueError(f"producer {job.producer} has no layout {job.layout!r}")
    skipped: list[str] = []
    by_producer: dict[str, list[Job]] = {}
    for job in jobs:
        by_producer.setdefault(job.producer, []).append(job)
    with tempfile.TemporaryDirectory(prefix="itaflow-producers-") as name:
        tmp = Path(name)
        for producer, group in by_producer.items():
            reason = missing(producer)
            if reason:
                skipped.append(reason)
            elif producer == "typst":
                for job in group:
                    if job.record is not None:
                        pdf.pdf(job.record, job.layout, job.path)
                    else:
                        _typst_pieces(_pieces(job), job.layout, job.path)
            elif producer == "chromium":
                _chromium(group, tmp)
            elif producer == "cairo_reprint":
                _reprint(group, tmp)
            else:
                _soffice(group, "pdf" if producer == "libreoffice" else "docx", tmp)
    return skipped


__all__ = [
    "EXTRA_PRODUCERS",
    "LAYOUTS",
    "PRODUCERS",
    "SUFFIX",
    "Job",
    "missing",
    "produce",
    "program",
]
