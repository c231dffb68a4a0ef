# The embedded default's environment, shared by `make demo` and `make ui` (source it).
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ITAFLOW_HOME="${ITAFLOW_HOME:-$root/var/demo}"
export ITAFLOW_PROVINCE="${ITAFLOW_PROVINCE:-นครราชสีมา}"
export ITAFLOW_REPORTS_OUT="${ITAFLOW_REPORTS_OUT:-$root/reports/out}"
export AIRFLOW_HOME="${AIRFLOW_HOME:-$root/.airflow}"
export AIRFLOW__CORE__DAGS_FOLDER="$root/dags"
export AIRFLOW__CORE__PLUGINS_FOLDER="$root/plugins"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="${AIRFLOW__DATABASE__SQL_ALCHEMY_CONN:-sqlite:///$AIRFLOW_HOME/airflow.db}"
export AIRFLOW__LOGGING__LOGGING_LEVEL="${AIRFLOW__LOGGING__LOGGING_LEVEL:-WARNING}"
export GX_ANALYTICS_ENABLED=False
