"""What a document is: an implementation report, a plan, an ITA analysis, or other.

One decision for both stages: extraction records it (``record.evidence["doc_kind"]``)
and the checks judge ``not_an_implementation_report`` on it (tuned against
``benchmarks/defects.py``).
"""

from __future__ import annotations

import re

from itaflow import thai
from itaflow.models import SubmissionRecord

DOC_KIND_TH = {
    "implementation_report": "รายงานผลการดำเนินการตามมาตรการ",
    "plan": "แผน/มาตรการ (ยังไม่มีผลการดำเนินการ)",
    "ita_analysis": "การวิเคราะห์ผลการประเมิน ITA",
    "other": "เอกสารประเภทอื่น",
}
DOC_KIND_EN = {
    "implementation_report": "an implementation report",
    "plan": "a measures plan without results",
    "ita_analysis": "an ITA score analysis",
    "other": "another kind of document",
}

_REPORT_WORDS = re.compile(r"รายงาน(?:ผล|การดำเนิน|สรุป)|แบบรายงาน|ผลการดำเนิน(?:การ|งาน)")
_PLAN_HEAD = re.compile(r"^\W*(?:แผน|มาตรการ|ประกาศ)")
_ANALYSIS_WORDS = re.compile(r"วิเคราะห์ผลการประเมิน|ผลการประเมิน\s*(?:ITA|คุณธรรม)")
_SUBJECT_WORDS = re.compile(r"คุณธรรม|โปร่งใส|ทุจริต|สินบน|ITA|จริยธรรม|ผลประโยชน์ทับซ้อน")


def _head(record: SubmissionRecord) -> str:
    """The title, or the first lines of the text when extraction found no title."""
    return record.title or "\n".join((record.text or "").splitlines()[:8])


def doc_kind(record: SubmissionRecord) -> str | None:
    """What the document is: an implementation report, a plan (measures without
    results), an ITA score analysis, or another kind; None when it cannot be told.

    The title decides first ("รายงานผล..." is a report, "มาตรการ.../แผน..." without
    "รายงาน" is a plan); without a telling title, measures with results make a
    report and measures without make a plan.
    """
    head = thai.one_line(_head(record))
    text = record.text or ""
    with_result = sum(1 for m in record.measures if thai.present(m.result))
    result_share = with_result / len(record.measures) if record.measures else 0.0
    if _REPORT_WORDS.search(head):
        return "implementation_report" if result_share > 0 or not record.measures else "plan"
    if _PLAN_HEAD.search(head) and result_share < 0.5:
        return "plan"
    if _ANALYSIS_WORDS.search(head) and result_share < 0.5:
        return "ita_analysis"
    if not _SUBJECT_WORDS.search(text):
        return "other"
    if record.measures:
        return "implementation_report" if result_share >= 0.5 else "plan"
    if _ANALYSIS_WORDS.search(text):
        return "ita_analysis"
    return None
