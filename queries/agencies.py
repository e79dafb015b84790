"""Typed runners for agency evaluation cycles: the indicators of every agency, the records a cycle
makes (idempotent per cycle, agency and behaviour), and the cycle's stored, published result."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from graph.store import Store
from queries.statements import cypher


class IndicatorRow(BaseModel):
    """What the graph says about one agency in a cycle."""

    uid: str
    name: str | None = None
    credit_code: str | None = None
    filings: int
    flagged: int  # filings tied to a record in force
    agents: int
    people_records: int  # records in force of its agents and controllers


class CycleRecord(BaseModel):
    uid: str
    agency: str
    behaviour_code: str
    description: str


class StoredCycle(BaseModel):
    uid: str
    period: int
    collection_from: date
    collection_to: date
    evaluated_on: date
    published_on: date
    policy_version: str
    results: str  # JSON: the result list


def indicators(
    store: Store, *, as_of: date, until: date, months: dict[str, int], default_months: int
) -> list[IndicatorRow]:
    params = {"as_of": as_of, "until": until, "months": months, "default_months": default_months}
    return [IndicatorRow.model_validate(r) for r in store.read(cypher("agencies/indicators"), params)]


def open_cycle(store: Store, *, uid: str, period: int, collection: tuple[date, date], now: datetime) -> None:
    params = {
        "uid": uid,
        "period": period,
        "collection_from": collection[0],
        "collection_to": collection[1],
        "now": now,
    }
    store.write(cypher("agencies/open_cycle"), params)


def record_findings(
    store: Store, records: list[CycleRecord], *, cycle_uid: str, decided_on: date, authority: str
) -> int:
    """Make the cycle's records; how many are new (a second run makes none)."""
    if not records:
        return 0
    params = {"cycle_uid": cycle_uid, "decided_on": decided_on, "authority": authority}
    totals = store.write_batches(cypher("agencies/record_indicator"), (r.model_dump() for r in records), params=params)
    return totals.get("created", 0)


def store_cycle(store: Store, params: dict[str, Any]) -> None:
    store.write(cypher("agencies/store_cycle"), params)


def stored_cycle(store: Store, *, period: int | None = None, as_of: date | None = None) -> StoredCycle | None:
    """A cycle by period, or the latest published by `as_of`."""
    rows = store.read(cypher("agencies/cycle"), {"period": period, "as_of": as_of})
    return StoredCycle.model_validate(rows[0]["cycle"]) if rows else None
