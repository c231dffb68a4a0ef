#!/usr/bin/env bash
# PostgreSQL init script (first start only): the itaflow warehouse is a database of its
# own next to Airflow's metadata database, owned by the same user.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<SQL
CREATE DATABASE itaflow OWNER "$POSTGRES_USER";
SQL
