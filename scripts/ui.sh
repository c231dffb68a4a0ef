#!/usr/bin/env bash
# make ui: the Airflow UI on the demo's data, with the monitoring view at /itaflow/.
# Safe by default: login required (Airflow's simple auth manager, users from
# ITAFLOW_UI_USERS, default "admin:admin,officer:viewer"), passwords generated once and
# printed, kept in $AIRFLOW_HOME/itaflow-ui-passwords.json (mode 600); listening on
# 127.0.0.1 unless ITAFLOW_UI_HOST says otherwise (e.g. 0.0.0.0 behind a firewall).
set -euo pipefail
cd "$(dirname "$0")/.."
UV=${UV:-uv}
source scripts/env.sh
HOST=${ITAFLOW_UI_HOST:-127.0.0.1}
PORT=${PORT:-8080}
USERS=${ITAFLOW_UI_USERS:-admin:admin,officer:viewer}
PASSWORDS="$AIRFLOW_HOME/itaflow-ui-passwords.json"
mkdir -p "$AIRFLOW_HOME"
export AIRFLOW__CORE__AUTH_MANAGER=airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager
export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS=False
export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS="$USERS"
export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE="$PASSWORDS"
# A password for every user that has none yet (kept across restarts), printed below.
$UV run python - "$PASSWORDS" "$USERS" <<'PY'
import json, os, secrets, sys
from pathlib import Path

path, users = Path(sys.argv[1]), [u.split(":")[0] for u in sys.argv[2].split(",") if u]
known = json.loads(path.read_text()) if path.exists() else {}
for user in users:
    known.setdefault(user, secrets.token_urlsafe(12))
path.write_text(json.dumps(known))
os.chmod(path, 0o600)
for user in users:
    print(f"  user {user!r:12} password {known[user]}")
PY
$UV run airflow db migrate >/dev/null
echo "Airflow UI (login required): http://$HOST:$PORT/   monitoring view: http://$HOST:$PORT/itaflow/"
echo "Passwords are kept in $PASSWORDS"
exec $UV run airflow api-server --host "$HOST" --port "$PORT"
