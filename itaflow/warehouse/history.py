"""An LAO across rounds: the matrix of current states, every version it sent, its files.

Read-only queries for the monitoring page's drill-down. Superseded versions stay in
``submissions`` (``is_current`` false, ``superseded_by`` the next one), so an LAO's
history is every submission tied to its lao_code, oldest first, with its findings.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.engine import URL

from itaflow.warehouse.db import engine_for, iso_local, read_tx
from itaflow.warehouse.schema import agencies, findings, submissions

SHA256 = re.compile(r"^[0-9a-f]{64}$")


def round_matrix(engine: Engine | str | URL, province: str | None) -> dict[str, Any]:
    """Every LAO of ``province`` (None: every province) and its current submission per round.

    Returns ``laos`` (registry rows, active or with a submission) and ``cells``:
    lao_code → {(fiscal_year, round): {status, version, first_received_at, ...}}.
    """
    a, s = agencies.c, submissions.c
    laos_q = select(
        a.lao_code, a.full_name_th, a.type_th, a.district_th, a.province_th, a.active
    ).order_by(a.province_code, a.district_th, a.lao_code)
    subs_q = (
        select(
            s.id,
            s.lao_code,
            s.fiscal_year,
            s.round,
            s.status,
            s.version,
            s.received_at,
            s.is_current,
        )
        .select_from(submissions.join(agencies, a.lao_code == s.lao_code))
        .where(s.version.is_not(None), s.fiscal_year.is_not(None), s.round.is_not(None))
    )
    if province is not None:
        laos_q = laos_q.where(a.province_th == province)
        subs_q = subs_q.where(a.province_th == province)
    with read_tx(engine_for(engine)) as conn:
        laos = [dict(r) for r in conn.execute(laos_q).mappings()]
        subs = list(conn.execute(subs_q).mappings())
    first: dict[tuple[str, int, str], Any] = {}
    for r in subs:
        key = (r["lao_code"], r["fiscal_year"], r["round"])
        if key not in first or r["received_at"] < first[key]:
            first[key] = r["received_at"]
    cells: dict[str, dict[tuple[int, str], dict[str, Any]]] = defaultdict(dict)
    for r in subs:
        if r["is_current"]:
            key = (r["lao_code"], r["fiscal_year"], r["round"])
            cells[r["lao_code"]][(r["fiscal_year"], r["round"])] = {
                "submission_id": r["id"],
                "status": r["status"],
                "version": r["version"],
                "received_at": iso_local(r["received_at"]),
                "first_received_at": iso_local(first[key]),
            }
    with_subs = set(cells)
    return {
        "laos": [lao for lao in laos if lao["active"] or lao["lao_code"] in with_subs],
        "cells": dict(cells),
    }


def lao_history(engine: Engine | str | URL, lao_code: str) -> dict[str, Any] | None:
    """An LAO's registry row and every submission tied to it (superseded ones too),
    oldest first, each with its findings; None for an unknown lao_code."""
    s, f = submissions.c, findings.c
    with read_tx(engine_for(engine)) as conn:
        lao = (
            conn.execute(select(agencies).where(agencies.c.lao_code == lao_code)).mappings().first()
        )
        if lao is None:
            return None
        subs = [
            dict(r)
            for r in conn.execute(
                select(
                    s.id,
                    s.sha256,
                    s.size,
                    s.format,
                    s.original_name,
                    s.received_at,
                    s.status,
                    s.verdict,
                    s.reason,
                    s.fiscal_year,
                    s.round,
                    s.version,
                    s.is_current,
                    s.superseded_by,
                    s.title,
                    s.reporter_name,
                )
                .where(s.lao_code == lao_code)
                .order_by(s.fiscal_year.desc(), s.round.desc(), s.received_at, s.id)
            ).mappings()
        ]
        found: dict[int, list[dict[str, Any]]] = defaultdict(list)
        ids = [x["id"] for x in subs]
        if ids:
            for r in conn.execute(
                select(f.submission_id, f.check_id, f.severity, f.field, f.message, f.measure_seq)
                .where(f.submission_id.in_(ids))
                .order_by(f.submission_id, f.id)
            ).mappings():
                found[r["submission_id"]].append(dict(r))
    by_id = {x["id"]: x for x in subs}
    for x in subs:
        x["received_at"] = iso_local(x["received_at"])
        x["findings"] = found.get(x["id"], [])
        nxt = by_id.get(x["superseded_by"]) if x["superseded_by"] else None
        x["superseded"] = (
            {"by_version": nxt["version"], "at": nxt["received_at"], "by_id": nxt["id"]}
            if nxt
            else None
        )
    return {"lao": dict(lao), "submissions": subs}


def original_file(engine: Engine | str | URL, sha256: str) -> dict[str, Any] | None:
    """The submission with these exact bytes (name, format, size) or None; only a
    well-formed lowercase hash is ever looked up."""
    if not SHA256.match(sha256 or ""):
        return None
    s = submissions.c
    with read_tx(engine_for(engine)) as conn:
        row = (
            conn.execute(
                select(s.sha256, s.original_name, s.format, s.size, s.lao_code).where(
                    s.sha256 == sha256
                )
            )
            .mappings()
            .first()
        )
    return dict(row) if row else None
