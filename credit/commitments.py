"""Credit commitments (信用承诺): a subject promises it meets a matter's conditions instead of proving
them first; the office named verifies it later. The rules decide who may use the route (not a level
the rules shut out, not with a serious record in force: CNIPA rules art. 9), refusing with every
reason (audited). A commitment verified as kept becomes a positive record; broken or untrue, a
broken-commitment record (art. 6, item 5), with the commitment as its evidence; either way the subject
and whoever its chains reach are re-graded like any workflow step.

Both steps are atomic in the database: recording locks the subject and reads its serious records in
the transaction that writes; verifying locks the commitment, so of two verifications one wins.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field, model_validator

from credit.evaluate import evaluate
from credit.policy import Policy, Severity, default_policy
from credit.supervision_rules import SupervisionRules, default_rules
from credit.workflow import LevelChange, StepRefusedError, WorkflowError, regrade_after_step, touched_subjects
from graph.store import Store, Tx
from queries.commitments import (
    CommitmentNotFoundError,
    RouteState,
    commitments,
    record_in,
    refusal_in,
    verify_in,
    with_commitment_locked,
    with_subject_locked,
)

Text = Annotated[str, Field(min_length=1, max_length=4000)]
Short = Annotated[str, Field(min_length=1, max_length=400)]


class CommitmentRefusedError(StepRefusedError):
    """The subject may not use the commitment route (the refusal is audited)."""

    code = "commitment_refused"

    def __init__(self, subject_uid: str, reasons: list[str], event_uid: str) -> None:
        super().__init__(f"commitment of {subject_uid}", reasons, event_uid)
        self.subject_uid = subject_uid


class Outcome(StrEnum):
    KEPT = "kept"
    BROKEN = "broken"
    UNTRUE = "untrue"


class CommitmentRequest(BaseModel):
    subject_uid: Short
    matter: Short
    text: Text
    made_on: date
    due_by: date
    office: Short
    actor: Short

    @model_validator(mode="after")
    def _dates(self) -> CommitmentRequest:
        if self.due_by < self.made_on:
            raise ValueError("due_by must not be before made_on")
        return self


class VerifyRequest(BaseModel):
    commitment_uid: Short
    outcome: Outcome
    reason: Text
    actor: Short
    on: date
    doc_number: Short | None = None


class Recorded(BaseModel):
    uid: str
    subject_uid: str
    event_uid: str
    status: str = "pending"


class Verified(BaseModel):
    """What a verification did: the outcome, the record it made, the audit event, the re-grading."""

    commitment_uid: str
    outcome: Outcome
    violation_uid: str
    behaviour_code: str
    event_uid: str
    on: date
    regraded: int
    changed: list[LevelChange]


def route_refusals(level: str | None, serious: list[str], rules: SupervisionRules) -> list[str]:
    """Every reason the commitment route is shut (empty: open)."""
    route = rules.commitment
    reasons = []
    if level is not None and level in {lv.value for lv in route.refused_levels}:
        reasons.append(f"the subject's credit level is {level}: no access to the commitment route (art. 9)")
    if route.refuse_serious_in_force and serious:
        reasons.append(f"serious record(s) in force: {', '.join(serious)}")
    return reasons


def _uid(prefix: str) -> str:
    return f"{prefix}:{uuid.uuid4().hex}"


def record_commitment(
    store: Store, request: CommitmentRequest, policy: Policy | None = None, rules: SupervisionRules | None = None
) -> Recorded:
    """Record a commitment when the route is open; else audit the refusal and raise with every reason.

    The level is the subject's evaluation on the day the commitment is made; its serious records are
    read again under the subject's lock, in the transaction that records (or refuses).
    """
    policy, rules = policy or default_policy(), rules or default_rules()
    try:
        level = evaluate(store, request.subject_uid, request.made_on, policy).level.value
    except LookupError as exc:
        raise WorkflowError(f"no subject with uid {request.subject_uid!r}") from exc
    uid, event_uid = _uid("commitment"), _uid("audit")
    serious_codes = [c for c, b in policy.catalogue.behaviours.items() if b.severity is Severity.SERIOUS]
    in_force = {
        "as_of": request.made_on,
        "serious_codes": serious_codes,
        "months": policy.catalogue.months(),
        "default_months": policy.unknown_behaviour.months_in_force,
    }

    def step(tx: Tx, state: RouteState) -> list[str]:
        reasons = route_refusals(level, state.serious, rules)
        common = {
            "subject_uid": state.uid,
            "event_uid": event_uid,
            "actor": request.actor,
            "made_on": request.made_on,
            "now": datetime.now(UTC),
        }
        if reasons:
            refusal_in(tx, {**common, "detail": "; ".join(reasons)})
        else:
            params = request.model_dump(exclude={"subject_uid", "actor", "made_on"})
            record_in(tx, {**common, **params, "uid": uid, "detail": f"commitment recorded: {request.matter}"})
        return reasons

    try:
        reasons = with_subject_locked(store, request.subject_uid, in_force, step)
    except CommitmentNotFoundError as exc:
        raise WorkflowError(str(exc)) from exc
    if reasons:  # the refusal is committed (audited) before it is raised
        raise CommitmentRefusedError(request.subject_uid, reasons, event_uid)
    return Recorded(uid=uid, subject_uid=request.subject_uid, event_uid=event_uid)


def verify_commitment(
    store: Store, request: VerifyRequest, policy: Policy | None = None, rules: SupervisionRules | None = None
) -> Verified:
    """Keep the verification outcome, make its record (the commitment as evidence), re-grade."""
    policy, rules = policy or default_policy(), rules or default_rules()
    on = request.on
    kept = request.outcome is Outcome.KEPT
    code = rules.commitment.kept_code if kept else rules.commitment.broken_code
    violation_uid, event_uid = _uid("commitment-record"), _uid("audit")
    detail = f"commitment {request.commitment_uid} verified: {request.outcome.value}; record {code}"

    def step(tx: Tx, subject_uid: str, status: str) -> str:
        if status != "pending":
            raise WorkflowError(f"commitment {request.commitment_uid} is already {status}")
        params = {
            "uid": request.commitment_uid,
            "outcome": request.outcome.value,
            "on": on,
            "actor": request.actor,
            "reason": request.reason,
            "violation_uid": violation_uid,
            "code": code,
            "doc_number": request.doc_number,
            "event_uid": event_uid,
            "detail": detail,
            "now": datetime.now(UTC),
        }
        if not verify_in(tx, params):
            raise WorkflowError(f"commitment {request.commitment_uid} changed while it was verified; retry")
        return subject_uid

    try:
        subject_uid = with_commitment_locked(store, request.commitment_uid, step)
    except CommitmentNotFoundError as exc:
        raise WorkflowError(str(exc)) from exc
    touched = touched_subjects(store, violation_uid, subject_uid, policy, on)
    regraded, changed = regrade_after_step(store, touched, on, policy, event_uid)
    return Verified(
        commitment_uid=request.commitment_uid,
        outcome=request.outcome,
        violation_uid=violation_uid,
        behaviour_code=code,
        event_uid=event_uid,
        on=on,
        regraded=regraded,
        changed=changed,
    )


class CommitmentEntry(BaseModel):
    """A commitment as the credit report shows it (the text itself stays in `GET /commitments`)."""

    uid: str
    matter: str
    made_on: date
    due_by: date
    office: str
    status: str
    verified_on: date | None = None
    record_uid: str | None = None


def commitments_of(store: Store, uid: str, limit: int = 50) -> list[CommitmentEntry]:
    """The subject's latest commitments for its report."""
    page = commitments(store, subject=uid, limit=limit)
    return [CommitmentEntry.model_validate(c.model_dump(exclude={"text", "subject_uid"})) for c in page.items]
