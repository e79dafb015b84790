"""The review of possible duplicates: decide a `POSSIBLE_SAME_AS` pair merge or distinct.

The loader never merges; it links candidates for review. A reviewer decides:
- **distinct**: the links keep the decision, so neither the queue nor a reload proposes the pair again;
- **merge**: the other subject is merged into the survivor (`left`), keeping every tie and record of
  both, its uid listed in the survivor's `merged_uids` (so `resolve` still finds it) and its
  properties as given kept in the audit event; the survivor is re-graded.
Both are audited as `:AuditEvent` in the same transaction as the change.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from enum import StrEnum

from pydantic import BaseModel

from credit.freshness import regrade_subjects
from credit.grading import Evaluation
from credit.states import Cause
from graph.store import Store
from queries import duplicates as q
from queries.duplicates import PendingPage


class Decision(StrEnum):
    MERGE = "merge"
    DISTINCT = "distinct"


class DuplicateError(LookupError):
    """No such pair to decide: a subject is missing, or nothing links the two for review."""


class DecisionConflictError(RuntimeError):
    """The pair was decided already."""


class DecisionResult(BaseModel):
    decision: Decision
    left: str
    right: str
    survivor: str | None = None
    event_uid: str
    links_decided: int = 0
    relationships_moved: int = 0
    reevaluated: list[Evaluation] = []


def queue(store: Store, offset: int = 0, limit: int = 50) -> PendingPage:
    return q.pending(store, offset, limit)


def decide(store: Store, left: str, right: str, decision: Decision, *, actor: str, reason: str) -> DecisionResult:
    """Decide the pair (`left` survives a merge); raises if there is no pending pair."""
    state = q.pair(store, left, right)
    if state is None or left == right:
        raise DuplicateError(f"no subjects {left!r} and {right!r} to decide on")
    if not state.links:
        raise DuplicateError(f"{left} and {right} are not linked as possible duplicates")
    if all(link.decision is not None for link in state.links):
        raise DecisionConflictError(f"{left} and {right} were decided already: {state.links[0].decision}")
    event_uid, now = f"audit:{uuid.uuid4().hex}", datetime.now(UTC)
    reasons = [link.model_dump() for link in state.links]
    if decision is Decision.DISTINCT:
        detail = json.dumps({"left": left, "right": right, "reasons": reasons}, ensure_ascii=False, default=str)
        links = q.mark_distinct(
            store, left, right, event_uid=event_uid, actor=actor, reason=reason, detail=detail, now=now
        )
        return DecisionResult(decision=decision, left=left, right=right, event_uid=event_uid, links_decided=links)
    detail = json.dumps(
        {"survivor": left, "merged": right, "reasons": reasons, "merged_properties": state.right},
        ensure_ascii=False,
        default=str,
    )
    moved = q.merge(store, left, right, event_uid=event_uid, actor=actor, reason=reason, detail=detail, now=now)
    evaluations = regrade_subjects(store, {left}, Cause(kind="workflow", uid=event_uid))
    return DecisionResult(
        decision=decision,
        left=left,
        right=right,
        survivor=left,
        event_uid=event_uid,
        links_decided=len(state.links),
        relationships_moved=moved,
        reevaluated=evaluations,
    )


def resolve(store: Store, uid: str) -> str | None:
    """The uid a (possibly merged-away) uid names now."""
    return q.resolve(store, uid)
