"""Schema migrations (Alembic), configured in code so an installed package can migrate.

``upgrade`` is what ``itaflow db upgrade`` and every DAG's first task call: it is
idempotent and safe to run from several processes at once.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.engine import URL

from itaflow.warehouse.db import engine_for, write_tx


def alembic_config() -> Config:
    """The Alembic configuration: migrations live in the ``itaflow.migrations`` package."""
    cfg = Config()
    cfg.set_main_option("script_location", "itaflow:migrations")
    return cfg


def head() -> str:
    """The newest revision the code knows."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def current(url: str | URL | Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    engine = engine_for(url)
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(url: str | URL | Engine, *, registry: bool = True) -> str:
    """Bring the warehouse to the newest schema and (by default) sync the LAO registry.

    One transaction under the warehouse write lock: concurrent callers wait, then
    find nothing to do. A database that is down raises ``OperationalError`` at once,
    so the calling task fails visibly and Airflow retries it.
    """
    from itaflow.warehouse.registry_sync import sync_registry

    engine = engine_for(url)
    cfg = alembic_config()
    with write_tx(engine) as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    if registry:
        sync_registry(engine)
    return head()


def _revision(url: str, message: str) -> None:
    """Autogenerate a new revision from the difference between ``schema.py`` and ``url``."""
    engine = engine_for(url)
    cfg = alembic_config()
    with write_tx(engine) as conn:
        cfg.attributes["connection"] = conn
        command.revision(cfg, message=message, autogenerate=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Developer entry point: ``python -m itaflow.warehouse.migrate revision -m ...``."""
    parser = argparse.ArgumentParser(prog="python -m itaflow.warehouse.migrate")
    parser.add_argument("action", choices=["upgrade", "revision", "current"])
    parser.add_argument("--url", default=None, help="default: ITAFLOW_WAREHOUSE_URL")
    parser.add_argument("-m", "--message", default="schema change")
    args = parser.parse_args(argv)
    from itaflow import settings

    url = args.url or settings.load().warehouse_url
    if args.action == "upgrade":
        print(upgrade(url))
    elif args.action == "current":
        print(current(url))
    else:
        _revision(url, args.message)
    return 0


if __name__ == "__main__":
    sys.exit(main())
