"""Objections and credit repair: each step changes a record's effect, is audited, and re-grades the
subjects it touches (the offender and every subject whose chains reach the record).

Filing an objection suspends the record's effect while it is pending (policy `objection.suspends`);
upholding it revokes the record, rejecting it restores the effect. Repair ends a record's effect early
when the policy's conditions hold; otherwise `RepairRefusedError` says every reason, and the refusal
is audited too.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, TypeVar

from pydantic import BaseModel, Field

from credit.evaluate import today
from credit.freshness import regrade_subjects
from credit.params import chain_params
from credit.policy import Policy, Severity, add_months, default_policy
from credit.register import publish_in
from credit.states import Cause
from graph.store import Store, Tx
from queries.chains import chains_outward
from queries.freshness import states
from queries.workflow import (
    RecordNotFoundError,
    RecordState,
    audit_refusal_in,
    file_objection_in,
    locked_step,
    objection_in,
    record_state_in,
    repair_in,
    resolve_objection_in,
)

T = TypeVar("T")

Actor = Annotated[str, Field(min_length=1, max_length=200)]
Reason = Annotated[str, Field(min_length=1, max_length=2000)]


class WorkflowError(ValueError):
    """A workflow step cannot be done (unknown record or objection, wrong state)."""


class StepRefusedError(WorkflowError):
    """The policy does not allow a step; `reasons` lists every condition that failed, `event_uid` is the
    audited refusal and `code` names the kind of step for the API."""

    code = "refused"

    def __init__(self, what: str, reasons: list[str], event_uid: str) -> None:
        super().__init__(f"{what} refused: " + "; ".join(reasons))
        self.reasons = reasons
        self.event_uid = event_uid


class RepairRefusedError(StepRefusedError):
    """The policy does not allow this repair."""

    code = "repair_refused"

    def __init__(self, violation_uid: str, reasons: list[str], event_uid: str) -> None:
        super().__init__(f"repair of {violation_uid}", reasons, event_uid)
        self.violation_uid = violation_uid


class Outcome(StrEnum):
    UPHELD = "upheld"
    REJECTED = "rejected"


class ObjectionRequest(BaseModel):
    violation_uid: str
    actor: Actor
    reason: Reason
    on: date | None = None


class ResolveRequest(BaseModel):
    objection_uid: str
    outcome: Outcome
    actor: Actor
    reason: Reason
    on: date | None = None


class RepairRequest(BaseModel):
    violation_uid: str
    actor: Actor
    reason: Reason
    on: date | None = None


class LevelChange(BaseModel):
    """A subject whose level a step changed: the stored level before (None: never assessed) and now."""

    uid: str
    old: str | None
    new: str


class StepResult(BaseModel):
    """What a workflow step did: the record, the audit event (committed with the step), what changed."""

    action: str
    violation_uid: str
    objection_uid: str | None = None
    event_uid: str
    on: date
    detail: str
    regraded: int  # subjects re-graded
    changed: list[LevelChange]  # those whose level changed


def _uid(prefix: str) -> str:
    return f"{prefix}:{uuid.uuid4().hex}"


def _state_in(tx: Tx, violation_uid: str, on: date) -> RecordState:
    state = record_state_in(tx, violation_uid, on)
    if state is None:
        raise WorkflowError(f"no record (violation) with uid {violation_uid!r}")
    return state


def _locked(store: Store, step: Callable[[Tx, str, str], T], **uid: str) -> T:
    try:
        return locked_step(store, step, **uid)
    except RecordNotFoundError as exc:
        raise WorkflowError(str(exc)) from exc


def touched_subjects(store: Store, violation_uid: str, offender: str, policy: Policy, on: date) -> set[str]:
    """The offender and every subject whose chains reach the record (while it is in force)."""
    reached = chains_outward(store, chain_params(policy, on), violation_uid=violation_uid)
    return {offender, *(c.subject_uid for c in reached)}


def regrade_after_step(
    store: Store, uids: set[str], on: date, policy: Policy, event_uid: str
) -> tuple[int, list[LevelChange]]:
    """Re-grade `uids` (the change feed names the step as cause); the count and the level changes."""
    before = {uid: state.level for uid, state in states(store, sorted(uids)).items()}
    evaluations = regrade_subjects(store, uids, Cause(kind="workflow", uid=event_uid), as_of=on, policy=policy)
    changed = [
        LevelChange(uid=e.subject_uid, old=before.get(e.subject_uid), new=e.level.value)
        for e in evaluations
        if before.get(e.subject_uid) != e.level.value
    ]
    return len(evaluations), changed


def file_objection(store: Store, request: ObjectionRequest, policy: Policy | None = None) -> StepResult:
    """File an objection; while pending it suspends the record's effect (when the policy says so)."""
    policy = policy or default_policy()
    on = request.on or today()
    objection_uid, event_uid = _uid("objection"), _uid("audit")
    detail = f"objection filed; record effect suspended: {policy.objection.suspends}"

    def step(tx: Tx, violation_uid: str, offender: str) -> str:
        state = _state_in(tx, violation_uid, on)
        if state.violation.status not in (None, "in_force"):
            raise WorkflowError(f"record {violation_uid} is {state.violation.status}: nothing to object to")
        params = {
            "violation_uid": violation_uid,
            "objection_uid": objection_uid,
            "event_uid": event_uid,
            "on": on,
            "actor": request.actor,
            "reason": request.reason,
            "suspends": policy.objection.suspends,
            "now": datetime.now(UTC),
            "detail": detail,
        }
        if not file_objection_in(tx, params):
            raise WorkflowError(f"record {violation_uid} changed while the objection was filed; retry")
        return offender

    offender = _locked(store, step, violation_uid=request.violation_uid)
    touched = touched_subjects(store, request.violation_uid, offender, policy, on)
    regraded, changed = regrade_after_step(store, touched, on, policy, event_uid)
    return StepResult(
        action="objection_filed",
        violation_uid=request.violation_uid,
        objection_uid=objection_uid,
        event_uid=event_uid,
        on=on,
        detail=detail,
        regraded=regraded,
        changed=changed,
    )


