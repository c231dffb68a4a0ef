"""Tell what a file is from its bytes (magic numbers, zip members), never from its name.

The answer is a *kind*: a supported format, or a specific reason the file is
not one (an image, a program, a legacy Word .doc, an encrypted Office file).
"""

from __future__ import annotations

import io
import re
import zipfile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Binary formats that are certainly not documents we read: magic -> (Thai, English).
_NOT_DOCUMENTS: tuple[tuple[bytes, str, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "ไฟล์รูปภาพ (PNG)", "an image (PNG)"),
    (b"\xff\xd8\xff", "ไฟล์รูปภาพ (JPEG)", "an image (JPEG)"),
    (b"GIF87a", "ไฟล์รูปภาพ (GIF)", "an image (GIF)"),
    (b"GIF89a", "ไฟล์รูปภาพ (GIF)", "an image (GIF)"),
    (b"II*\x00", "ไฟล์รูปภาพ (TIFF)", "an image (TIFF)"),
    (b"MM\x00*", "ไฟล์รูปภาพ (TIFF)", "an image (TIFF)"),
    (b"BM", "ไฟล์รูปภาพ (BMP)", "an image (BMP)"),
    (b"RIFF", "ไฟล์รูปภาพหรือสื่อ (RIFF)", "an image or media file (RIFF)"),
    (b"MZ", "ไฟล์โปรแกรม (EXE)", "a program (EXE)"),
    (b"\x7fELF", "ไฟล์โปรแกรม (ELF)", "a program (ELF)"),
    (b"Rar!", "ไฟล์บีบอัด RAR", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "ไฟล์บีบอัด 7z", "a 7z archive"),
    (b"\x1f\x8b", "ไฟล์บีบอัด gzip", "a gzip archive"),
    (b"{\\rtf", "ไฟล์ RTF", "an RTF file"),
)


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def sniff(data: bytes) -> tuple[str, str]:
    """Return ``(kind, detail)``.

    kind is one of ``pdf``, ``docx``, ``xlsx``, ``xls``, ``text`` (decode and look
    further), ``encrypted`` (password-protected Office), ``doc`` (legacy Word),
    ``zip`` (an archive that is not docx/xlsx; when its directory is damaged,
    detail guesses "Word"/"Excel"/"zip"), ``binary`` (detail says what).
    """
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf", ""
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(data)
    if data.startswith(OLE_MAGIC):
        return _sniff_ole(data)
    for magic, th, en in _NOT_DOCUMENTS:
        if data.startswith(magic):
            return "binary", f"{th} / {en}"
    return "text", ""


def _sniff_zip(data: bytes) -> tuple[str, str]:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        # No central directory (truncated?): the local headers still name the members.
        head = data[:200_000]
        kind = "Word" if b"word/" in head else "Excel" if b"xl/" in head else "zip"
        return "zip", kind
    if "word/document.xml" in names or any(
        re.fullmatch(r"word/document\d*\.xml", n) for n in names
    ):
        return "docx", ""
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return (
            ("xlsx", "")
            if "xl/workbook.xml" in names
            else ("binary", "ไฟล์ Excel .xlsb / an Excel .xlsb workbook")
        )
    if "content.xml" in names:
        return "binary", "ไฟล์ OpenDocument (.odt/.ods) / an OpenDocument file (.odt/.ods)"
    return "zip", ""


def _sniff_ole(data: bytes) -> tuple[str, str]:
    """OLE2 compound file: legacy Excel/Word, or an encrypted OOXML package.

    Stream names are stored UTF-16LE in the directory sectors, so a byte search
    finds them without a compound-file parser.
    """
    if _utf16("EncryptedPackage") in data or _utf16("EncryptionInfo") in data:
        return "encrypted", ""
    if _utf16("Workbook") in data or _utf16("Book") in data:
        return "xls", ""
    if _utf16("WordDocument") in data:
        return "doc", ""
    return "binary", "ไฟล์ Office รุ่นเก่าที่ไม่รองรับ / an unsupported legacy Office file"
