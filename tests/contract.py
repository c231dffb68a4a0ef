"""What CONTRACT.md promises, written once for the tests that hold the code to it.

Kept apart from the code on purpose: a test that compared the code with the code's
own list could never fail when someone renamed a check.
"""

from __future__ import annotations

# The minimum catalogue of check ids (CONTRACT.md, "Check ids").
CHECK_IDS = frozenset({
    "unreadable_file", "no_measures_found", "not_an_implementation_report", "agency_unknown",
    "agency_name_inconsistent", "district_province_mismatch", "foreign_agency_mentioned",
    "fiscal_year_inconsistent", "period_unparseable", "period_outside_fiscal_year",
    "round_inconsistent", "missing_field", "column_shift", "header_row_as_data", "duplicate_text",
    "placeholder_text", "garbled_text", "foreign_script", "duplicate_submission",
})  # fmt: skip
