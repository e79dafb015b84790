"""Typed runners for the audit log: record a write done through the API, list events, and the trail
of a subject's records and objections (the credit report's)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from graph.store import Store
from queries.statements import cypher


class AuditEntry(BaseModel):
    """An audit event about one of a subject's records or its objections."""

    uid: str
    actor: str | None = None
    action: str
    reason: str | None = None
    outcome: str | None = None
    created_at: datetime | None = None
    on: date | None = None
    detail: str | None = None
    violation_uid: str


def record(store: Store, *, uid: str, actor: str, action: str, target: str | None, detail: str) -> None:
    store.write(
        cypher("audit/record"), {"uid": uid, "actor": actor, "action": action, "target": target, "detail": detail}
    )


def events(store: Store, target: str | None, limit: int) -> list[dict[str, Any]]:
    """The latest events (every stored property), newest first; with a target, only those about it."""
    return [dict(row["event"]) for row in store.read(cypher("audit/list"), {"target": target, "limit": limit})]


def trail(store: Store, uid: str) -> list[AuditEntry]:
    return [AuditEntry.model_validate(row) for row in store.read(cypher("audit/trail"), {"uid": uid})]
