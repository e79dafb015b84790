"""Typed runners for the publication register: the records whose publication may move, writing the
states that moved (audited, in the change feed), which records are published, and the public lists."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from pydantic import BaseModel

from graph.store import Store, Tx
from queries.statements import cypher


class RecordRow(BaseModel):
    """A record as the publication rules read it."""

    uid: str
    subject_uid: str
    decided_on: date
    behaviour_code: str
    sibling_codes: list[str] = []
    status: str | None = None
    ended_on: date | None = None
    revoked_by_objection: bool = False
    published_from: date | None = None
    published_until: date | None = None
    ended_on_publication: date | None = None
    end_reason: str | None = None


class StateRow(BaseModel):
    """A publication state to write; `started`/`ended`: what moved (for the change feed)."""

    uid: str
    published_from: date
    published_until: date
    ended_on: date | None = None
    end_reason: str | None = None
    started: bool
    ended: bool


class Written(BaseModel):
    subjects: int = 0
    changes: int = 0


def open_records(tx: Tx, on: date, uids: list[str] | None = None) -> list[RecordRow]:
    """Records decided by `on` whose publication has not started or not ended (only `uids` when given)."""
    rows = tx.run(cypher("publication/records"), {"on": on, "uids": uids})
    return [RecordRow.model_validate(r) for r in rows]


def write_states(tx: Tx, rows: list[StateRow], *, event_uid: str, actor: str, on: date, detail: str) -> Written:
    """Store the moved states under one audit event (created unless it exists) and append the changes."""
    if not rows:
        return Written()
    params: dict[str, Any] = {
        "rows": [r.model_dump() for r in rows],
        "event_uid": event_uid,
        "actor": actor,
        "on": on,
        "detail": detail,
        "now": datetime.now(UTC),
    }
    found = tx.run(cypher("publication/apply"), params)
    return Written.model_validate(found[0]) if found else Written()


def published_among(store: Store, uids: list[str], on: date) -> tuple[frozenset[str], frozenset[str]]:
    """Of `uids`, the records, and those of them published on `on`."""
    if not uids:
        return frozenset(), frozenset()
    row = store.read(cypher("publication/published_among"), {"uids": uids, "on": on})[0]
    return frozenset(row["records"]), frozenset(row["published"])


class SeriousRow(BaseModel):
    subject_uid: str
    name: str | None = None
    credit_code: str | None = None
    uid: str
    behaviour_code: str
    doc_number: str | None = None
    start: date
    end: date


class Assessed(BaseModel):
    level: str
    as_of: date
    factors: str | None = None
    uid: str


class HistoryRow(BaseModel):
    subject_uid: str
    name: str | None = None
    credit_code: str | None = None
    history: list[Assessed]


def serious_records(store: Store, codes: list[str], on: date) -> list[SeriousRow]:
    rows = store.read(cypher("publication/serious_records"), {"codes": codes, "on": on})
    return [SeriousRow.model_validate(r) for r in rows]


def level_history(store: Store, levels: list[str], on: date) -> list[HistoryRow]:
    rows = store.read(cypher("publication/level_history"), {"levels": levels, "on": on})
    return [HistoryRow.model_validate(r) for r in rows]
