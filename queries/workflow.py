"""Typed runners for the workflow's guarded writes: each step locks its record first, then reads the
state and writes, all in one write transaction, so concurrent steps (from any API worker) serialise in
the database and the second sees what the first did."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel

from graph.store import Row, Store, Tx
from queries.credit import RecordInfo
from queries.statements import cypher

T = TypeVar("T")


class RecordNotFoundError(LookupError):
    """No record (or no objection) with the given uid."""


class RecordState(BaseModel):
    """What the workflow decides on: the record, its pending objections, later records of the same
    kind and the holder's repairs."""

    subject_uid: str
    violation: RecordInfo
    pending_objections: list[str]
    same_kind_since: list[str]
    repairs: list[date]


def locked_step(
    store: Store,
    step: Callable[[Tx, str, str], T],
    *,
    violation_uid: str | None = None,
    objection_uid: str | None = None,
) -> T:
    """Lock the record (by its uid or an objection's), then run `step(tx, violation_uid, subject_uid)`."""

    def work(tx: Tx) -> T:
        rows = tx.run(cypher("workflow/lock_record"), {"violation_uid": violation_uid, "objection_uid": objection_uid})
        if not rows:
            what = f"objection with uid {objection_uid!r}" if objection_uid else f"record with uid {violation_uid!r}"
            raise RecordNotFoundError(f"no {what}")
        return step(tx, str(rows[0]["violation_uid"]), str(rows[0]["subject_uid"]))

    return store.in_write_transaction(work)


def _first(tx: Tx, statement: str, params: dict[str, Any]) -> Row | None:
    rows = tx.run(cypher(statement), params)
    return rows[0] if rows else None


def record_state_in(tx: Tx, violation_uid: str, on: date) -> RecordState | None:
    """The record's state as the locked step sees it."""
    row = _first(tx, "credit/violation_state", {"violation_uid": violation_uid, "on": on})
    return None if row is None else RecordState.model_validate(row)


def objection_in(tx: Tx, objection_uid: str) -> dict[str, Any] | None:
    """The objection's stored properties, or None when there is none with that uid."""
    row = _first(tx, "credit/objection_get", {"objection_uid": objection_uid})
    return None if row is None else dict(row["objection"])


def file_objection_in(tx: Tx, params: dict[str, Any]) -> bool:
    """Store the objection, suspend the record when `suspends`, audit it; False if the record moved."""
    return _first(tx, "credit/objection_file", params) is not None


def resolve_objection_in(tx: Tx, params: dict[str, Any]) -> bool:
    """Resolve a pending objection with its outcome, audited; False if it is no longer pending."""
    return _first(tx, "credit/objection_resolve", params) is not None


def repair_in(tx: Tx, params: dict[str, Any]) -> bool:
    """End the record's effect by repair, audited; False if the record moved."""
    return _first(tx, "credit/repair_apply", params) is not None


def audit_refusal_in(tx: Tx, params: dict[str, Any]) -> None:
    """Audit a refused step (its reasons in `detail`)."""
    _first(tx, "credit/audit_refusal", params)
