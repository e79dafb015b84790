"""Typed runners for credit commitments: recording one under the subject's lock (with its refusal),
verifying one under its own lock (its record made in the same transaction), and listing them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel

from graph.store import Store, Tx
from queries.statements import cypher

T = TypeVar("T")


class CommitmentNotFoundError(LookupError):
    """No subject, or no commitment, with the given uid."""


class RouteState(BaseModel):
    """What decides a subject's access to the commitment route, read under its lock."""

    uid: str
    level: str | None
    serious: list[str]


class Commitment(BaseModel):
    """A credit commitment as stored."""

    uid: str
    subject_uid: str
    matter: str
    text: str
    made_on: date
    due_by: date
    office: str
    status: str  # pending | kept | broken | untrue
    verified_on: date | None = None
    record_uid: str | None = None  # the record its verification made


class CommitmentPage(BaseModel):
    items: list[Commitment]
    total: int


def with_subject_locked(store: Store, uid: str, params: dict[str, Any], step: Callable[[Tx, RouteState], T]) -> T:
    """Lock the subject, read its route state (`params`: the in-force parameters), run `step`, commit."""

    def work(tx: Tx) -> T:
        rows = tx.run(cypher("commitments/lock_subject"), {"uid": uid, **params})
        if not rows:
            raise CommitmentNotFoundError(f"no subject with uid {uid!r}")
        return step(tx, RouteState.model_validate(rows[0]))

    return store.in_write_transaction(work)


def record_in(tx: Tx, params: dict[str, Any]) -> None:
    tx.run(cypher("commitments/record"), params)


def refusal_in(tx: Tx, params: dict[str, Any]) -> None:
    tx.run(cypher("commitments/audit_refusal"), params)


def with_commitment_locked(store: Store, uid: str, step: Callable[[Tx, str, str], T]) -> T:
    """Lock the commitment, then run `step(tx, subject_uid, status)` in the same transaction."""

    def work(tx: Tx) -> T:
        rows = tx.run(cypher("commitments/lock"), {"uid": uid})
        if not rows:
            raise CommitmentNotFoundError(f"no commitment with uid {uid!r}")
        return step(tx, str(rows[0]["subject_uid"]), str(rows[0]["status"]))

    return store.in_write_transaction(work)


def verify_in(tx: Tx, params: dict[str, Any]) -> bool:
    """Keep the outcome and make the record; False when the commitment was no longer pending."""
    return bool(tx.run(cypher("commitments/verify"), params))


def commitments(
    store: Store, *, subject: str | None = None, status: str | None = None, offset: int = 0, limit: int = 100
) -> CommitmentPage:
    params = {"subject": subject, "status": status, "offset": offset, "limit": limit}
    return CommitmentPage.model_validate(store.read(cypher("commitments/list"), params)[0])
