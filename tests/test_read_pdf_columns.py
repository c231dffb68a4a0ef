"""Tables without rulings in PDFs: columns from where the words sit, rows from the padding."""

from __future__ import annotations

import random

import fontpkg_sarabun
import pytest
import typst

from itaflow.read import read_bytes, read_path
from itaflow.synth.records import make_record, random_round, registry
from itaflow.synth.render import render
from itaflow.synth.render.compose import compose


def _pdf(body: str, size: int = 11) -> bytes:
    source = (
        '#set page(paper: "a4", flipped: true, margin: 1.5cm)\n'
        f'#set text(font: "Sarabun", size: {size}pt, lang: "th", features: (mark: 0, mkmk: 0))\n'
        + body
    )
    return typst.compile(
        source.encode(), font_paths=[str(fontpkg_sarabun.ROOT)], ignore_system_fonts=True
    )


def _tables(doc) -> list[list[list[str]]]:
    return [b.rows for b in doc.blocks if b.kind == "table"]


def _flat(text: str) -> str:
    return "".join(text.replace("\u200b", "").split())


HEADER = "[ลำดับ], [มาตรการ], [ขั้นตอนการดำเนินการ], [ผู้รับผิดชอบ], [ผลการดำเนินการ],"
ROW = (
    "[{n}.], [มาตรการที่ {n} การป้องกันการทุจริตในการจัดซื้อจัดจ้าง],"
    " [จัดทำแผนการดำเนินงาน#linebreak()ประชุมชี้แจงเจ้าหน้าที่#linebreak()รายงานผลต่อผู้บริหาร],"
    " [สำนักปลัด], [ดำเนินการแล้ว {n} ครั้ง],"
)


def _borderless(rows: int, inset: str = "(x: 5pt, y: 5pt)", header_align: str = "center") -> str:
    body = " ".join(ROW.format(n=n) for n in range(1, rows + 1))
    return (
        "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส\n\n"
        f"#table(columns: (0.8fr, 2fr, 2.4fr, 1.4fr, 2fr), stroke: none, inset: {inset},\n"
        f"  table.header(..({HEADER}).map(h => align({header_align}, strong(h)))),\n"
        f"  {body}\n)\n"
    )


def test_padded_rows_over_pages_keep_one_set_of_columns():
    doc = read_bytes(_pdf(_borderless(24)), "report.pdf")
    tables = _tables(doc)
    assert len(tables) == doc.pages >= 2  # the header repeats on every page
    for rows in tables:
        assert rows[0] == ["ลำดับ", "มาตรการ", "ขั้นตอนการดำเนินการ", "ผู้รับผิดชอบ", "ผลการดำเนินการ"]
    body = [row for rows in tables for row in rows[1:]]
    assert [row[0] for row in body] == [f"{n}." for n in range(1, 25)]
    for n, row in enumerate(body, start=1):
        assert _flat(row[1]) == _flat(f"มาตรการที่ {n} การป้องกันการทุจริตในการจัดซื้อจัดจ้าง")
        assert row[2].split("\n") == [
            "จัดทำแผนการดำเนินงาน",
            "ประชุมชี้แจงเจ้าหน้าที่",
            "รายงานผลต่อผู้บริหาร",
        ]
        assert row[3:] == ["สำนักปลัด", f"ดำเนินการแล้ว {n} ครั้ง"]


def test_rows_without_padding_start_at_their_number():
    doc = read_bytes(_pdf(_borderless(3, inset="(x: 6pt, y: 0pt)")), "report.pdf")
    (rows,) = _tables(doc)
    assert [row[0] for row in rows] == ["ลำดับ", "1.", "2.", "3."]
    assert all(len(row[2].split("\n")) == 3 and row[3] == "สำนักปลัด" for row in rows[1:])


