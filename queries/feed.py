"""Typed runners for the change feed and watchlists: events by sequence number, watchlists owned by an
API key, and the webhook delivery cursor and log."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from graph.store import Store
from queries.shapes import Figure
from queries.statements import cypher


class Change(BaseModel):
    """One change event: a subject's level moved, a record or a chain of it appeared, or the publication
    of its records started or ended (cause `publication`)."""

    seq: int
    subject_uid: str
    old_level: str | None = None
    new_level: str | None = None  # None: a publication event of a subject never assessed
    old_score: Figure | None = None
    new_score: Figure | None = None
    new_records: list[str] = []
    new_chains: list[str] = []  # records newly reached through chains
    publication_started: list[str] = []
    publication_ended: list[str] = []
    cause_kind: str
    cause_uid: str | None = None
    at: str


class Watchlist(BaseModel):
    uid: str
    name: str
    owner: str
    members: list[str]
    webhook: str | None = None
    delivered_seq: int
    created_at: str


class Delivery(BaseModel):
    watchlist_uid: str
    event_id: str
    seq: int
    attempt: int
    status: str  # delivered | failed
    error: str | None = None
    at: str


def head(store: Store) -> int:
    return int(store.read(cypher("feed/head"))[0]["head"])


def changes_since(store: Store, since: int, limit: int) -> list[Change]:
    rows = store.read(cypher("feed/changes_since"), {"since": since, "limit": limit})
    return [Change.model_validate(r["change"]) for r in rows]


def create_watchlist(store: Store, *, owner: str, name: str, members: list[str], webhook: str | None) -> Watchlist:
    """A new watchlist; its webhook starts after the current head (past events are not pushed)."""
    rows = store.write(
        cypher("feed/watchlist_create"),
        {
            "uid": f"watchlist:{uuid.uuid4().hex}",
            "owner": owner,
            "name": name,
            "members": list(dict.fromkeys(members)),
            "webhook": webhook,
            "now": datetime.now(UTC),
            "head": head(store),
        },
    )
    return Watchlist.model_validate(rows[0]["watchlist"])


def watchlists_of(store: Store, owner: str) -> list[Watchlist]:
    rows = store.read(cypher("feed/watchlists_of"), {"owner": owner})
    return [Watchlist.model_validate(r["watchlist"]) for r in rows]


def watchlist(store: Store, uid: str, owner: str) -> Watchlist | None:
    rows = store.read(cypher("feed/watchlist_get"), {"uid": uid, "owner": owner})
    return Watchlist.model_validate(rows[0]["watchlist"]) if rows else None


def change_members(
    store: Store, uid: str, owner: str, *, add: tuple[str, ...] = (), remove: tuple[str, ...] = ()
) -> Watchlist | None:
    params = {"uid": uid, "owner": owner, "add": list(add), "remove": list(remove)}
    rows = store.write(cypher("feed/watchlist_members"), params)
    return Watchlist.model_validate(rows[0]["watchlist"]) if rows else None


def watchlist_changes(store: Store, uid: str, owner: str, since: int, limit: int) -> list[Change]:
    rows = store.read(cypher("feed/watchlist_changes"), {"uid": uid, "owner": owner, "since": since, "limit": limit})
    return [Change.model_validate(r["change"]) for r in rows]


class Pending(BaseModel):
    watchlist_uid: str
    webhook: str
    changes: list[Change]


def webhook_pending(store: Store, limit: int = 100) -> list[Pending]:
    """Per watchlist with a webhook, the member events not yet delivered."""
    return [Pending.model_validate(r) for r in store.read(cypher("feed/webhook_pending"), {"limit": limit})]


def log_delivery(store: Store, *, watchlist_uid: str, event_id: str, seq: int, attempt: int, error: str | None) -> None:
    """Record one attempt; a delivered one moves the list's cursor past its event."""
    params: dict[str, Any] = {
        "watchlist_uid": watchlist_uid,
        "event_id": event_id,
        "seq": seq,
        "attempt": attempt,
        "status": "failed" if error else "delivered",
        "error": error,
        "now": datetime.now(UTC),
    }
    store.write(cypher("feed/delivery_log"), params)


def deliveries(store: Store, uid: str, owner: str, limit: int = 100) -> list[Delivery]:
    rows = store.read(cypher("feed/deliveries"), {"uid": uid, "owner": owner, "limit": limit})
    return [Delivery.model_validate(r["delivery"]) for r in rows]
