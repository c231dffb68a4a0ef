"""Characters and ruling edges of a PDF page from PDFium (pypdfium2), in pdfplumber's shape.

PDFium interprets a page's content ~16x cheaper than pdfminer and honours
``/ActualText`` itself (Typst, Word, Skia wrap Thai clusters in it). What it
gives is reshaped here so the rest of the reader does not care where it came
from: characters as dicts with ``text x0 x1 top bottom size`` (top-down
coordinates), rulings as pdfplumber edges for its table finder.

Two things are repaired on the way:

- the vertical box is taken from the glyph's baseline and font size, so a
  cluster whose box PDFium made from its ink (a mark below or above) stays on
  its line;
- a glyph whose ToUnicode entry is a whole cluster (Chromium/Skia maps every
  glyph of ``ส่`` to ``ส่``) repeats the cluster once per glyph; a repeat that
  sits inside the cluster's own box is dropped.
"""

from __future__ import annotations

import ctypes
import unicodedata

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

# Chromium draws สระอำ as nikhahit + sara aa and gives the character only the
# nikhahit's box (0.2 em); the sara aa then reads as a word gap ("ดำ เนิน").
# Other producers' boxes for it are 0.5-0.7 em wide.
_NARROW_AM = 0.35  # x font size: a box narrower than this lacks its sara aa
_AM_WIDTH = 0.55  # x font size: the whole glyph's width
_REPEAT_SLACK = 0.5  # points: a repeated cluster's tiny box may sit just past the first's edge
MAX_PATHS = 5_000  # more drawn objects than this on a page is a drawing, not a table
_THIN = 2.5
GENERATED_GAP = 0.15  # x font size: a generated space in a narrower gap is not a word break  # points: a filled box thinner than this is a ruling drawn as a rectangle


def chars(page: pdfium.PdfPage) -> list[dict]:
    """The page's characters in content-stream order. PDFium's generated line
    breaks are left out; its generated spaces are kept (it sees the word gaps a
    producer made by positioning, such as ``TJ`` offsets)."""
    height = page.get_height()
    textpage = page.get_textpage()
    try:
        return _chars(textpage.raw, height)
    finally:
        textpage.close()


def _chars(raw, height: float) -> list[dict]:
    n = pdfium_c.FPDFText_CountChars(raw)
    box = pdfium_c.FS_RECTF()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    out: list[dict] = []
    groups: list[tuple[float, float, str, int]] = []  # (origin x, origin y, text, first index)
    for i in range(n):
        code = pdfium_c.FPDFText_GetUnicode(raw, i)
        generated = pdfium_c.FPDFText_IsGenerated(raw, i) == 1
        if code in (0, 10, 13) or (generated and code != 32):
            continue
        pdfium_c.FPDFText_GetLooseCharBox(raw, i, box)
        pdfium_c.FPDFText_GetCharOrigin(raw, i, ox, oy)
        size = pdfium_c.FPDFText_GetFontSize(raw, i) or abs(box.top - box.bottom) or 1.0
        if generated and out:
            size = out[-1]["size"]  # PDFium gives its own spaces size 1
        baseline = height - oy.value
        char = {
            "text": "-" if code == 2 else chr(code),  # PDFium's mark for a hyphen
            "x0": min(box.left, box.right),
            "x1": min(box.left, box.right) if generated else max(box.left, box.right),
            "top": baseline - 0.8 * size,
            "bottom": baseline + 0.2 * size,
            "size": size,
            "generated": generated,
            "spread": False,
        }
        if (
            groups
            and groups[-1][:2] == (ox.value, oy.value)
            and not generated
            and abs(char["x0"] - out[-1]["x1"]) < 0.05  # pieces of one glyph's box abut
        ):
            groups[-1] = (*groups[-1][:2], groups[-1][2] + char["text"], groups[-1][3])
            for c in out[groups[-1][3] :]:
                c["spread"] = char["spread"] = True  # one glyph, several characters
        else:
            _drop_repeat(out, groups)
            groups.append((ox.value, oy.value, char["text"], len(out)))
        out.append(char)
    _drop_repeat(out, groups)
    kept = _pair_surrogates([c for c in out if c["text"]])
    for c in kept:
        if c["text"] == "\u0e33" and c["x1"] - c["x0"] < _NARROW_AM * c["size"]:
            c["x1"] = c["x0"] + _AM_WIDTH * c["size"]
    spaced = []
    for k, c in enumerate(kept):
        if c["generated"]:
            right = _word_gap(kept, k)
            if right is None:
                continue
            c["x0"] = c["x1"] = right  # PDFium's box for it may start inside the word before
        spaced.append(c)
    for c in spaced:
        del c["generated"], c["spread"]
    return spaced