def _resolution_detail(outcome: Outcome, status: str | None, others_pending: int) -> str:
    """What a resolution does to the record, said plainly (also when it changes nothing)."""
    if status not in (None, "in_force"):
        return f"the record is already {status}; its state is unchanged"
    if outcome is Outcome.UPHELD:
        return "record revoked"
    if others_pending:
        return f"record stays suspended: {others_pending} other objection(s) pending"
    return "record effect restored"


def resolve_objection(store: Store, request: ResolveRequest, policy: Policy | None = None) -> StepResult:
    """Resolve a pending objection: upheld revokes the record, rejected restores its effect.

    The objection's state is read after the record is locked, in the transaction that resolves it: of
    two concurrent resolutions exactly one succeeds, the other is a `WorkflowError` (409).
    """
    policy = policy or default_policy()
    on = request.on or today()
    event_uid = _uid("audit")

    def step(tx: Tx, violation_uid: str, offender: str) -> tuple[str, str, str]:
        found = objection_in(tx, request.objection_uid)
        if found is None:
            raise WorkflowError(f"no objection with uid {request.objection_uid!r}")
        if found["status"] != "pending":
            raise WorkflowError(f"objection {request.objection_uid} is already {found['status']}")
        state = _state_in(tx, violation_uid, on)
        others = [p for p in state.pending_objections if p != request.objection_uid]
        detail = _resolution_detail(request.outcome, state.violation.status, len(others))
        params = {
            "objection_uid": request.objection_uid,
            "outcome": request.outcome.value,
            "event_uid": event_uid,
            "on": on,
            "actor": request.actor,
            "reason": request.reason,
            "now": datetime.now(UTC),
            "detail": detail,
        }
        if not resolve_objection_in(tx, params):
            raise WorkflowError(f"objection {request.objection_uid} is no longer pending")
        publish_in(tx, on, event_uid=event_uid, actor=request.actor, detail=detail, uids=[violation_uid], policy=policy)
        return violation_uid, detail, offender

    violation_uid, detail, offender = _locked(store, step, objection_uid=request.objection_uid)
    touched = touched_subjects(store, violation_uid, offender, policy, on)
    regraded, changed = regrade_after_step(store, touched, on, policy, event_uid)
    return StepResult(
        action=f"objection_{request.outcome.value}",
        violation_uid=violation_uid,
        objection_uid=request.objection_uid,
        event_uid=event_uid,
        on=on,
        detail=detail,
        regraded=regraded,
        changed=changed,
    )