def test_titles_centred_vertically_stay_in_the_header_row():
    table = _borderless(2).replace(
        "stroke: none,",
        "stroke: none, align: (x, y) => if y == 0 { center + horizon } else { left },",
    )
    table = table.replace(
        "[ผลการดำเนินการ],", "[ผลการดำเนินการตามมาตรการ#linebreak()ที่ได้กำหนดไว้#linebreak()ในแผน],"
    )
    doc = read_bytes(_pdf(table), "report.pdf")
    (rows,) = _tables(doc)
    assert rows[0][4] == "ผลการดำเนินการตามมาตรการ\nที่ได้กำหนดไว้\nในแผน"
    assert rows[0][:2] == ["ลำดับ", "มาตรการ"] and [row[0] for row in rows[1:]] == ["1.", "2."]
    assert "รายงานผลการดำเนินการ" in doc.blocks[0].text


def test_two_tables_on_a_page_each_with_its_own_columns():
    second = (
        "\n\nหน่วยงานได้ดำเนินการเผยแพร่ผลการดำเนินงานต่อสาธารณะผ่านช่องทางต่าง ๆ"
        " ของหน่วยงานอย่างต่อเนื่อง ทั้งเว็บไซต์ บอร์ดประชาสัมพันธ์ และสื่อสังคมออนไลน์"
        " เพื่อให้ประชาชนได้รับทราบและมีส่วนร่วมในการติดตามตรวจสอบการดำเนินงาน\n\n"
        "#table(columns: (1fr, 1fr, 3fr), stroke: none, inset: 5pt,\n"
        "  [ช่องทาง], [จำนวนครั้ง], [หมายเหตุ],\n"
        "  [เว็บไซต์], [12], [เผยแพร่ทุกเดือน],\n"
        "  [บอร์ด], [4], [ทุกไตรมาส],\n)\n"
    )
    doc = read_bytes(_pdf(_borderless(2) + second), "report.pdf")
    first, other = _tables(doc)
    assert len(first[0]) == 5 and [row[0] for row in first] == ["ลำดับ", "1.", "2."]
    assert other == [
        ["ช่องทาง", "จำนวนครั้ง", "หมายเหตุ"],
        ["เว็บไซต์", "12", "เผยแพร่ทุกเดือน"],
        ["บอร์ด", "4", "ทุกไตรมาส"],
    ]
    texts = [b.text for b in doc.blocks if b.kind == "text"]
    assert any(t.startswith("หน่วยงานได้ดำเนินการเผยแพร่") for t in texts)


def test_running_text_and_a_signature_are_not_a_table():
    body = (
        "จากการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงาน ประจำปีงบประมาณ"
        " พ.ศ. ๒๕๖๗ หน่วยงานได้กำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
        " และดำเนินการตามมาตรการครบทุกมาตรการ\n\n"
        "#grid(columns: (1fr, 1fr, 1fr), [ลงชื่อ ผู้รายงาน], [ลงชื่อ ผู้ตรวจสอบ], [ลงชื่อ ผู้รับรอง])\n"
    )
    doc = read_bytes(_pdf(body), "letter.pdf")
    assert not _tables(doc)


@pytest.mark.parametrize("seed", [3, 11])
def test_synthetic_unruled_report_puts_every_word_in_its_column(tmp_path, seed):
    rng = random.Random(seed)
    fy, rnd = random_round(rng)
    record = make_record(rng.choice(registry()), fy, rnd, rng)
    path = render(record, "pdf", "pdf_unruled", tmp_path / "report.pdf")
    (expected,) = compose(record, "one").tables
    tables = _tables(read_path(path))
    assert len(tables) >= 2  # the report runs over pages
    for rows in tables:
        assert [_flat(c) for c in rows[0]] == [_flat(c) for c in expected.header]
    body = [row for rows in tables for row in rows[1:]]
    for col in range(len(expected.header)):
        want = "".join(_flat(r.cells[col]) for r in expected.rows if col < len(r.cells))
        assert "".join(_flat(row[col]) for row in body) == want
    # one row per table row; only a row cut by a page break goes on under the next header
    assert all(row[0] for rows in tables for row in rows[2:])
    started = sum(1 for row in body if row[0])
    assert len(expected.rows) <= started <= len(expected.rows) + len(tables) - 1
