"""Typed runners for supervision by level (issue 14): subjects' regions, inspection plans and their
results, and the statistics (statements in `queries/supervision/`)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from pydantic import BaseModel

from graph.schema import CONTACT_LINKS, PARTY_TIES, Label
from graph.store import Store
from queries.statements import cypher
from queries.traversal import bfs, subject_starts

# regions -------------------------------------------------------------------------------------------


class RegionInput(BaseModel):
    """What a subject's region is computed from, and the region stored now."""

    uid: str
    credit_code: str | None = None
    addresses: list[str] = []
    region_code: str | None = None
    province: str | None = None
    city: str | None = None
    county: str | None = None


def region_inputs(store: Store) -> list[RegionInput]:
    return [RegionInput.model_validate(r) for r in store.read(cypher("supervision/region_inputs"))]


def set_regions(store: Store, rows: list[dict[str, Any]]) -> int:
    """Write the given regions (`uid` and the region's fields; none: cleared), in batches."""
    if not rows:
        return 0
    return store.write_batches(cypher("supervision/set_regions"), rows).get("written", 0)


# inspection plans ----------------------------------------------------------------------------------


class Candidate(BaseModel):
    uid: str
    name: str | None = None
    credit_code: str | None = None
    level: str
    kind: str
    region_code: str | None = None
    cooled: bool


def candidates(
    store: Store, *, region: str | None, kinds: list[str], start: date, cooldown_months: int
) -> list[Candidate]:
    """Subjects a plan may draw (by uid), each marked `cooled` when inspected within the cool-down."""
    params = {"region": region, "kinds": kinds, "start": start, "cooldown_months": cooldown_months}
    return [Candidate.model_validate(r) for r in store.read(cypher("supervision/candidates"), params)]


def roster_persons(store: Store, rows: list[dict[str, str | None]]) -> dict[str, list[str]]:
    """Roster entry id -> the uids of the graph's persons it is (by uid, else by ID number)."""
    if not rows:
        return {}
    found = store.read(cypher("supervision/roster_persons"), {"rows": rows})
    return {str(r["id"]): list(r["uids"]) for r in found}


def tied_within(store: Store, uid: str, k: int) -> set[str]:
    """The subjects within `k` subject hops of `uid` over party ties and shared contact points (any date)."""
    starts = subject_starts(store, [uid], strict=False)
    if not starts:
        return set()
    found = bfs(store, starts, k=k, types=[*PARTY_TIES, *CONTACT_LINKS], subject_hops=True)
    return {n.uid for n in found.nodes.values() if n.uid is not None and str(Label.SUBJECT) in n.labels}


def create_plan(
    store: Store,
    plan: dict[str, Any],
    inspections: list[dict[str, Any]],
    *,
    event_uid: str,
    actor: str,
    on: date,
    detail: str,
) -> int:
    """Store a plan, its inspections and the audit event in one transaction; how many inspections."""
    params = {
        "plan": plan,
        "inspections": inspections,
        "event_uid": event_uid,
        "actor": actor,
        "on": on,
        "detail": detail,
        "now": datetime.now(UTC),
    }
    rows = store.write(cypher("supervision/plan_create"), params)
    return int(rows[0]["inspections"]) if rows else 0


def plan(store: Store, uid: str) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """A stored plan's properties and its inspections; None when there is no such plan."""
    rows = store.read(cypher("supervision/plan_get"), {"uid": uid})
    if not rows:
        return None
    return dict(rows[0]["plan"]), [dict(i) for i in rows[0]["inspections"]]


def plans(store: Store, *, region: str | None, limit: int) -> list[tuple[dict[str, Any], int]]:
    rows = store.read(cypher("supervision/plans"), {"region": region, "limit": limit})
    return [(dict(r["plan"]), int(r["inspections"])) for r in rows]


class InspectionRef(BaseModel):
    uid: str
    subject_uid: str
    region_code: str | None = None
    status: str


def inspection(store: Store, uid: str) -> InspectionRef | None:
    rows = store.read(cypher("supervision/inspection_get"), {"uid": uid})
    return InspectionRef.model_validate(rows[0]) if rows else None


class Recorded(BaseModel):
    subject_uid: str
    violation_uids: list[str]


def record_result(store: Store, params: dict[str, Any]) -> Recorded | None:
    """Record a planned inspection's result (findings become records); None when it is not planned."""
    rows = store.write(cypher("supervision/record_result"), {**params, "now": datetime.now(UTC)})
    return Recorded.model_validate(rows[0]) if rows else None


# statistics ----------------------------------------------------------------------------------------


def _scope(region: str | None, kind: str | None) -> dict[str, Any]:
    return {"region": region, "kind": kind}


def level_counts(store: Store, on: date, *, region: str | None, kind: str | None) -> list[dict[str, Any]]:
    return store.read(cypher("supervision/stats_levels"), {"on": on, **_scope(region, kind)})


def transitions(store: Store, start: date, end: date, *, region: str | None, kind: str | None) -> list[dict[str, Any]]:
    params = {"start": start, "end": end, **_scope(region, kind)}
    return store.read(cypher("supervision/stats_transitions"), params)


def top_behaviours(
    store: Store, start: date, end: date, top: int, *, region: str | None, kind: str | None
) -> list[dict[str, Any]]:
    params = {"start": start, "end": end, "top": top, **_scope(region, kind)}
    return store.read(cypher("supervision/stats_behaviours"), params)


def workflow_counts(store: Store, start: date, end: date, *, region: str | None, kind: str | None) -> dict[str, Any]:
    params = {"start": start, "end": end, **_scope(region, kind)}
    return store.read(cypher("supervision/stats_workflow"), params)[0]


def inspection_counts(
    store: Store, start: date, end: date, *, region: str | None, kind: str | None
) -> list[dict[str, Any]]:
    params = {"start": start, "end": end, **_scope(region, kind)}
    return store.read(cypher("supervision/stats_inspections"), params)


def as_json(value: Any) -> str:
    """A plan property holding structure, as the JSON string a node property can hold."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def in_region(store: Store, uids: list[str], region: str) -> set[str]:
    """Of `uids`, the subjects whose division code starts with `region`."""
    rows = store.read(cypher("supervision/in_region"), {"uids": uids, "region": region})
    return set(rows[0]["uids"]) if rows else set()
