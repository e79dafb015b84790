"""The credit report of one subject: facts, registry facts with their provenance, current evaluation
with its evidence, level history, measures, objections, the audit trail and its credit commitments. A
plain model; the API renders it as JSON or HTML."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel

from credit.commitments import CommitmentEntry, commitments_of
from credit.evaluate import evaluate, subject_facts, today
from credit.grading import Evaluation
from credit.policy import Policy, default_policy
from graph.store import Store
from queries.audit import AuditEntry, trail
from queries.credit import HistoryEntry, ObjectionEntry, SubjectFacts, assessment_history, objections_of
from queries.report import Registry, registry


class CreditReport(BaseModel):
    subject: SubjectFacts
    registry: Registry  # legal representatives, shareholders, officers, addresses, agencies, with provenance
    evaluation: Evaluation  # level, score, factors, chains as evidence, measures
    history: list[HistoryEntry]
    objections: list[ObjectionEntry]
    audit: list[AuditEntry]
    commitments: list[CommitmentEntry] = []  # credit commitments made, newest first
    generated_at: datetime


def build_report(
    store: Store, uid: str, as_of: date | None = None, policy: Policy | None = None, history_limit: int = 50
) -> CreditReport:
    """Everything a credit report shows about `uid` (raises `SubjectNotFoundError` when unknown)."""
    policy = policy or default_policy()
    facts = subject_facts(store, uid)
    evaluation = evaluate(store, uid, as_of or today(), policy)
    return CreditReport(
        subject=facts,
        registry=registry(store, uid) or Registry(),
        evaluation=evaluation,
        history=assessment_history(store, uid, history_limit),
        objections=objections_of(store, uid),
        audit=trail(store, uid),
        commitments=commitments_of(store, uid),
        generated_at=datetime.now().astimezone(),
    )
