"""Guards for reading untrusted files: one exception type and a per-file deadline.

Readers raise :class:`Unreadable` with a reason an officer can act on; the
dispatcher in ``itaflow.read`` turns it into an ``unreadable_file`` finding, so a
bad file is a verdict, never a crash.
"""

from __future__ import annotations

import time
import zipfile
from dataclasses import dataclass, field

from itaflow.settings import Limits


class Unreadable(Exception):
    """The file cannot be read; ``reason`` is "<Thai> / <English>"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# Reasons shared by several readers, Thai first (officers read them).
EMPTY = "ไฟล์ว่างเปล่า ไม่มีข้อมูล / empty file"
NO_CONTENT = "เอกสารไม่มีข้อความหรือตาราง / the document contains no text or table"
NOT_A_DOCUMENT = (
    "ไม่ใช่ไฟล์เอกสารที่รองรับ (รองรับ PDF, Word .docx, Excel .xlsx/.xls, HTML, ข้อความ)"
    " / not a supported document (PDF, Word .docx, Excel .xlsx/.xls, HTML or text)"
)
ENCRYPTED = (
    "ไฟล์ถูกเข้ารหัสหรือตั้งรหัสผ่าน กรุณาส่งไฟล์ที่ไม่มีรหัสผ่าน"
    " / the file is encrypted or password-protected; send it without a password"
)
ZIP_BOMB = (
    "ไฟล์บีบอัดขยายตัวผิดปกติ (อาจเป็น zip bomb) ระบบไม่เปิดอ่าน"
    " / the compressed file expands abnormally (possible zip bomb); not opened"
)


def corrupt(kind: str, detail: str = "") -> Unreadable:
    """A damaged file of a known kind, with the library's message for the log."""
    tail = f": {detail[:200]}" if detail else ""
    if not kind:
        return Unreadable(f"ไฟล์เสียหาย เปิดอ่านไม่ได้ / the file is damaged and cannot be read{tail}")
    return Unreadable(f"ไฟล์ {kind} เสียหาย เปิดอ่านไม่ได้ / corrupt {kind} file{tail}")


def too_large(size: int, limit: int) -> Unreadable:
    return Unreadable(
        f"ไฟล์มีขนาดใหญ่เกินกำหนด ({size:,} ไบต์ เกิน {limit:,} ไบต์)"
        f" / file too large ({size:,} bytes, limit {limit:,})"
    )


def too_many_pages(pages: int, limit: int) -> Unreadable:
    return Unreadable(
        f"เอกสารมีจำนวนหน้ามากเกินกำหนด ({pages:,} หน้า เกิน {limit:,} หน้า)"
        f" / too many pages ({pages:,}, limit {limit:,})"
    )


def too_many_cells(limit: int) -> Unreadable:
    return Unreadable(
        f"ตารางมีจำนวนช่องมากเกินกำหนด (เกิน {limit:,} ช่อง) / too many table cells (limit {limit:,})"
    )


def too_many_rows(limit: int) -> Unreadable:
    return Unreadable(
        f"ตารางมีจำนวนแถวมากเกินกำหนด (เกิน {limit:,} แถว) / too many rows (limit {limit:,})"
    )


@dataclass
class Budget:
    """Time and cell budget for one file; readers call ``tick`` between pages/rows."""

    limits: Limits
    started: float = field(default_factory=time.monotonic)
    cells: int = 0
    rows: int = 0

    def tick(self, cells: int = 0) -> None:
        """Count ``cells`` more cells and give up when the time or cell limit is passed."""
        self.cells += cells
        if self.cells > self.limits.max_cells:
            raise too_many_cells(self.limits.max_cells)
        elapsed = time.monotonic() - self.started
        if elapsed > self.limits.seconds_per_file:
            raise Unreadable(
                f"อ่านไฟล์ใช้เวลานานเกินกำหนด ({self.limits.seconds_per_file:g} วินาที)"
                f" / reading took too long (limit {self.limits.seconds_per_file:g} s)"
            )

    def row(self) -> None:
        """Count one spreadsheet row, empty or not: a sheet of a million empty rows is
        refused at ``max_rows`` instead of being walked to its end."""
        self.rows += 1
        if self.rows > self.limits.max_rows:
            raise too_many_rows(self.limits.max_rows)
        if self.rows % 1000 == 0:
            self.tick()

    def pages(self, n: int) -> None:
        if n > self.limits.max_pages:
            raise too_many_pages(n, self.limits.max_pages)


def check_zip(zf: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse a zip whose central directory promises too much, before anything inflates it.

    The declared sizes are enough: Python's ``zipfile`` (used by python-docx and
    openpyxl) never inflates a member past its declared ``file_size``.
    """
    infos = zf.infolist()
    if len(infos) > limits.max_zip_entries:
        raise Unreadable(
            f"ไฟล์บีบอัดมีจำนวนไฟล์ย่อยมากเกินกำหนด ({len(infos):,} เกิน {limits.max_zip_entries:,})"
            f" / too many entries in the compressed file ({len(infos):,}, limit {limits.max_zip_entries:,})"
        )
    total = sum(max(i.file_size, 0) for i in infos)
    if total > limits.max_unzipped_bytes:
        raise Unreadable(ZIP_BOMB + f" ({total:,} > {limits.max_unzipped_bytes:,} bytes)")
    if any(i.flag_bits & 0x1 for i in infos):
        raise Unreadable(ENCRYPTED)
    for info in infos:
        check_entry(info, limits)


# Parts never parsed (pictures, fonts, embedded objects) are bounded by the total only.
_UNPARSED = ("media/", "embeddings/", "fonts/", "thumbnail")
RATIO_FLOOR = 1024 * 1024  # a small part may compress well; only big ones are judged


def check_entry(info: zipfile.ZipInfo, limits: Limits) -> None:
    """Refuse one part whose declared inflated size or compression ratio is abnormal
    (a 200 MB XML of empty paragraphs from under 1 MB), before it is inflated."""
    name = info.filename.lower()
    if any(mark in name for mark in _UNPARSED):
        return
    size = max(info.file_size, 0)
    if size > limits.max_entry_bytes:
        raise Unreadable(
            f"{ZIP_BOMB}: {info.filename[:80]} {size:,} > {limits.max_entry_bytes:,} bytes"
        )
    if size > RATIO_FLOOR:
        ratio = size / max(info.compress_size, 1)
        if ratio > limits.max_compression_ratio:
            raise Unreadable(
                f"{ZIP_BOMB}: {info.filename[:80]} ratio {ratio:,.0f}:1"
                f" > {limits.max_compression_ratio:,.0f}:1"
            )
