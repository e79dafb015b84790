"""Typed runners for applied measures: bringing subjects' measures in line with their levels, listing
them with their feedback, and recording a department's feedback under the measure's lock."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any, TypeVar

from pydantic import BaseModel

from graph.store import Store, Tx
from queries.statements import cypher

T = TypeVar("T")


class MeasureNotFoundError(LookupError):
    """No applied measure with the given uid."""


class Wanted(BaseModel):
    """A measure a subject's evaluation calls for: `key` (level and rule) tells one measure from another."""

    key: str
    rule: str
    level: str
    measure: str
    department: str
    planned_end: date


class MeasureRow(BaseModel):
    """One subject's evaluation date, level and the measures it calls for."""

    uid: str
    on: date
    level: str
    wanted: list[Wanted]


class Reconciled(BaseModel):
    started: int = 0
    ended: int = 0


class Feedback(BaseModel):
    uid: str
    on: date
    department: str
    text: str
    actor: str | None = None


class AppliedMeasure(BaseModel):
    """A measure applied to a subject: who executes it, from when, until when (planned, and ended)."""

    uid: str
    subject_uid: str
    name: str | None = None
    credit_code: str | None = None
    rule: str
    level: str
    measure: str
    department: str
    started_on: date
    planned_end: date
    ended_on: date | None = None
    end_reason: str | None = None
    feedback: list[Feedback] = []


class MeasurePage(BaseModel):
    items: list[AppliedMeasure]
    total: int


def reconcile(store: Store, rows: Iterable[MeasureRow], *, version: str, now: datetime) -> Reconciled:
    """Start and end measures in batches (one transaction each); unchanged subjects are not written."""
    totals = store.write_batches(
        cypher("measures/reconcile"),
        (r.model_dump(mode="json") for r in rows),
        params={"version": version, "now": now},
    )
    return Reconciled(started=totals.get("started", 0), ended=totals.get("ended", 0))


def measures(
    store: Store,
    *,
    subject: str | None = None,
    department: str | None = None,
    active: bool | None = None,
    offset: int = 0,
    limit: int | None = 100,
) -> MeasurePage:
    params = {"subject": subject, "department": department, "active": active, "offset": offset, "limit": limit}
    return MeasurePage.model_validate(store.read(cypher("measures/list"), params)[0])


def with_measure_locked(store: Store, uid: str, step: Callable[[Tx, str], T]) -> T:
    """Lock the measure, then run `step(tx, department)` in the same transaction."""

    def work(tx: Tx) -> T:
        rows = tx.run(cypher("measures/lock"), {"uid": uid})
        if not rows:
            raise MeasureNotFoundError(f"no applied measure with uid {uid!r}")
        return step(tx, str(rows[0]["department"]))

    return store.in_write_transaction(work)


def feedback_in(tx: Tx, params: dict[str, Any]) -> None:
    tx.run(cypher("measures/feedback"), params)
