"""One Thai word per field: the findings (expectations' ``field_labels``), the report's
columns and the XLSX annex name a field exactly as ``present.vocabulary.FIELDS`` does."""

from __future__ import annotations

import json
from pathlib import Path

from itaflow.present.vocabulary import COLUMNS, FIELDS, STATE_TH, STATES, state_label

EXPECTATIONS = Path(__file__).resolve().parents[1] / "expectations"


def test_findings_name_each_field_with_the_vocabulary_word():
    for suite in sorted(EXPECTATIONS.glob("*.json")):
        labels = json.loads(suite.read_text(encoding="utf-8"))["meta"].get("field_labels", {})
        for field, label in labels.items():
            assert label["th"] == FIELDS[field], (suite.name, field)


def test_report_columns_use_the_field_words():
    for field in ("measure", "steps", "responsible", "result", "outcome"):
        assert COLUMNS[field] == FIELDS[field]
    assert COLUMNS["period"].startswith(FIELDS["period"])


def test_one_word_per_state_with_received_must_resubmit_spelt_out():
    for state in ("accepted", "accepted_with_warnings", "rejected", "missing"):
        assert state_label(state) == STATES[state] == STATE_TH[state]
    assert state_label("quarantined") == "ส่งแล้ว – ต้องส่งใหม่ (เปิดไฟล์ไม่ได้)"
