"""Typed runner for the review of possible duplicates (`POSSIBLE_SAME_AS`, proposed by the loader).

Reads the queue and one pair; writes a decision (distinct, or a merge that moves every relationship
of the merged-away subject to the survivor) together with its audit event, in one transaction each.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from graph.store import Store
from queries.shapes import Figure, Page
from queries.statements import cypher


class PairSide(BaseModel):
    uid: str
    name: str | None = None
    labels: list[str]
    source: str | None = None
    source_ref: str | None = None
    id_number: str | None = None
    birth_date: date | None = None
    country: str | None = None
    nationality: str | None = None
    credit_code: str | None = None


class Reason(BaseModel):
    reason: str | None = None
    score: Figure | None = None
    source: str | None = None
    source_ref: str | None = None


class PendingPair(BaseModel):
    left: PairSide
    right: PairSide
    score: Figure
    reasons: list[Reason]


class PendingPage(Page[PendingPair]):
    """One page of the undecided pairs, strongest first; `total` counts every undecided pair."""


class PairLink(BaseModel):
    reason: str | None = None
    score: Figure | None = None
    decision: str | None = None


class PairState(BaseModel):
    """Both subjects as stored (every property) and the links between them."""

    left: dict[str, Any]
    right: dict[str, Any]
    links: list[PairLink] = Field(default_factory=list)


def pending(store: Store, offset: int, limit: int) -> PendingPage:
    rows = store.read(cypher("duplicates/pending"), {"offset": offset, "limit": limit})
    return PendingPage(items=rows[0]["pairs"], total=rows[0]["total"])


def pair(store: Store, left: str, right: str) -> PairState | None:
    rows = store.read(cypher("duplicates/pair"), {"left": left, "right": right})
    return PairState.model_validate(rows[0]) if rows else None


def mark_distinct(
    store: Store, left: str, right: str, *, event_uid: str, actor: str, reason: str, detail: str, now: datetime
) -> int:
    """Mark every undecided link between the two distinct; returns how many links were decided."""
    params = {"left": left, "right": right, "event_uid": event_uid, "actor": actor, "reason": reason}
    rows = store.write(cypher("duplicates/distinct"), {**params, "detail": detail, "now": now})
    return int(rows[0]["links"]) if rows else 0


def merge(
    store: Store, keep: str, gone: str, *, event_uid: str, actor: str, reason: str, detail: str, now: datetime
) -> int:
    """Merge `gone` into `keep`; returns how many relationships moved."""
    params = {"keep": keep, "gone": gone, "event_uid": event_uid, "actor": actor, "reason": reason}
    rows = store.write(cypher("duplicates/merge"), {**params, "detail": detail, "now": now})
    return int(rows[0]["moved"]) if rows else 0


def resolve(store: Store, uid: str) -> str | None:
    """The uid of the subject `uid` names now (itself, or the survivor of a merge), or None."""
    rows = store.read(cypher("duplicates/resolve"), {"uid": uid})
    return rows[0]["uid"] if rows and rows[0]["uid"] else None
