"""Typed runners for the facts the credit model grades and reports: a subject's facts, its own records
(and every record with its holder, for the batch), the subject uids and count, assessment history
and objections. The parameters come in as plain values (`RecordParams`); the policy stays in `credit/`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from graph.store import Store
from queries.chains import Chain, ChainParams, ChainViolation, chains_statement
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
    return SubjectFacts.model_validate(rows[0]) if rows else None


def _reads(uid: str, records: RecordParams, chains: ChainParams) -> list[tuple[str, dict[str, Any]]]:
    return [
        (cypher("credit/subject_facts"), {"uid": uid}),
        (cypher("credit/own_records"), {**records.model_dump(), "uid": uid}),
        chains_statement(uid, chains),
    ]


def evaluation_facts(
    store: Store, uids: Sequence[str], records: RecordParams, chains: ChainParams
) -> list[EvaluationFacts]:
    """The facts, own records and chains of each of `uids`, all in one read transaction: one consistent
    snapshot, and the transaction overhead paid once (it was a third of a single check's time)."""
    results = store.read_many([read for uid in uids for read in _reads(uid, records, chains)])
    out: list[EvaluationFacts] = []
    for index, uid in enumerate(uids):
        facts, own, found = results[3 * index : 3 * index + 3]
        out.append(
            EvaluationFacts(
                uid=uid,
                facts=SubjectFacts.model_validate(facts[0]) if facts else None,
                records=[OwnRecord.model_validate(row) for row in own],
                chains=[Chain.model_validate(row) for row in found],
            )
        )
    return out


def records_all(store: Store, params: RecordParams) -> list[HeldRecord]:
    """Every record with its holder, whether it counts and why not; per holder in a single check's order."""
    rows = [HeldRecord.model_validate(row) for row in store.read(cypher("credit/records_all"), params.model_dump())]
    rows.sort(key=lambda r: r.violation.uid)  # own_records: newest decision first, then uid
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
