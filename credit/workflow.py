"""Objections and credit repair: each step changes a record's effect, is audited, and re-grades the
subjects it touches (the offender and every subject whose chains reach the record).

Filing an objection suspends the record's effect while it is pending (policy `objection.suspends`);
upholding it revokes the record, rejecting it restores the effect. Repair ends a record's effect early
when the policy's conditions hold; otherwise `RepairRefusedError` says every reason, and the refusal
is audited too.
"""

from __future__ import annotations

import calendar
import uuid
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, Field

from credit.evaluate import Evaluation, RecordInfo, chain_params, today
from credit.freshness import regrade_subjects
from credit.policy import Policy, Severity, default_policy
from credit.states import Cause
from graph.cypher import cypher
from graph.store import Store
from queries.chains import chains_outward

Actor = Annotated[str, Field(min_length=1, max_length=200)]
Reason = Annotated[str, Field(min_length=1, max_length=2000)]


class WorkflowError(ValueError):
    """A workflow step cannot be done (unknown record or objection, wrong state)."""


class RepairRefusedError(WorkflowError):
    """The policy does not allow this repair; `reasons` lists every condition that failed."""

    def __init__(self, violation_uid: str, reasons: list[str], event_uid: str) -> None:
        super().__init__(f"repair of {violation_uid} refused: " + "; ".join(reasons))
        self.violation_uid = violation_uid
        self.reasons = reasons
        self.event_uid = event_uid


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


class StepResult(BaseModel):
    """What a workflow step did: the record, the audit event, and the re-graded subjects."""

    action: str
    violation_uid: str
    objection_uid: str | None = None
    event_uid: str
    on: date
    reevaluated: list[Evaluation]


class RecordState(BaseModel):
    subject_uid: str
    violation: RecordInfo
    pending_objections: list[str]
    same_kind_since: list[str]
    repairs: list[date]


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _uid(prefix: str) -> str:
    return f"{prefix}:{uuid.uuid4().hex}"


def record_state(store: Store, violation_uid: str, on: date) -> RecordState:
    rows = store.read(cypher("credit/violation_state"), {"violation_uid": violation_uid, "on": on})
    if not rows:
        raise WorkflowError(f"no record (violation) with uid {violation_uid!r}")
    return RecordState.model_validate(rows[0])


def touched_subjects(store: Store, violation_uid: str, offender: str, policy: Policy, on: date) -> set[str]:
    """The offender and every subject whose chains reach the record (while it is in force)."""
    reached = chains_outward(store, chain_params(policy, on), violation_uid=violation_uid)
    return {offender, *(c.subject_uid for c in reached)}


def _reevaluate(store: Store, uids: set[str], on: date, policy: Policy, event_uid: str) -> list[Evaluation]:
    return regrade_subjects(store, uids, Cause(kind="workflow", uid=event_uid), as_of=on, policy=policy)


def file_objection(store: Store, request: ObjectionRequest, policy: Policy | None = None) -> StepResult:
    """File an objection; while pending it suspends the record's effect (when the policy says so)."""
    policy = policy or default_policy()
    on = request.on or today()
    state = record_state(store, request.violation_uid, on)
    if state.violation.status not in (None, "in_force"):
        raise WorkflowError(f"record {request.violation_uid} is {state.violation.status}: nothing to object to")
    before = touched_subjects(store, request.violation_uid, state.subject_uid, policy, on)
    objection_uid, event_uid = _uid("objection"), _uid("audit")
    store.write(
        cypher("credit/objection_file"),
        {
            "violation_uid": request.violation_uid,
            "objection_uid": objection_uid,
            "event_uid": event_uid,
            "on": on,
            "actor": request.actor,
            "reason": request.reason,
            "suspends": policy.objection.suspends,
            "now": datetime.now(UTC),
            "detail": f"objection filed; record effect suspended: {policy.objection.suspends}",
        },
    )
    return StepResult(
        action="objection_filed",
        violation_uid=request.violation_uid,
        objection_uid=objection_uid,
        event_uid=event_uid,
        on=on,
        reevaluated=_reevaluate(store, before, on, policy, event_uid),
    )


def resolve_objection(store: Store, request: ResolveRequest, policy: Policy | None = None) -> StepResult:
    """Resolve a pending objection: upheld revokes the record, rejected restores its effect."""
    policy = policy or default_policy()
    on = request.on or today()
    rows = store.read(cypher("credit/objection_get"), {"objection_uid": request.objection_uid})
    if not rows:
        raise WorkflowError(f"no objection with uid {request.objection_uid!r}")
    found: dict[str, Any] = rows[0]
    if found["objection"]["status"] != "pending":
        raise WorkflowError(f"objection {request.objection_uid} is already {found['objection']['status']}")
    violation_uid, offender = str(found["violation_uid"]), str(found["subject_uid"])
    before = touched_subjects(store, violation_uid, offender, policy, on)
    event_uid = _uid("audit")
    store.write(
        cypher("credit/objection_resolve"),
        {
            "objection_uid": request.objection_uid,
            "outcome": request.outcome.value,
            "event_uid": event_uid,
            "on": on,
            "actor": request.actor,
            "reason": request.reason,
            "now": datetime.now(UTC),
            "detail": "record revoked" if request.outcome is Outcome.UPHELD else "record effect restored",
        },
    )
    after = touched_subjects(store, violation_uid, offender, policy, on)
    return StepResult(
        action=f"objection_{request.outcome.value}",
        violation_uid=violation_uid,
        objection_uid=request.objection_uid,
        event_uid=event_uid,
        on=on,
        reevaluated=_reevaluate(store, before | after, on, policy, event_uid),
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
    """Repair a record when the policy allows it; otherwise audit the refusal and raise with reasons."""
    policy = policy or default_policy()
    on = request.on or today()
    state = record_state(store, request.violation_uid, on)
    reasons = repair_refusals(state, policy, on)
    event_uid = _uid("audit")
    common = {
        "violation_uid": request.violation_uid,
        "event_uid": event_uid,
        "on": on,
        "actor": request.actor,
        "reason": request.reason,
        "now": datetime.now(UTC),
    }
    if reasons:
        store.write(
            cypher("credit/audit_refusal"),
            {**common, "action": "repair_refused", "detail": "; ".join(reasons)},
        )
        raise RepairRefusedError(request.violation_uid, reasons, event_uid)
    before = touched_subjects(store, request.violation_uid, state.subject_uid, policy, on)
    store.write(cypher("credit/repair_apply"), {**common, "detail": "conditions met; record effect ended"})
    return StepResult(
        action="repair_granted",
        violation_uid=request.violation_uid,
        event_uid=event_uid,
        on=on,
        reevaluated=_reevaluate(store, before, on, policy, event_uid),
    )
