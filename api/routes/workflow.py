"""Objections, credit repair, data loading and the audit log: the API's writes.

Filing an objection needs an investigator key (a subject's representative or a case officer);
resolving objections, repairing records and loading data need the admin role. The credit workflow
audits each step itself (`:AuditEvent` about the record, with the actor); loads run as background
jobs (`api/load_jobs.py`), which audit theirs.
The actor stored is the caller's role and a hash of its key, plus the name the caller gives.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from api import service
from api.auth import AdminDep, InvestigatorDep
from api.contract import CONFLICT, NOT_FOUND, ContractRoute
from api.domain import domain_errors
from api.errors import ApiError, not_found
from api.load_jobs import LoadJobs, LoadJobView, LoadRequestError, job_view
from api.routes.deps import StoreDep
from api.schemas import AuditEvent
from credit.workflow import (
    ObjectionRequest,
    Outcome,
    RepairRequest,
    ResolveRequest,
    StepResult,
    file_objection,
    repair,
    resolve_objection,
)
from queries.jobs import JobState
from queries.shapes import Page

router = APIRouter(tags=["workflow"], route_class=ContractRoute)


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=2000, description="Why (kept in the audit trail)")
    by: str | None = Field(default=None, max_length=150, description="Name of the person acting (audited)")
    on: date | None = Field(default=None, description="Effective date; today when omitted")


class ObjectionBody(_Body):
    violation_uid: str = Field(min_length=1, max_length=400)


class ResolveBody(_Body):
    outcome: Outcome


class RepairBody(_Body):
    violation_uid: str = Field(min_length=1, max_length=400)


class LoadBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format: str = Field(description="Input format, as `ipcredit load` takes it (csv, jsonl, uspto-xml, tipo-xml, ftm)")
    paths: list[str] = Field(
        min_length=1,
        max_length=100,
        description="Files or folders inside the import folder (IPCREDIT_IMPORT_DIR), relative to it",
    )


class LoadAccepted(BaseModel):
    job: str = Field(description="The load job's uid")
    state: JobState
    status: str = Field(description="Where to follow it")


@router.post("/objections", responses={**NOT_FOUND, **CONFLICT})
def objection_file(body: ObjectionBody, store: StoreDep, caller: InvestigatorDep) -> StepResult:
    """File an objection to a record; while pending it suspends the record's effect (policy)."""
    request = ObjectionRequest(
        violation_uid=body.violation_uid, actor=caller.acting(body.by), reason=body.reason, on=body.on
    )
    with domain_errors():
        return file_objection(store, request)


@router.post("/objections/{objection_uid:path}/resolve", responses={**NOT_FOUND, **CONFLICT})
def objection_resolve(objection_uid: str, body: ResolveBody, store: StoreDep, caller: AdminDep) -> StepResult:
    """Resolve a pending objection (admins): upheld revokes the record, rejected restores its effect."""
    request = ResolveRequest(
        objection_uid=objection_uid, outcome=body.outcome, actor=caller.acting(body.by), reason=body.reason, on=body.on
    )
    with domain_errors():
        return resolve_objection(store, request)


@router.post("/repairs", responses={**NOT_FOUND, 409: {"description": "Repair refused: the reasons are in detail"}})
def repair_record(body: RepairBody, store: StoreDep, caller: AdminDep) -> StepResult:
    """Credit repair of a record (admins) when the policy's conditions hold; refusals say every reason."""
    request = RepairRequest(
        violation_uid=body.violation_uid, actor=caller.acting(body.by), reason=body.reason, on=body.on
    )
    with domain_errors():
        return repair(store, request)


@router.post(
    "/load",
    status_code=202,
    responses={422: {"description": "Unknown format, or a path refused (outside the import folder, not a file)"}},
)
def load_data(body: LoadBody, request: Request, store: StoreDep, caller: AdminDep) -> LoadAccepted:
    """Start a load of files in the import folder (admins), as `ipcredit load` does, as a background job;
    follow it at `GET /load/{job}`. Audited, with a rejects file."""
    jobs: LoadJobs = request.app.state.load_jobs
    try:
        uid = jobs.submit(caller.actor, body.format, body.paths)
    except LoadRequestError as exc:
        raise ApiError(422, str(exc), code="invalid_load") from exc
    return LoadAccepted(job=uid, state="queued", status=f"/load/{uid}")


@router.get("/load/{job}", responses=NOT_FOUND)
def load_status(job: str, store: StoreDep, caller: AdminDep) -> LoadJobView:
    """A load job's state (queued, running, done, failed), its summary when done, its error when failed."""
    found = job_view(store, job)
    if found is None:
        raise not_found("load job", job)
    return found


@router.get("/audit")
def audit_log(
    store: StoreDep,
    caller: AdminDep,
    target: Annotated[str | None, Query(max_length=400)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Page[AuditEvent]:
    """The latest audit events (admins): who did what, when, on what."""
    return Page[AuditEvent].of(service.audit_log(store, target, limit))
