#!/usr/bin/env bash
# make demo: the whole job on the embedded default, through the real Airflow DAGs.
# SQLite for Airflow's metadata (.airflow/) and for the warehouse (var/demo/),
# a demo inbox (the sample submissions + a synthetic province), mail to an outbox.
set -euo pipefail
cd "$(dirname "$0")/.."
UV=${UV:-uv}
source scripts/env.sh
mkdir -p "$AIRFLOW_HOME" "$ITAFLOW_HOME/inbox/samples" "$ITAFLOW_HOME/logs"
log="$ITAFLOW_HOME/logs/demo-$(date +%Y%m%dT%H%M%S).log"

step() { printf '\n==> %s\n' "$*"; }

step "Airflow metadata database (SQLite): $AIRFLOW_HOME/airflow.db"
$UV run airflow db migrate >>"$log" 2>&1

step "Demo inbox: $ITAFLOW_HOME/inbox"
# The sample submissions, arrived inside the annual round's reporting window. Arrival
# times come from an intake record (what a mail/upload gateway writes), never from
# the files' mtimes, which a sender controls.
mkdir -p "$ITAFLOW_HOME/intake"
for f in tests/fixtures/seeds/*.txt tests/fixtures/real/*.pdf; do
  dest="$ITAFLOW_HOME/inbox/samples/$(basename "$f")"
  [ -e "$dest" ] || cp "$f" "$dest"
done
$UV run python - "$ITAFLOW_HOME" >>"$log" 2>&1 <<'PY'
import sys
from datetime import datetime
from pathlib import Path

from itaflow.collect import iter_manifest_lines

home = Path(sys.argv[1])
at = datetime.fromisoformat("2025-10-20T10:00:00+07:00")
items = [(p.resolve(), at, None) for p in sorted((home / "inbox" / "samples").iterdir())]
lines = "".join(line + "\n" for line in iter_manifest_lines(items))
(home / "intake" / "samples.jsonl").write_text(lines, encoding="utf-8")
PY
if [ ! -d "$ITAFLOW_HOME/inbox/synthetic" ]; then
  $UV run itaflow synth --province "$ITAFLOW_PROVINCE" --fiscal-year 2568 --round FY \
    --out "$ITAFLOW_HOME/inbox/synthetic" \
    --intake-manifest "$ITAFLOW_HOME/intake/synthetic.jsonl" >>"$log" 2>&1
fi
echo "$(find "$ITAFLOW_HOME/inbox" -type f | wc -l) files"

for dag in itaflow_collect itaflow_validate_load; do
  step "DAG $dag"
  $UV run python scripts/run_dag.py "$dag" >>"$log" 2>&1 || { tail -40 "$log"; exit 1; }
  tail -1 "$log"
done
step "DAG itaflow_compile_report (ปีงบประมาณ 2568, รอบ 12 เดือน)"
conf=$(printf '{"fiscal_year": 2568, "round": "FY", "province": "%s"}' "$ITAFLOW_PROVINCE")
$UV run python scripts/run_dag.py itaflow_compile_report --conf "$conf" >>"$log" 2>&1 \
  || { tail -40 "$log"; exit 1; }
tail -1 "$log"

step "Where things are"
$UV run itaflow where
echo "log:        $log"
echo
echo "Monitoring view (Airflow UI, page ติดตามการส่งรายงาน): make ui, then open http://localhost:8080/itaflow/"
echo "Round status in the terminal: uv run itaflow status --province $ITAFLOW_PROVINCE --round 2568-FY [--json]"
