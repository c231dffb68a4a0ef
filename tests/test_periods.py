"""Thai periods to CE dates, fiscal years, rounds and due dates."""

from __future__ import annotations

from datetime import date

import pytest

from itaflow.periods import (
    be_to_ce,
    date_mentions,
    due_date,
    fiscal_year_of,
    latest_closed_round,
    parse_period,
    round_bounds,
    years_in,
)
from itaflow.settings import Settings

D = date


@pytest.mark.parametrize(
    ("text", "fy", "expected"),
    [
        ("๑ ตุลาคม ๒๕๖๗ ถึง ๓๐ กันยายน ๒๕๖๘", None, (D(2024, 10, 1), D(2025, 9, 30))),
        ("ตุลาคม ๖๗ - มีนาคม ๖๘", None, (D(2024, 10, 1), D(2025, 3, 31))),
        ("ตุลาคม ๖๗ – กันยายน ๖๘", None, (D(2024, 10, 1), D(2025, 9, 30))),
        ("ต.ค. ๖๗ – ก.ย. ๖๘", None, (D(2024, 10, 1), D(2025, 9, 30))),
        ("1 มค 67 ถึง 31 มีค 67", None, (D(2024, 1, 1), D(2024, 3, 31))),
        ("1 ต.ค.66 - 31 มี.ค.67", None, (D(2023, 10, 1), D(2024, 3, 31))),
        ("๑ พย ๖๖ ถึง ๓๑ ธค ๖๖", None, (D(2023, 11, 1), D(2023, 12, 31))),
        ("1 ตุลาคม 2566 ถึง 31มีนาคม 2567", None, (D(2023, 10, 1), D(2024, 3, 31))),
        ("วันที่ 1 ตุลาคม 2567 ถึง วันที่ 31 มีนาคม 2568", None, (D(2024, 10, 1), D(2025, 3, 31))),
        ("1 มีนาคม\n30 กันยายน\n2567", None, (D(2024, 3, 1), D(2024, 9, 30))),
        ("เมื่อวันที่ ๗ - ๑๐ กุมภาพันธ์ ๒๕๖๖", None, (D(2023, 2, 7), D(2023, 2, 10))),
        ("ดำเนินการเมื่อวันที่ ๕ เดือน ตุลาคม พ.ศ. ๒๕๖๕", None, (D(2022, 10, 5), D(2022, 10, 5))),
        ("1/10/2567 - 31/3/2568", None, (D(2024, 10, 1), D(2025, 3, 31))),
        ("๑/๑๐/๒๕๖๔ - ๓๑/๓/๒๕๖๕", None, (D(2021, 10, 1), D(2022, 3, 31))),
        ("ตุลาคม - ธันวาคม 2023", None, (D(2023, 10, 1), D(2023, 12, 31))),  # CE year written
        ("ตุลาคม - มีนาคม ๒๕๖๖", None, (D(2022, 10, 1), D(2023, 3, 31))),  # year from the end
        # whole fiscal year, quarters and months alone need the fiscal year
        ("ตลอดปีงบประมาณ", 2568, (D(2024, 10, 1), D(2025, 9, 30))),
        ("ตลอดปีงบประมาณ พ.ศ. ๒๕๖๗", None, (D(2023, 10, 1), D(2024, 9, 30))),
        ("ไตรมาส ๑", 2568, (D(2024, 10, 1), D(2024, 12, 31))),
        ("ไตรมาสที่ 2-3", 2568, (D(2025, 1, 1), D(2025, 6, 30))),
        ("ไตรมาส 4", 2568, (D(2025, 7, 1), D(2025, 9, 30))),
        ("ภายในเดือนมกราคม", 2566, (D(2023, 1, 1), D(2023, 1, 31))),
        ("ภายในเดือนตุลาคม", 2566, (D(2022, 10, 1), D(2022, 10, 31))),  # Oct–Dec: FY-1
        ("ภายในเดือนพฤศจิกายน", 2566, (D(2022, 11, 1), D(2022, 11, 30))),
        ("ภายในเดือนธันวาคม", 2566, (D(2022, 12, 1), D(2022, 12, 31))),
        # a list of deadlines, not a range: the span that covers them
        ("ภายในเดือน เมษายน และเดือนตุลาคม ของทุกปี", 2566, (D(2022, 10, 1), D(2023, 4, 30))),
        # a reversed range stays reversed, for the checks to see
        ("1 ต.ค. 67 - 30 ก.ย. 67", None, (D(2024, 10, 1), D(2024, 9, 30))),
    ],
)
def test_parse_period(text, fy, expected):
    assert parse_period(text, fy) == expected


@pytest.mark.parametrize(
    "text",
    ["", "ตามความเหมาะสม", "ตลอดปีงบประมาณ", "ภายในเดือนมกราคม", "ทรัพย์สินของทางราชการ", "พยาบาล"],
)
def test_unparseable_without_fiscal_year(text):
    assert parse_period(text) is None


def test_month_abbreviations_are_whole_words():
    # "พย" in พยาบาล / ทรัพย์ and "กค" in words are not months
    assert date_mentions("งานพยาบาล ทรัพย์สิน") == []
    assert parse_period("ยังไม่กำหนด", 2568) is None


def test_dates_only_ignores_year_words():
    assert parse_period("ประจำปีงบประมาณ พ.ศ. ๒๕๖๘", dates_only=True) is None
    assert parse_period("(ตุลาคม ๒๕๖๗ - มีนาคม ๒๕๖๘)", dates_only=True) == (
        D(2024, 10, 1),
        D(2025, 3, 31),
    )


def test_be_and_ce_years():
    assert be_to_ce(2567) == 2024
    assert be_to_ce(67) == 2024
    assert be_to_ce(2024) == 2024
    assert be_to_ce(1234) is None


@pytest.mark.parametrize(
    ("day", "fy"),
    [
        (D(2024, 9, 30), 2567),
        (D(2024, 10, 1), 2568),
        (D(2024, 12, 31), 2568),
        (D(2025, 1, 1), 2568),
    ],
)
def test_fiscal_year_of(day, fy):
    assert fiscal_year_of(day) == fy


def test_round_bounds():
    assert round_bounds(2568, "H1") == (D(2024, 10, 1), D(2025, 3, 31))
    assert round_bounds(2568, "FY") == (D(2024, 10, 1), D(2025, 9, 30))


def test_due_dates_from_settings(tmp_path):
    settings = Settings(
        home=tmp_path, warehouse_url="", reports_out=tmp_path, expectations_dir=tmp_path
    )
    assert due_date(2568, "H1", settings) == D(2025, 4, 30)
    assert due_date(2568, "FY", settings) == D(2025, 10, 31)
    early = settings.with_(due_fy="01-15")  # a day before the round's end rolls over
    assert due_date(2568, "FY", early) == D(2026, 1, 15)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 4, 20), (2569, "H1")),
        (D(2026, 10, 20), (2569, "FY")),
        (D(2026, 3, 31), (2568, "FY")),  # the 6-month round is still running
        (D(2026, 4, 1), (2569, "H1")),
        (D(2025, 12, 1), (2568, "FY")),
    ],
)
def test_latest_closed_round(day, expected):
    assert latest_closed_round(day) == expected


def test_years_in():
    assert years_in("ประจำปีงบประมาณ พ.ศ. ๒๕๖๖ (ตุลาคม ๖๕ - มีนาคม ๖๖) โทร 0-4430-0739") == [
        2566,
        2565,
        2566,
    ]
