"""Typed runners for the facts the credit model grades and reports: a subject's facts, its own records
(and every record with its holder, for the batch), the subject uids and count, assessment history
and objections. The parameters come in as plain values (`RecordParams`); the policy stays in `credit/`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

from graph.store import Store
from queries.chains import Chain, ChainParams, ChainViolation
from queries.freshness import StoredState
from queries.shapes import Figure
from queries.statements import cypher


class RecordParams(BaseModel):
    """What the record statements take: the day, and each behaviour's months in force."""

    model_config = ConfigDict(frozen=True)

    as_of: date
    months: dict[str, int]  # behaviour code -> months in force
    default_months: int  # for a code not in the catalogue


class RecordInfo(ChainViolation):
    """A record as stored, with the workflow fields."""

    description: str | None = None
    penalty_done_on: date | None = None
    ended_on: date | None = None
    suspended_since: date | None = None
    repaired_on: date | None = None


class OwnRecord(BaseModel):
    """One of the subject's records and whether it counts on the date (and if not, why)."""

    violation: RecordInfo
    in_force_until: date | None = None
    not_counted: str | None = None
    pending_objections: list[str] = []


class HeldRecord(OwnRecord):
    """A record with its holder, as the batch classification reads them all."""

    subject_uid: str
    agency: bool


class SubjectFacts(BaseModel):
    uid: str
    name: str | None = None
    labels: list[str]
    agency: bool
    credit_code: str | None = None
    country: str | None = None
    status: str | None = None
    registered_on: date | None = None
    source: str | None = None
    source_ref: str | None = None
    rights_applied: int = 0
    rights_represented: int = 0


class EvaluationFacts(BaseModel):
    """Everything a single check grades, read in one snapshot: no `facts` when the subject is unknown."""

    uid: str
    facts: SubjectFacts | None
    records: list[OwnRecord]
    chains: list[Chain]
    state: StoredState | None = None  # read when asked: what a live check is compared with


class HistoryEntry(BaseModel):
    uid: str
    level: str
    score: Figure
    as_of: date
    policy_version: str
    created_at: datetime | None = None


class ObjectionEntry(BaseModel):
    uid: str
    status: str
    filed_on: date | None = None
    resolved_on: date | None = None
    actor: str | None = None
    reason: str | None = None
    violation_uid: str


def subject_facts(store: Store, uid: str) -> SubjectFacts | None:
    rows = store.read(cypher("credit/subject_facts"), {"uid": uid})
    return SubjectFacts.model_validate(rows[0]["facts"]) if rows else None


def evaluation_facts(
    store: Store, uids: Sequence[str], records: RecordParams, chains: ChainParams, *, with_state: bool = False
) -> list[EvaluationFacts]:
    """The facts, own records and chains of each of `uids` (and, `with_state`, the maintained state),
    in `uids`' order: one statement, so one snapshot and one round trip (a live check's reads were five)."""
    params = {**records.model_dump(), **chains.cypher_params(), "uids": list(uids), "with_state": with_state}
    read = {
        row["uid"]: EvaluationFacts.model_validate(row) for row in store.read(cypher("credit/evaluation_facts"), params)
    }
    return [read[uid] for uid in uids]


def records_all(store: Store, params: RecordParams) -> list[HeldRecord]:
    """Every record with its holder, whether it counts and why not; per holder in a single check's order."""
    rows = [HeldRecord.model_validate(row) for row in store.read(cypher("credit/records_all"), params.model_dump())]
    rows.sort(key=lambda r: r.violation.uid)  # as a single check has them: newest decision first, then uid
    rows.sort(key=lambda r: r.violation.decided_on, reverse=True)
    return rows


def subject_count(store: Store) -> int:
    return int(store.read(cypher("credit/subject_count"))[0]["subjects"])


def offender_count(store: Store) -> int:
    return int(store.read(cypher("credit/offender_count"))[0]["offenders"])


def subject_uids(store: Store) -> list[str]:
    return [str(row["uid"]) for row in store.read(cypher("credit/subject_uids"))]


def assessment_history(store: Store, uid: str, limit: int) -> list[HistoryEntry]:
    rows = store.read(cypher("credit/assessment_history"), {"uid": uid, "limit": limit})
    return [HistoryEntry.model_validate(row) for row in rows]


def objections_of(store: Store, uid: str) -> list[ObjectionEntry]:
    return [ObjectionEntry.model_validate(row) for row in store.read(cypher("credit/objections_of"), {"uid": uid})]
