"""The rules in ``expectations/`` decide how much a finding weighs, also where a stage
words the finding itself (a reader's ``unreadable_file`` reason)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from itaflow.checks import judge_records
from itaflow.process import unreadable_record
from itaflow.settings import load

REPO = Path(__file__).resolve().parents[1]


def _with_severity(tmp_path: Path, check_id: str, severity: str) -> Path:
    """A copy of the shipped suites with one rule's severity changed."""
    rules = tmp_path / "expectations"
    shutil.copytree(REPO / "expectations", rules)
    path = rules / "submissions.json"
    suite = json.loads(path.read_text(encoding="utf-8"))
    for exp in suite["expectations"]:
        if exp["meta"]["check_id"] == check_id:
            exp["meta"]["severity"] = severity
    path.write_text(json.dumps(suite, ensure_ascii=False), encoding="utf-8")
    return rules


def _judged(settings, record):
    (judged,) = judge_records([record], settings).records
    return judged


def test_the_reader_words_the_reason_and_the_rule_decides_its_weight(tmp_path):
    record = unreadable_record("x.pdf", "s" * 64, 10, "ไฟล์เสีย", "corrupt file")
    shipped = _judged(load().with_(reports_out=tmp_path / "r1"), record)
    (finding,) = [f for f in shipped.findings if f.check == "unreadable_file"]
    assert (finding.severity, finding.message) == ("error", "ไฟล์เสีย / corrupt file")
    assert shipped.verdict == "rejected"

    lighter = load().with_(
        reports_out=tmp_path / "r2",
        expectations_dir=_with_severity(tmp_path, "unreadable_file", "warning"),
    )
    judged = _judged(lighter, record)
    (finding,) = [f for f in judged.findings if f.check == "unreadable_file"]
    assert (finding.severity, finding.message) == ("warning", "ไฟล์เสีย / corrupt file")