def repair_refusals(state: RecordState, policy: Policy, on: date) -> list[str]:
    """Every repair condition the record fails on `on` (empty when repair is allowed)."""
    rules = policy.repair
    v = state.violation
    reasons: list[str] = []
    behaviour = policy.catalogue.get(v.behaviour_code)
    serious = behaviour is not None and behaviour.severity is Severity.SERIOUS
    if v.status not in (None, "in_force"):
        reasons.append(f"the record is {v.status}, not in force")
    if state.pending_objections:
        reasons.append(f"an objection is pending ({', '.join(state.pending_objections)}); resolve it first")
    wait = rules.serious_wait_months if serious else rules.ordinary_wait_months
    eligible = add_months(v.decided_on, wait)
    if on < eligible:
        kind = "serious" if serious else "ordinary"
        reasons.append(f"{kind} records may be repaired {wait} months after the decision: not before {eligible}")
    if rules.require_penalty_done and (v.penalty_done_on is None or v.penalty_done_on > on):
        reasons.append("the penalty has not been carried out (no penalty_done_on)")
    if rules.forbid_same_kind_since and state.same_kind_since:
        reasons.append(f"new record(s) of the same kind since: {', '.join(sorted(state.same_kind_since))}")
    if rules.months_between_repairs:
        recent = [d for d in state.repairs if d > add_months(on, -rules.months_between_repairs)]
        if recent:
            reasons.append(
                f"a record of this subject was repaired on {max(recent)}; no second repair within "
                f"{rules.months_between_repairs} months"
            )
    return reasons


def repair(store: Store, request: RepairRequest, policy: Policy | None = None) -> StepResult:
    """Repair a record when the policy allows it; otherwise audit the refusal and raise with reasons.

    The conditions are checked after the record is locked, in the transaction that repairs it, so a
    repair racing a resolution sees the resolution's outcome (or the resolution sees the repair).
    """
    policy = policy or default_policy()
    on = request.on or today()
    event_uid = _uid("audit")
    granted = "conditions met; record effect ended"

    def step(tx: Tx, violation_uid: str, offender: str) -> tuple[str, list[str]]:
        reasons = repair_refusals(_state_in(tx, violation_uid, on), policy, on)
        common = {
            "violation_uid": violation_uid,
            "event_uid": event_uid,
            "on": on,
            "actor": request.actor,
            "reason": request.reason,
            "now": datetime.now(UTC),
        }
        if reasons:
            audit_refusal_in(tx, {**common, "action": "repair_refused", "detail": "; ".join(reasons)})
        elif not repair_in(tx, {**common, "detail": granted}):
            raise WorkflowError(f"record {violation_uid} changed while it was repaired; retry")
        else:  # publication ends with the repair once its minimum has passed (else on that day)
            publish_in(
                tx, on, event_uid=event_uid, actor=request.actor, detail=granted, uids=[violation_uid], policy=policy
            )
        return offender, reasons

    offender, reasons = _locked(store, step, violation_uid=request.violation_uid)
    if reasons:  # the refusal is committed (audited) before it is raised
        raise RepairRefusedError(request.violation_uid, reasons, event_uid)
    touched = touched_subjects(store, request.violation_uid, offender, policy, on)
    regraded, changed = regrade_after_step(store, touched, on, policy, event_uid)
    return StepResult(
        action="repair_granted",
        violation_uid=request.violation_uid,
        event_uid=event_uid,
        on=on,
        detail=granted,
        regraded=regraded,
        changed=changed,
    )
