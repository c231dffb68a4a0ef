"""How long the checks take: Great Expectations' import, and 10,000 measure rows.

Run standalone from the repo root::

    uv run python benchmarks/bench_checks.py [measure_rows]

The batch is made of synthetic reports of real LAOs (``itaflow.synth``), so the
derived columns see realistic Thai text. Target (issue 4): validating 10,000
measure rows stays under 5 s once great_expectations is imported.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from itaflow.checks import derive, judge_records, suites, validate
from itaflow.settings import load
from itaflow.synth.records import make_record, registry


def batch(rows: int, rng: random.Random) -> list:
    """Synthetic records until they hold ``rows`` measures (the last one trimmed),
    their whole text filled in as extraction does (table cells joined by " | ")."""
    laos = registry()
    records, total = [], 0
    while total < rows:
        fy, round_ = rng.choice([2566, 2567, 2568]), rng.choice(["H1", "FY"])
        rec = make_record(rng.choice(laos), fy, round_, rng)
        rec.measures = rec.measures[: rows - total]
        syn = rec.evidence["synth"]
        cells = [
            " | ".join(
                [m.measure, m.steps, " ".join(m.responsible), m.period_text, m.result, m.outcome]
            )
            for m in rec.measures
        ]
        lines = [*syn["title"], *syn["agency_lines"], *syn["intro"], *cells, *syn["signature"]]
        rec.text = "\n".join(lines)
        records.append(rec)
        total += len(rec.measures)
    return records


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    t = time.perf_counter()
    validate.import_gx()
    gx_import = time.perf_counter() - t

    records = batch(rows, random.Random(4))
    with tempfile.TemporaryDirectory() as tmp:
        settings = load().with_(reports_out=Path(tmp))
        loaded = suites.load_suites(
            settings.expectations_dir,
            required=settings.required_fields,
            recommended=settings.recommended_fields,
        )

        t = time.perf_counter()
        fields = derive.measure_fields(settings.required_fields, settings.recommended_fields)
        tables = derive.frames(records, fields)
        derive_s = time.perf_counter() - t

        t = time.perf_counter()
        result = validate.run(tables, loaded, run_name="bench")
        validate_s = time.perf_counter() - t

        t = time.perf_counter()
        checked = judge_records(records, settings)
        total_s = time.perf_counter() - t

        t = time.perf_counter()
        docs = judge_records(records, settings, data_docs=True)
        docs_s = time.perf_counter() - t

    findings = sum(len(r.findings) for r in checked.records)
    print(f"great_expectations import      {gx_import:6.2f} s")
    print(
        f"batch                          {len(records)} submissions, {len(tables['measures'])} measure rows"
    )
    print(f"derived columns                {derive_s:6.2f} s")
    print(
        f"GE validation (both tables)    {validate_s:6.2f} s   ({len(result.failures)} failing rows)"
    )
    print(f"judge_records, no Data Docs    {total_s:6.2f} s   ({findings} findings)")
    print(
        f"judge_records with Data Docs   {docs_s:6.2f} s   ({docs.data_docs is not None and 'built'})"
    )
    verdict = "OK" if validate_s < 5 else "OVER"
    print(f"target: validation of {rows} measure rows < 5 s after import: {verdict}")


if __name__ == "__main__":
    main()
