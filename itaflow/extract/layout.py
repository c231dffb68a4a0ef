"""A Document's blocks as lines of text and rows of measure tables.

Formats differ in where things sit (Excel puts the title and signature in the
sheet's cells, text files repeat the header before every measure, PDFs split a
table over pages), so every table is read the same way: rows above its header
are text lines, rows below it are data until a signature starts; a table with no
header continues the previous one when it has as many columns. Repeated header
rows, page numbers and ด้าน IIT/EIT/OIT group rows are recognised, not taken as
measures; so are column titles wrapped onto the rows below a header (PDFs), which
join the header.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from itaflow.extract.cells import category_heading
from itaflow.extract.columns import (
    MIN_SCORE,
    Header,
    best_title,
    field_scores,
    header_likeness,
    key,
    map_header,
)
from itaflow.models import Document

SIGNATURE = re.compile(
    r"ลงชื่อ|ผู้รายงาน|ผู้รับรอง|ผู้ตรวจสอบ"
    r"|^\s*\(\s*(?:นาย|นาง|น\.ส\.|ว่าที่|ดร\.|ร\.ต\.|จ\.ส\.|พ\.จ\.|ส\.อ\.|พันจ่า|สิบ)"
)
PAGE_FURNITURE = re.compile(
    r"^\s*(?:-\s*)?(?:หน้า(?:ที่)?\s*)?[\d๐-๙]{1,3}(?:\s*-)?\s*$|^\s*(?:page|หน้า)\s*[\d๐-๙]+\s*(?:/|จาก|of)\s*[\d๐-๙]+\s*$",
    re.I,
)
_HEADER_SCAN_ROWS = 60  # Excel sheets put title, agency and intro rows above the header
# A row with only its first cell filled that starts like this groups the
# measures below it ("กลยุทธ์ที่ 1 : ..."); it is not a measure.
_GROUP_ROW = re.compile(r"^\s*(?:กลยุทธ์|ยุทธศาสตร์|มิติที่|แผนงานที่|ประเด็นยุทธศาสตร์|หมวด|ส่วนที่)")


@dataclass
class Line:
    text: str  # raw
    order: int
    page: int | None = None
    from_table: bool = False


@dataclass
class Row:
    cells: list[str]  # raw, one per column
    header: Header
    table: int
    order: int
    category: str | None
    page: int | None = None
    after_repeated_header: bool = False  # a header row was repeated mid-table just before it

    def get(self, field: str) -> str:
        col = self.header.col(field)
        return self.cells[col] if col is not None and col < len(self.cells) else ""


@dataclass
class Layout:
    lines: list[Line] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    headers: list[Header] = field(default_factory=list)
    first_table_order: int | None = None  # order of the first measure-table row


def _title_and_spill(cell: str, known: str | None = None) -> tuple[str, str]:
    """A repeated header cell's title and any text below it that belongs to the row above.

    A PDF read without ruling lines can put the tail of the last row of a page
    under the next page's repeated header ("วิธีการดำเนินการ\n๒. ตรวจสอบ...").
    ``known`` is the column's title in the header seen before: the first lines
    that spell it are the title. Otherwise the first line(s) are the title only
    when they read strictly better as one than the whole cell, so a title
    wrapped over lines ("มาตรการ\nส่งเสริม\nคุณธรรมและ\nความโปร่งใส") stays whole.
    """
    lines = cell.split("\n")
    if len(lines) == 1:
        return cell, ""
    if known and (want := key(known)):
        for k in range(1, len(lines) + 1):
            if key("".join(lines[:k])) == want:
                return " ".join(lines[:k]), "\n".join(lines[k:])
    best_k, best = 0, max(field_scores(cell).values(), default=0.0)
    for k in range(1, min(3, len(lines)) + 1):
        score = max(field_scores(" ".join(lines[:k])).values(), default=0.0)
        if score >= MIN_SCORE and (score > best or (best_k and score == best)):
            best_k, best = k, score
    if best_k == 0:
        return cell, ""
    return " ".join(lines[:best_k]), "\n".join(lines[best_k:])


def _as_header(cells: list[str], known: list[str] | None) -> tuple[Header | None, list[str]]:
    """The header a row spells (titles cut from spilled text) and the spill.

    Only a header repeated after one seen before (``known``: its titles) can
    have text spilled into it. A first header is all title: its first lines
    choose the fields (a note below a title does not hide it), and the whole
    cells stay its titles, for recognising the header when it repeats.
    """
    if known is None or len(known) != len(cells):
        return _map_titles(cells), []
    split = _cut_titles(cells, known)
    header = map_header([t for t, _ in split])
    return header, [sp for _, sp in split] if header else []


def _cut_titles(cells: list[str], known: list[str] | None) -> list[tuple[str, str]]:
    """(title, spill) per cell, against the known titles when they fit the row."""
    if known is None or len(known) != len(cells):
        return [_title_and_spill(c) for c in cells]
    return [_title_and_spill(c, k) for c, k in zip(cells, known, strict=True)]


def _map_titles(cells: list[str]) -> Header | None:
    """``map_header`` on the titles cut from the cells, keeping the whole cells as titles."""
    header = map_header([_title_and_spill(c)[0] for c in cells])
    return header and Header(fields=header.fields, titles=list(cells), score=header.score)


def _repeats(titles: list[str], known: list[str] | None) -> bool:
    """Whether a header row starts the header seen before (each title, or its first lines)."""
    return (
        known is not None
        and len(known) == len(titles)
        and all(key(k).startswith(key(t)) for t, k in zip(titles, known, strict=True))
    )


_DIGIT = re.compile(r"[\d๐-๙]")
_TITLE_ROWS_MAX = 4


def _width(text: str) -> int:
    """How wide a line prints: marks above and below Thai letters take no room."""
    return sum(1 for ch in text if unicodedata.category(ch) != "Mn")


def _title_continued(
    titles: list[str], fields: list[str | None], cells: list[str], known: list[str] | None
) -> list[str] | None:
    """``titles`` with the row ``cells`` appended when that row carries on wrapped
    column titles, else None.

    A PDF reader can give a header whose titles wrap over lines as a header row
    and continuation rows ("มาตรการ" over "ส่งเสริม" over "คุณธรรมและ" ...).
    Under a repeated header (``known``: the titles seen before) the row must
    spell how those titles go on. Under a first header each filled cell must
    sit under a title, hold no number or date (so no ลำดับ and no period) and
    be no wider than a wrapped line of that title (a title wraps at its column's
    width; a data cell under a short title runs wider), and every column must
    keep the field its title gave it.
    """
    filled = [i for i, c in enumerate(cells) if c.strip()]
    if not filled or len(cells) != len(titles):
        return None
    joined = [f"{t}\n{c.strip()}" if c.strip() else t for t, c in zip(titles, cells, strict=True)]
    if known is not None:
        return joined if all(key(known[i]).startswith(key(joined[i])) for i in filled) else None
    for i in filled:
        room = max(map(_width, titles[i].split("\n")))
        lines = cells[i].strip().split("\n")
        if (
            not titles[i].strip()
            or len(lines) > _TITLE_ROWS_MAX
            or any(_width(ln) > 1.5 * room + 3 for ln in lines)
            or _DIGIT.search(cells[i])
            or SIGNATURE.search(cells[i])
            or category_heading(cells[i])
            or _GROUP_ROW.match(cells[i])
        ):
            return None
    after = map_header(joined)
    if after is None or any(
        f is not None and f != a for f, a in zip(fields, after.fields, strict=True)
    ):
        return None
    return joined


def _with_title_rows(
    header: Header, below: list[list[str]], known: list[str] | None
) -> tuple[Header, int]:
    """The header with its wrapped continuation rows merged in, and how many rows they were."""
    known = known if _repeats(header.titles, known) else None
    titles, used = header.titles, 0
    for cells in below[:_TITLE_ROWS_MAX]:
        joined = _title_continued(titles, header.fields, cells, known)
        if joined is None:
            break
        titles, used = joined, used + 1
    merged = map_header(titles) if used else None
    return (merged, used) if merged else (header, 0)


def _header_at(
    rows: list[list[str]], known: list[str] | None = None
) -> tuple[int, int, Header, list[str]] | None:
    """(first row, rows used, header, spilled cells) of the first header in the top rows.

    A header may span two rows (a spanning title over sub-titles, or a title
    wrapped into the next row); the pair is tried when it maps more columns.
    Titles wrapped over more rows are merged in (``_with_title_rows``).
    ``known``: the titles of the header seen before, which this one may repeat.
    """
    for i, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        single, spill = _as_header(row, known)
        pair = None
        if i + 1 < len(rows) and any(field_scores(c) for c in row):
            below = rows[i + 1]
            merged = [
                best_title(f"{a} {b}".strip(), b, a) for a, b in zip(row, below, strict=False)
            ]
            if single is None or header_likeness(below) >= 0.5:
                pair = map_header(merged)
            next_single = map_header(below)
            if pair and single is None and next_single and _mapped(next_single) >= _mapped(pair):
                pair = None  # the row below is the whole header on its own
        if pair and (single is None or _mapped(pair) > _mapped(single)):
            return i, 2, pair, []
        if single:
            if any(c.strip() for c in spill):
                return i, 1, single, spill
            header, more = _with_title_rows(single, rows[i + 1 :], known)
            return i, 1 + more, header, []
    return None


def _mapped(h: Header) -> int:
    return sum(1 for f in h.fields if f)


def _filled(cells: list[str]) -> list[str]:
    return [c.strip() for c in cells if c and c.strip()]


def _is_repeat_header(cells: list[str], known: list[str] | None = None) -> bool:
    titles = [t for t, _ in _cut_titles(cells, known)]
    return header_likeness(titles) >= 0.6 and map_header(titles) is not None


def _is_sub_header(cells: list[str], header: Header, lead: int) -> bool:
    """Under-titles below a spanning title ("การดำเนินงาน" over "ดำเนินการแล้ว |
    ยังมิได้ดำเนินการ"): short words with no digits, nothing in the measure
    column, and at least one under a column the header leaves untitled."""
    filled = [i for i, c in enumerate(cells) if c.strip()]
    return (
        bool(filled)
        and lead not in filled
        and any(i < len(header.titles) and not header.titles[i].strip() for i in filled)
        and all(len(cells[i]) <= 30 and not re.search(r"[\d๐-๙]", cells[i]) for i in filled)
    )


_TITLE_LINE = re.compile(
    r"^(?:รายงาน|แบบรายงาน|ประจำปีงบประมาณ|ปีงบประมาณ)"
    r"|^(?:องค์การบริหารส่วน|เทศบาล|อบต\.|อบจ\.).{0,40}(?:อำเภอ|จังหวัด|อ\.|จ\.)"
)


def _text_in_table(text: str, below: list[list[str]]) -> bool:
    """A one-cell row that is a title or agency line repeated inside the table
    (one Excel sheet holding what a text file repeats before every measure):
    it reads like one, or the rows below it lead to a repeated header."""
    if _TITLE_LINE.search(text.strip()):
        return True
    for cells in below:
        if len(_filled(cells)) > 1:
            return _is_repeat_header(cells)
    return False


def layout(doc: Document) -> Layout:
    """Split the document into text lines and measure rows, in reading order."""
    out = Layout()
    order = 0
    category: str | None = None
    last: Header | None = None

    def add_line(text: str, page: int | None, from_table: bool = False) -> None:
        nonlocal order, category
        if text.strip():
            out.lines.append(Line(text, order, page, from_table))
            category = category_heading(text) or category
            order += 1

    for t_index, block in enumerate(doc.blocks):
        if block.kind == "text":
            add_line(block.text, block.page)
            continue
        rows = [[c or "" for c in r] for r in block.rows if _filled(r)]
        if not rows:
            continue
        found = _header_at(rows, last.titles if last else None)
        if found:
            start, used, header, spill = found
            for r in rows[:start]:
                add_line(" ".join(_filled(r)), block.page, True)
            data = ([spill] if any(c.strip() for c in spill) else []) + rows[start + used :]
            out.headers.append(header)
            last = header
        elif last is not None and len(rows[0]) == len(last.fields):
            header, data = last, rows
        else:
            for r in rows:
                add_line(" ".join(_filled(r)), block.page, True)
            continue
        repeated = False
        seen_data = False
        lead = next(
            (c for f in ("measure", "issue", "steps") if (c := header.col(f)) is not None), 0
        )
        skip = 0
        for i, cells in enumerate(data):
            if skip:
                skip -= 1
                continue
            filled = _filled(cells)
            if i == 0 and found and _is_sub_header(cells, header, lead):
                continue
            if _is_repeat_header(cells, header.titles):
                repeated = seen_data
                again, spill = _as_header(cells, header.titles)
                if not any(c.strip() for c in spill):
                    if again:  # its titles may wrap onto the rows below
                        skip = _with_title_rows(again, data[i + 1 :], header.titles)[1]
                    continue
                cells, filled = spill, _filled(spill)
            if (
                len(filled) == 1
                and len(cells) >= 3
                and cells[0].strip()  # continuation rows fill other columns
                and _text_in_table(filled[0], data[i + 1 :])
            ):
                add_line(filled[0], block.page, True)
                seen_data = False  # a title before a repeated header starts a new section
                continue
            if len(filled) == 1 and (cat := category_heading(filled[0])):
                category = cat
                continue
            if len(filled) == 1 and (
                PAGE_FURNITURE.match(filled[0]) or _GROUP_ROW.match(filled[0])
            ):
                continue
            if any(SIGNATURE.search(c) for c in filled[:2]) and len(filled) <= 2:
                for r in data[i:]:
                    add_line(" ".join(_filled(r)), block.page, True)
                break
            if out.first_table_order is None:
                out.first_table_order = order
            out.rows.append(Row(cells, header, t_index, order, category, block.page, repeated))
            repeated = False
            seen_data = True
            order += 1
    return out
