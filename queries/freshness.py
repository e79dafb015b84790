"""Typed runners for the maintained credit state: writing states (history and change events only on
change), reading them back, and finding what a load changed and whom that can reach."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime

from pydantic import BaseModel

from graph.schema import CONTACT_LINKS, LOADED_AT_LABELS, LOADED_AT_RELS, PARTY_TIES, Rel
from graph.store import Row, Store
from queries.statements import cypher


class StateRow(BaseModel):
    """One subject's evaluation as the state statement stores it."""

    uid: str
    level: str
    score: float
    factors: str | None  # null: a trivial evaluation (no record, no chain)
    evaluation: str | None
    as_of: date
    records: list[str] | None
    reached: list[str] | None
    cause_kind: str
    cause_uid: str | None


class StoredState(BaseModel):
    """A subject's maintained state as read back."""

    uid: str
    agency: bool
    level: str | None = None
    score: float | None = None
    policy_version: str | None = None
    as_of: date | None = None
    assessed_at: str | None = None
    factors: str | None = None
    evaluation: str | None = None


class Written(BaseModel):
    states: int = 0  # subjects whose level, score or factors changed (one :Assessment each)
    changes: int = 0  # change events appended to the feed


def write_states(
    store: Store, rows: Iterable[StateRow], *, version: str, now: datetime, batch_size: int | None = None
) -> Written:
    """Store states in batches (one transaction each); only changed subjects are written."""
    totals = store.write_batches(
        cypher("freshness/write_states"),
        (r.model_dump(mode="json") for r in rows),
        batch_size=batch_size,
        params={"version": version, "now": now},
    )
    return Written(states=totals.get("states", 0), changes=totals.get("changes", 0))


def graded_policy(store: Store) -> str | None:
    rows = store.read(cypher("freshness/graded_policy"))
    return str(rows[0]["version"]) if rows and rows[0]["version"] is not None else None


def record_policy(store: Store, version: str) -> None:
    store.write(cypher("freshness/record_policy"), {"version": version})


def base_candidates(store: Store, *, level: str, score: float, version: str) -> list[tuple[str, bool]]:
    """Subjects not already in the base state: (uid, agency)."""
    rows = store.read(cypher("freshness/base_candidates"), {"level": level, "score": score, "version": version})
    return [(str(r["uid"]), bool(r["agency"])) for r in rows]


def states(store: Store, uids: list[str]) -> dict[str, StoredState]:
    rows = store.read(cypher("freshness/states"), {"uids": uids})
    return {str(r["state"]["uid"]): StoredState.model_validate(r["state"]) for r in rows}


def all_states(store: Store) -> Iterator[Row]:
    """uid, level, score, factors of every subject."""
    yield from store.read(cypher("freshness/all_states"))


class LoadChanges(BaseModel):
    """What one transactional load wrote that can move a level."""

    holders: dict[str, str] = {}  # subject -> a record of it (or itself) that changed: reaches k hops
    subjects: list[str] = []  # subjects written that hold no record: their own level only
    ties: list[tuple[str, str, str]] = []  # (type, start, end) of party ties written
    contacts: list[tuple[str, str, str]] = []  # (type, subject, contact point) of contact links written


def load_changes(store: Store, loaded_at: datetime) -> LoadChanges:
    """Nodes and links the load of `loaded_at` wrote (found by index on `loaded_at`)."""
    out = LoadChanges()
    params = {"loaded_at": loaded_at}
    for label in LOADED_AT_LABELS:
        for row in store.read(cypher("freshness/changed_nodes", label=label), params):
            if row["holds"]:
                out.holders.setdefault(str(row["uid"]), str(row["changed"]))
            else:
                out.subjects.append(str(row["uid"]))
    for rel in LOADED_AT_RELS:
        for row in store.read(cypher("freshness/changed_links", rel=rel), params):
            start, end = str(row["start"]), str(row["end"])
            if rel in PARTY_TIES:
                out.ties.append((str(rel), start, end))
            elif rel in CONTACT_LINKS:
                out.contacts.append((str(rel), start, end))
            elif rel is Rel.COMMITTED:
                out.holders[start] = end
    return out


def sharers(store: Store, points: list[str], *, loaded_at: datetime | None, skip_above: int) -> dict[str, list[str]]:
    """Subjects sharing each contact point that chains can pass through (before or after the load)."""
    out: dict[str, list[str]] = {}
    rows = store.read(cypher("freshness/sharers"), {"uids": points, "loaded_at": loaded_at, "skip_above": skip_above})
    for row in rows:
        out.setdefault(str(row["point"]), []).append(str(row["uid"]))
    return out


class Neighbour(BaseModel):
    """A subject one step out: whether chains pass through it, start at it, and what it reached."""

    uid: str
    hub: bool
    offender: bool
    reached: list[str]


def neighbours(
    store: Store, uids: list[str], *, loaded_at: datetime | None, skip_above: int, hub_skip_above: int
) -> dict[str, list[Neighbour]]:
    """One step out from each subject over party ties and shareable contact points, whatever the date."""
    params = {"uids": uids, "loaded_at": loaded_at, "skip_above": skip_above, "hub_skip_above": hub_skip_above}
    rows = store.read(cypher("freshness/neighbours"), params)
    return {str(r["from"]): [Neighbour.model_validate(n) for n in r["found"]] for r in rows}


def seeds(store: Store, uids: list[str], *, hub_skip_above: int) -> list[Neighbour]:
    """The given subjects with the fields a neighbour has, for the start of a walk."""
    rows = store.read(cypher("freshness/seeds"), {"uids": uids, "hub_skip_above": hub_skip_above})
    return [Neighbour.model_validate(r) for r in rows]


def records_of(store: Store, uids: list[str]) -> set[str]:
    """The uids of the records the given subjects hold, in any state."""
    return {str(r["uid"]) for r in store.read(cypher("freshness/records_of"), {"uids": uids})}
