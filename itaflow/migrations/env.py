"""Alembic environment: always online, on the connection ``migrate.upgrade`` passes in.

That connection is already inside the warehouse write transaction (advisory lock
on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), so concurrent DAG starts migrate
one at a time and a failed migration leaves nothing half-done.
"""

from __future__ import annotations

from alembic import context

from itaflow.warehouse.schema import metadata

if context.is_offline_mode():
    raise SystemExit("itaflow migrations run online only: use `itaflow db upgrade`")

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
