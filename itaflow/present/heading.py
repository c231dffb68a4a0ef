"""What names a round wherever it is shown: the report's title lines, the mails'
subjects, the page's heading, and who signs the report."""

from __future__ import annotations

from typing import Any

from itaflow.models import ReportData
from itaflow.present.text import clean
from itaflow.present.thaidate import thai_date, thai_datetime
from itaflow.present.vocabulary import ROUNDS


def heading_view(data: ReportData) -> dict[str, Any]:
    """Title lines, round and dates of ``data``'s round, in Thai."""
    province = clean(data.province) or None
    where = f"จังหวัด{province}" if province else "ทุกจังหวัด"
    round_th = ROUNDS.get(data.round, clean(data.round))
    period = f"{thai_date(data.period_start)} – {thai_date(data.period_end)}"
    return {
        "title": "สรุปผลการรายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
        "subtitle": f"ขององค์กรปกครองส่วนท้องถิ่นใน{where}",
        "round_line": f"ประจำปีงบประมาณ พ.ศ. {data.fiscal_year} {round_th} ({period})",
        "short_title": f"ผลการรายงาน ITA อปท. {where} ปีงบประมาณ {data.fiscal_year} {round_th}",
        "province": province or "",
        "where": where,
        "fiscal_year": data.fiscal_year,
        "round": data.round,
        "round_th": round_th,
        "period_th": period,
        "due_th": thai_date(data.due_date),
        "due_short": thai_date(data.due_date, short=True),
        "generated_th": thai_datetime(clean(data.generated_at) or None, short=False),
        "generated_at": clean(data.generated_at),
    }


def office_view(data: ReportData) -> dict[str, Any]:
    """Who sends the report and signs it (settings), with the default office name."""
    province = clean(data.province)
    office = clean(data.office_name) or (
        f"สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด{province}" if province else "กรมส่งเสริมการปกครองท้องถิ่น"
    )
    return {
        "office": office,
        "signature": {
            "name": clean(data.officer_name),
            "position": clean(data.officer_position),
            "office": office,
        },
    }
