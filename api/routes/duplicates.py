"""The review queue of possible duplicates: list the loader's `POSSIBLE_SAME_AS` pairs, decide them.

Investigators and above read the queue (it shows persons' identifiers); analysts and admins decide.
Decisions are audited as `:AuditEvent` (the caller's role and key hash, plus the name given in `by`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from api.auth import AnalystDep, InvestigatorDep
from api.contract import ContractRoute
from api.errors import ApiError
from api.routes.deps import Offset, StoreDep
from credit.duplicates import (
    Decision,
    DecisionConflictError,
    DecisionResult,
    DuplicateError,
    decide,
    queue,
    resolve,
)
from queries.duplicates import PendingPage

router = APIRouter(tags=["duplicates"], route_class=ContractRoute)


class DecideBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    other: str = Field(min_length=1, max_length=400, description="The other subject of the pair")
    decision: Decision = Field(description="`merge` (the subject in the path survives) or `distinct`")
    reason: str = Field(min_length=1, max_length=2000, description="Why (kept in the audit trail)")
    by: str | None = Field(default=None, max_length=150, description="Name of the person deciding (audited)")


class Resolved(BaseModel):
    uid: str
    resolved_uid: str


@router.get("/duplicates")
def duplicates(
    store: StoreDep,
    caller: InvestigatorDep,
    offset: Offset = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> PendingPage:
    """Undecided possible duplicates, strongest first, one page (with the total)."""
    return queue(store, offset, limit)


@router.post(
    "/duplicates/{uid:path}/decide",
    responses={404: {"description": "No such pair"}, 409: {"description": "Decided already"}},
)
def decide_pair(uid: str, body: DecideBody, store: StoreDep, caller: AnalystDep) -> DecisionResult:
    """Decide a pair merge (into `uid`, keeping every tie and record of both) or distinct (never proposed again)."""
    actor = f"{caller.actor} ({body.by})" if body.by else caller.actor
    try:
        return decide(store, uid, body.other, body.decision, actor=actor, reason=body.reason)
    except DuplicateError as exc:
        raise ApiError(404, str(exc)) from exc
    except DecisionConflictError as exc:
        raise ApiError(409, str(exc), code="conflict") from exc


@router.get("/resolve/{uid:path}", responses={404: {"description": "No subject has or had this uid"}})
def resolve_uid(uid: str, store: StoreDep, caller: InvestigatorDep) -> Resolved:
    """The subject a uid names now: itself, or the survivor of a merge that took it."""
    found = resolve(store, uid)
    if found is None:
        raise ApiError(404, f"no subject has or had the uid {uid!r}")
    return Resolved(uid=uid, resolved_uid=found)
