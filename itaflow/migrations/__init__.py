"""Alembic migrations of the warehouse, shipped inside the package.

No ``alembic.ini``: ``itaflow.warehouse.migrate`` builds the configuration in
code, so ``itaflow db upgrade`` works from an installed wheel. New revision:
``uv run python -m itaflow.warehouse.migrate revision -m "what changes"``.
"""
