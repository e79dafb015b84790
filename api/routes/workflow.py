"""Objections, credit repair, data loading and the audit log: the API's writes.

Filing an objection needs an investigator key (a subject's representative or a case officer);
resolving objections, repairing records and loading data need the admin role. The credit workflow
audits each step itself (`:AuditEvent` about the record, with the actor); loads are audited here.
The actor stored is the caller's role and a hash of its key, plus the name the caller gives.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from api import service
from api.auth import AdminDep, Caller, InvestigatorDep
from api.domain import domain_errors, jsonable
from api.errors import ApiError
from api.routes.deps import SettingsDep, StoreDep
from api.schemas import AuditLog
from credit.freshness import regrade_after_load
from credit.workflow import (
    ObjectionRequest,
    Outcome,
    RepairRequest,
    ResolveRequest,
    file_objection,
    repair,
    resolve_objection,
)

router = APIRouter(tags=["workflow"])


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
    paths: list[str] = Field(min_length=1, max_length=100, description="Files or folders on the server")


def _actor(caller: Caller, by: str | None) -> str:
    return f"{caller.actor} ({by})" if by else caller.actor


@router.post("/objections", responses={404: {"description": "No such record"}, 409: {"description": "Wrong state"}})
def objection_file(body: ObjectionBody, store: StoreDep, caller: InvestigatorDep) -> Any:
    """File an objection to a record; while pending it suspends the record's effect (policy)."""
    request = ObjectionRequest(
        violation_uid=body.violation_uid, actor=_actor(caller, body.by), reason=body.reason, on=body.on
    )
    with domain_errors():
        return jsonable(file_objection(store, request))


@router.post("/objections/{objection_uid:path}/resolve", responses={404: {"description": "No such objection"}})
def objection_resolve(objection_uid: str, body: ResolveBody, store: StoreDep, caller: AdminDep) -> Any:
    """Resolve a pending objection (admins): upheld revokes the record, rejected restores its effect."""
    request = ResolveRequest(
        objection_uid=objection_uid, outcome=body.outcome, actor=_actor(caller, body.by), reason=body.reason, on=body.on
    )
    with domain_errors():
        return jsonable(resolve_objection(store, request))


@router.post("/repairs", responses={409: {"description": "Repair refused: the reasons are in detail"}})
def repair_record(body: RepairBody, store: StoreDep, caller: AdminDep) -> Any:
    """Credit repair of a record (admins) when the policy's conditions hold; refusals say every reason."""
    request = RepairRequest(
        violation_uid=body.violation_uid, actor=_actor(caller, body.by), reason=body.reason, on=body.on
    )
    with domain_errors():
        return jsonable(repair(store, request))


@router.post("/load", responses={422: {"description": "Unknown format or missing path"}})
def load_data(body: LoadBody, store: StoreDep, settings: SettingsDep, caller: AdminDep) -> Any:
    """Load files already on the server (admins), as `ipcredit load` does; audited, with a rejects file."""
    from loaders.canonical import CanonicalInputError
    from loaders.formats import UnknownFormatError, reader_for
    from loaders.pipeline import load

    paths = [Path(p) for p in body.paths]
    try:
        reader = reader_for(body.format)
        for path in paths:
            if not path.exists():
                raise CanonicalInputError(f"{path}: no such file or folder")
    except (UnknownFormatError, CanonicalInputError) as exc:
        raise ApiError(422, str(exc), code="invalid_load") from exc
    rejects = settings.local_data_dir.parent / "rejects" / f"api-{service.new_id()}.jsonl"
    rejects.parent.mkdir(parents=True, exist_ok=True)
    event = service.audit(store, caller.actor, "load_started", None, {"format": body.format, "paths": body.paths})
    try:
        summary = load(
            store, (item for p in paths for item in reader(p)), rejects_path=rejects, batch_size=settings.batch_size
        )
    except CanonicalInputError as exc:
        service.audit(store, caller.actor, "load_failed", None, {"started": event, "error": str(exc)})
        raise ApiError(422, str(exc), code="invalid_load") from exc
    payload = summary.model_dump(mode="json")
    payload["total"] = summary.total.model_dump()
    payload["regraded"] = regrade_after_load(store, summary.loaded_at).written
    service.audit(
        store, caller.actor, "load", None, {"started": event, "total": payload["total"], "rejects_file": str(rejects)}
    )
    return payload


@router.get("/audit")
def audit_log(
    store: StoreDep,
    caller: AdminDep,
    target: Annotated[str | None, Query(max_length=400)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> AuditLog:
    """The latest audit events (admins): who did what, when, on what."""
    return AuditLog(events=service.audit_log(store, target, limit))
