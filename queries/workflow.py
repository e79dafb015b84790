"""Typed runners for the workflow's guarded writes: each step locks its record first, then reads the
state and writes, all in one write transaction, so concurrent steps (from any API worker) serialise in
the database and the second sees what the first did."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from graph.store import Row, Store, Tx
from queries.statements import cypher

T = TypeVar("T")


class RecordNotFoundError(LookupError):
    """No record (or no objection) with the given uid."""


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


def run_in(tx: Tx, statement: str, params: dict[str, Any]) -> Row | None:
    """One of the workflow's statements (`credit/...`) inside a locked step; its first row or None."""
    rows = tx.run(cypher(statement), params)
    return rows[0] if rows else None

