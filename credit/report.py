"""The credit report of one subject: facts, registry facts with their provenance, current evaluation
with its evidence, level history, measures, objections and the audit trail. A plain model; the API
renders it as JSON or HTML."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from credit.evaluate import Evaluation, evaluate, subject_facts, today
from credit.policy import Policy, default_policy
from graph.cypher import cypher
from graph.store import Store
from queries.report import Registry, registry


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


class HistoryEntry(BaseModel):
    uid: str
    level: str
    score: float
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


class AuditEntry(BaseModel):
    uid: str
    actor: str | None = None
    action: str
    reason: str | None = None
    outcome: str | None = None
    created_at: datetime | None = None
    on: date | None = None
    detail: str | None = None
    violation_uid: str


class CreditReport(BaseModel):
    subject: SubjectFacts
    registry: Registry  # legal representatives, shareholders, officers, addresses, agencies, with provenance
    evaluation: Evaluation  # level, score, factors, chains as evidence, measures
    history: list[HistoryEntry]
    objections: list[ObjectionEntry]
    audit: list[AuditEntry]
    generated_at: datetime


def build_report(
    store: Store, uid: str, as_of: date | None = None, policy: Policy | None = None, history_limit: int = 50
) -> CreditReport:
    """Everything a credit report shows about `uid` (raises `SubjectNotFoundError` when unknown)."""
    policy = policy or default_policy()
    facts: dict[str, Any] = subject_facts(store, uid)
    evaluation = evaluate(store, uid, as_of or today(), policy)
    history = store.read(cypher("credit/assessment_history"), {"uid": uid, "limit": history_limit})
    objections = store.read(cypher("credit/objections_of"), {"uid": uid})
    audit = store.read(cypher("credit/audit_trail"), {"uid": uid})
    return CreditReport(
        subject=SubjectFacts.model_validate(facts),
        registry=registry(store, uid) or Registry(),
        evaluation=evaluation,
        history=[HistoryEntry.model_validate(h) for h in history],
        objections=[ObjectionEntry.model_validate(o) for o in objections],
        audit=[AuditEntry.model_validate(a) for a in audit],
        generated_at=datetime.now().astimezone(),
    )