def _pair_surrogates(chars: list[dict]) -> list[dict]:
    """PDFium counts UTF-16 units: a character beyond U+FFFF comes as two; join
    them, and make a lone half U+FFFD (it cannot be written as UTF-8)."""
    out: list[dict] = []
    for c in chars:
        code = ord(c["text"])
        if 0xDC00 <= code <= 0xDFFF and out and 0xD800 <= ord(out[-1]["text"][-1]) <= 0xDBFF:
            high = ord(out[-1]["text"][-1])
            out[-1]["text"] = chr(0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00))
            continue
        out.append(c)
    for c in out:
        if len(c["text"]) == 1 and 0xD800 <= ord(c["text"]) <= 0xDFFF:
            c["text"] = "\ufffd"
    return out


def _word_gap(chars: list[dict], k: int) -> float | None:
    """Where PDFium's generated space at ``k`` stands (the right edge of the text
    before it), or None when it is not in a real gap on its line
    (it also guesses spaces inside a glyph that stands for several characters,
    after a mark whose box is narrower than its base, and inside Thai words)."""
    if k == 0 or k + 1 >= len(chars):
        return None
    base = k - 1
    while base > 0 and unicodedata.category(chars[base]["text"][0]) in ("Mn", "Me"):
        base -= 1
    before, after = chars[base], chars[k + 1]
    if abs(before["top"] - after["top"]) > before["size"] / 2:
        return None
    if before["spread"] or after["spread"] or chars[k - 1]["spread"]:
        return None
    if _thai(before["text"]) and _thai(after["text"]):
        return None  # Thai puts no space between words: a guess between two Thai letters is noise
    right = max(c["x1"] for c in chars[base:k])
    return right if after["x0"] - right >= GENERATED_GAP * before["size"] else None


def _thai(text: str) -> bool:
    """A Thai letter or mark (Thai digits are not: "๒๕๖๖ รอบ" keeps its space)."""
    return "\u0e01" <= text[:1] <= "\u0e4f"


def _drop_repeat(out: list[dict], groups: list[tuple[float, float, str, int]]) -> None:
    """Blank the last glyph group when it repeats a multi-character cluster drawn
    just before it and is centred inside that cluster's box (one cluster, two glyphs)."""
    if len(groups) < 2:
        return
    _, y, text, first = groups[-1]
    if len(text) < 2:
        return
    mine = out[first:]
    for _, py, ptext, pfirst in reversed(groups[-4:-1]):
        if ptext != text or py != y:
            continue
        theirs = out[pfirst : pfirst + len(ptext)]
        left, right = min(c["x0"] for c in theirs), max(c["x1"] for c in theirs)
        middle = (min(c["x0"] for c in mine) + max(c["x1"] for c in mine)) / 2
        if left - _REPEAT_SLACK <= middle <= right + _REPEAT_SLACK:
            for c in mine:
                c["text"] = ""
            groups.pop()
        return


def edges(page: pdfium.PdfPage) -> list[dict]:
    """Horizontal and vertical rulings as pdfplumber edges (top-down coordinates).

    A rectangle gives its four sides when it is stroked or thin (a filled, wide
    box is cell shading, not a ruling); other paths give their straight
    axis-parallel segments. Form XObjects are looked into.
    """
    height = page.get_height()
    found: list[dict] = []
    count = [0]
    for i in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        _walk(pdfium_c.FPDFPage_GetObject(page.raw, i), (1, 0, 0, 1, 0, 0), height, found, count)
        if count[0] > MAX_PATHS:
            return []
    return found


