"""Measures applied by level over HTTP (investigators and above: the departments' staff): the list, a
department's CSV export, and a department's execution feedback."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.auth import InvestigatorDep
from api.contract import ContractRoute
from api.errors import ApiError, not_found
from api.routes.deps import Offset, StoreDep
from api.schemas_levels import FeedbackBody
from credit.evaluate import today
from credit.measures_applied import FeedbackRequest, FeedbackResult, MeasureError, measures_csv, record_feedback
from queries.measures import MeasureNotFoundError, MeasurePage, measures

router = APIRouter(tags=["supervision"], route_class=ContractRoute)

Department = Annotated[str | None, Query(max_length=60, description="The executing department's code")]
Active = Annotated[bool | None, Query(description="true: active only; false: ended only")]


@router.get("/measures", response_model=MeasurePage)
def measure_list(
    store: StoreDep,
    caller: InvestigatorDep,
    subject: Annotated[str | None, Query(max_length=400)] = None,
    department: Department = None,
    active: Active = None,
    offset: Offset = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> MeasurePage:
    """Applied measures, newest first, with their department, dates and feedback."""
    return measures(store, subject=subject, department=department, active=active, offset=offset, limit=limit)


@router.get("/measures.csv", response_class=Response, responses={200: {"content": {"text/csv": {}}}})
def measure_export(
    store: StoreDep, caller: InvestigatorDep, department: Annotated[str, Query(max_length=60)], active: Active = None
) -> Response:
    """A department's measures as CSV (UTF-8), every one, with their feedback."""
    page = measures(store, department=department, active=active, limit=None)
    return Response(measures_csv(page.items), media_type="text/csv; charset=utf-8")


@router.post(
    "/measures/{uid:path}/feedback",
    response_model=FeedbackResult,
    responses={404: {"description": "No such measure"}, 409: {"description": "Another department's measure"}},
)
def measure_feedback(uid: str, body: FeedbackBody, store: StoreDep, caller: InvestigatorDep) -> FeedbackResult:
    """Record a department's execution feedback on a measure it executes (audited)."""
    request = FeedbackRequest(
        measure_uid=uid,
        department=body.department,
        text=body.text,
        actor=caller.acting(body.by),
        on=body.on or today(),
    )
    try:
        return record_feedback(store, request)
    except MeasureNotFoundError as exc:
        raise not_found("applied measure", uid) from exc
    except MeasureError as exc:
        raise ApiError(409, str(exc), code="conflict") from exc
