#!/usr/bin/env bash
# airflow-init (runs once as root before the other services start):
#   1. refuse to start without the secrets .env must provide (no secret lives in the compose file);
#   2. make the shared folders and give them to the Airflow user (AIRFLOW_UID, group 0);
#   3. create the admin user of the simple auth manager (a passwords file on the config volume);
#   4. through the image's entrypoint, as the Airflow user: wait for PostgreSQL, migrate
#      Airflow's metadata (_AIRFLOW_DB_MIGRATE), then migrate the itaflow warehouse.
set -euo pipefail
missing=()
for name in AIRFLOW__API_AUTH__JWT_SECRET AIRFLOW__API__SECRET_KEY AIRFLOW__CORE__FERNET_KEY \
    _AIRFLOW_WWW_USER_PASSWORD; do
  [[ -n "${!name:-}" ]] || missing+=("$name")
done
if (( ${#missing[@]} )); then
  echo "ERROR: not set: ${missing[*]}. Copy .env.example to .env and fill in the secrets." >&2
  exit 1
fi
uid="${AIRFLOW_UID:-50000}"
mkdir -p /opt/airflow/{logs,config} /opt/itaflow-data/{inbox,shared,reports}
python - <<'PY'
import json, os
path = os.environ["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"]
user = os.environ.get("_AIRFLOW_WWW_USER_USERNAME") or "airflow"
with open(path, "w") as f:
    json.dump({user: os.environ["_AIRFLOW_WWW_USER_PASSWORD"]}, f)
os.chmod(path, 0o640)
print(f"admin user {user!r} (role admin) written to {path}")
PY
chown -R "${uid}:0" /opt/airflow/{logs,config} /opt/itaflow-data/{inbox,shared,reports}
as_airflow=(setpriv --reuid="$uid" --regid=0 --clear-groups env HOME=/home/airflow)
"${as_airflow[@]}" /entrypoint airflow version
_AIRFLOW_DB_MIGRATE="" "${as_airflow[@]}" /entrypoint python -m itaflow.cli db upgrade
ls -la /opt/itaflow-data
