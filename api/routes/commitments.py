"""Credit commitments over HTTP: investigators record them (refused with the reasons when the route is
shut), admins verify them (the record made and the subjects re-graded), investigators list them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from api.auth import AdminDep, InvestigatorDep
from api.contract import ContractRoute
from api.domain import domain_errors
from api.routes.deps import Offset, StoreDep
from api.schemas_levels import CommitmentBody, VerifyBody
from credit.commitments import (
    CommitmentRequest,
    Recorded,
    Verified,
    VerifyRequest,
    record_commitment,
    verify_commitment,
)
from credit.evaluate import today
from queries.commitments import CommitmentPage, commitments

router = APIRouter(tags=["supervision"], route_class=ContractRoute)


@router.post(
    "/commitments",
    response_model=Recorded,
    responses={404: {"description": "No such subject"}, 409: {"description": "Refused: the reasons are in detail"}},
)
def commitment_record(body: CommitmentBody, store: StoreDep, caller: InvestigatorDep) -> Recorded:
    """Record a credit commitment of a subject, when the policy lets it use the route."""
    try:
        request = CommitmentRequest(
            subject_uid=body.subject_uid,
            matter=body.matter,
            text=body.text,
            made_on=body.made_on or today(),
            due_by=body.due_by,
            office=body.office,
            actor=caller.acting(body.by),
        )
    except ValidationError as exc:  # the model's own rules (due by not before made on): the caller's error
        raise RequestValidationError(exc.errors(include_url=False)) from exc
    with domain_errors():
        return record_commitment(store, request)


@router.post(
    "/commitments/{uid:path}/verify",
    response_model=Verified,
    responses={404: {"description": "No such commitment"}, 409: {"description": "Already verified"}},
)
def commitment_verify(uid: str, body: VerifyBody, store: StoreDep, caller: AdminDep) -> Verified:
    """Verify a commitment (admins): kept makes a positive record, broken or untrue a broken-commitment record."""
    request = VerifyRequest(
        commitment_uid=uid,
        outcome=body.outcome,
        reason=body.reason,
        actor=caller.acting(body.by),
        on=body.on or today(),
        doc_number=body.doc_number,
    )
    with domain_errors():
        return verify_commitment(store, request)


@router.get("/commitments", response_model=CommitmentPage)
def commitment_list(
    store: StoreDep,
    caller: InvestigatorDep,
    subject: Annotated[str | None, Query(max_length=400)] = None,
    offset: Offset = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> CommitmentPage:
    """Commitments (investigators), newest first, of one subject or all."""
    return commitments(store, subject=subject, offset=offset, limit=limit)
