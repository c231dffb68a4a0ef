"""The ``agencies`` table kept equal to the packaged LAO registry (``itaflow/data/lao_registry.csv``)."""

from __future__ import annotations

from sqlalchemy import Engine, bindparam, select, update
from sqlalchemy.engine import URL

from itaflow.warehouse.db import engine_for, write_tx
from itaflow.warehouse.schema import agencies


def sync_registry(engine: Engine | str | URL) -> dict[str, int]:
    """Make ``agencies`` match the packaged registry.

    New LAOs are inserted, changed ones updated, and LAOs that left the registry
    are marked inactive, never deleted (their old submissions still point at
    them). Writes nothing when already in sync, so every DAG run can call it.
    """
    from itaflow import registry

    wanted = {
        code: {
            "lao_code": code,
            "name_th": lao.name_th,
            "full_name_th": registry.full_name(lao),
            "lao_type": lao.lao_type,
            "type_th": lao.type_th,
            "province_code": lao.province_code,
            "province_th": lao.province_th,
            "province_en": lao.province_en,
            "district_th": lao.district_th,
            "active": True,
        }
        for code, lao in registry.load().items()
    }
    engine = engine_for(engine)
    with write_tx(engine) as conn:
        have = {row["lao_code"]: dict(row) for row in conn.execute(select(agencies)).mappings()}
        new = [row for code, row in wanted.items() if code not in have]
        changed = [row for code, row in wanted.items() if code in have and have[code] != row]
        retired = [
            {"b_code": code} for code, row in have.items() if code not in wanted and row["active"]
        ]
        if new:
            conn.execute(agencies.insert(), new)
        if changed:
            conn.execute(
                update(agencies).where(agencies.c.lao_code == bindparam("b_code")),
                [{**row, "b_code": row.pop("lao_code")} for row in changed],
            )
        if retired:
            conn.execute(
                update(agencies)
                .where(agencies.c.lao_code == bindparam("b_code"))
                .values(active=False),
                retired,
            )
    return {
        "agencies": len(wanted),
        "inserted": len(new),
        "updated": len(changed),
        "retired": len(retired),
    }