def has_image(page: pdfium.PdfPage) -> bool:
    """Whether the page draws an image (a scan is one), at its top level or in a form."""

    def walk(obj) -> bool:
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            return True
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            n = pdfium_c.FPDFFormObj_CountObjects(obj)
            return any(walk(pdfium_c.FPDFFormObj_GetObject(obj, k)) for k in range(n))
        return False

    n = pdfium_c.FPDFPage_CountObjects(page.raw)
    return any(walk(pdfium_c.FPDFPage_GetObject(page.raw, i)) for i in range(n))


Matrix = tuple[float, float, float, float, float, float]


def _compose(m: Matrix, n: Matrix) -> Matrix:
    """``m`` applied first, then ``n``."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    )


def _matrix(obj) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return (1, 0, 0, 1, 0, 0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _walk(obj, outer: Matrix, height: float, found: list[dict], count: list[int]) -> None:
    kind = pdfium_c.FPDFPageObj_GetType(obj)
    if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
        inner = _compose(_matrix(obj), outer)
        for k in range(pdfium_c.FPDFFormObj_CountObjects(obj)):
            _walk(pdfium_c.FPDFFormObj_GetObject(obj, k), inner, height, found, count)
        return
    if kind != pdfium_c.FPDF_PAGEOBJ_PATH:
        return
    count[0] += 1
    if count[0] > MAX_PATHS:
        return
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke)
    if not fill.value and not stroke.value:
        return  # a clipping path draws nothing
    a, b, c, d, e, f = _compose(_matrix(obj), outer)
    x, y = ctypes.c_float(), ctypes.c_float()
    for points, closed in _subpaths(obj, x, y):
        page_pts = [(a * px + c * py + e, height - (b * px + d * py + f)) for px, py in points]
        found.extend(_path_edges(page_pts, closed, bool(stroke.value)))


def _subpaths(obj, x: ctypes.c_float, y: ctypes.c_float):
    """Straight-line subpaths of a path object as (points, closed); a curve ends one."""
    points: list[tuple[float, float]] = []
    closed = False
    for k in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, k)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
        if kind != pdfium_c.FPDF_SEGMENT_LINETO:
            if len(points) >= 2:
                yield points, closed
            points, closed = (
                ([(x.value, y.value)] if kind == pdfium_c.FPDF_SEGMENT_MOVETO else []),
                False,
            )
            continue
        points.append((x.value, y.value))
        if pdfium_c.FPDFPathSegment_GetClose(seg):
            closed = True
    if len(points) >= 2:
        yield points, closed


def _edge(x0: float, top: float, x1: float, bottom: float, orientation: str) -> dict:
    return {
        "object_type": f"{orientation}_edge",
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": orientation,
    }


def _path_edges(pts: list[tuple[float, float]], closed: bool, stroked: bool) -> list[dict]:
    if closed and pts[0] != pts[-1]:
        pts = [*pts, pts[0]]
    xs, ys = {round(p[0], 2) for p in pts}, {round(p[1], 2) for p in pts}
    if len(pts) == 5 and len(xs) == 2 and len(ys) == 2:  # an axis-parallel rectangle
        x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
        if not stroked and min(x1 - x0, bottom - top) >= _THIN:
            return []
        return [
            _edge(x0, top, x1, top, "h"),
            _edge(x0, bottom, x1, bottom, "h"),
            _edge(x0, top, x0, bottom, "v"),
            _edge(x1, top, x1, bottom, "v"),
        ]
    out = []
    for (xa, ya), (xb, yb) in zip(pts, pts[1:], strict=False):
        if abs(ya - yb) < 0.01:
            out.append(_edge(min(xa, xb), ya, max(xa, xb), ya, "h"))
        elif abs(xa - xb) < 0.01:
            out.append(_edge(xa, min(ya, yb), xa, max(ya, yb), "v"))
    return out
