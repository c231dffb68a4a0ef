#!/usr/bin/env bash
# make ui: the Airflow UI on the demo's data, with the monitoring view at /itaflow/.
# Local use only: every visitor is an admin (SimpleAuthManager all-admins mode).
set -euo pipefail
cd "$(dirname "$0")/.."
UV=${UV:-uv}
source scripts/env.sh
export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS=True
mkdir -p "$AIRFLOW_HOME"
$UV run airflow db migrate >/dev/null
echo "Airflow UI: http://localhost:${PORT:-8080}/   monitoring view: http://localhost:${PORT:-8080}/itaflow/"
exec $UV run airflow api-server --port "${PORT:-8080}"
