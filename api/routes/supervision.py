"""Supervision by level: random inspection plans (draw, publish, record results) and the statistics
(JSON and the printable annual report with charts). A region-scoped key works inside its region."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from api import charts, viz
from api.auth import AdminDep, CallerDep, InvestigatorDep, Role
from api.contract import ContractRoute
from api.domain import shown
from api.errors import ApiError
from api.i18n.web import PageLangDep
from api.routes.deps import StoreDep
from api.schemas_supervision import PlanList, PlanSummary
from api.scope import region_for
from credit.evaluate import today
from credit.supervision.inspections import (
    REGION_PATTERN,
    Kind,
    Plan,
    PlanError,
    PlanNotFoundError,
    PlanRequest,
    ResultConflictError,
    ResultRecorded,
    ResultRequest,
    StoredPlan,
    get_plan,
    plan_inspections,
    record,
)
from credit.supervision.stats import Stats, annual, statistics
from graph.model import Level
from queries import supervision as q

router = APIRouter(tags=["supervision"], route_class=ContractRoute)

RegionQuery = Annotated[str | None, Query(pattern=REGION_PATTERN, description="Division-code prefix (GB/T 2260)")]
KindQuery = Annotated[Kind | None, Query(description="company, agency, person or agent")]


def _plan_error(exc: PlanError) -> ApiError:
    if isinstance(exc, PlanNotFoundError):
        return ApiError(404, str(exc), code="not_found")
    if isinstance(exc, ResultConflictError):
        return ApiError(409, str(exc), code="conflict")
    return ApiError(422, str(exc), code="invalid_request")


@router.post("/inspections/plans", response_model=Plan, status_code=201)
def draw_plan(request: PlanRequest, store: StoreDep, caller: AdminDep) -> Plan:
    """Draw and store a reproducible plan (双随机): subjects per level by the policy's ratios, inspectors
    from the roster given, none tied to its subject within the policy's hops."""
    request = request.model_copy(update={"region": region_for(caller, request.region)})
    return plan_inspections(store, request, actor=caller.actor)


@router.get("/inspections/plans", response_model=PlanList)
def list_plans(
    store: StoreDep, caller: CallerDep, region: RegionQuery = None, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> PlanList:
    """The stored plans, newest first (published: 一公开)."""
    items = [
        PlanSummary.model_validate({**props, "counts": json.loads(str(props.get("counts") or "[]")), "inspections": n})
        for props, n in q.plans(store, region=region_for(caller, region), limit=limit)
    ]
    return PlanList(items=items, total=len(items))


@router.get("/inspections/plans/{uid}", response_model=StoredPlan)
def plan(uid: str, store: StoreDep, caller: CallerDep) -> Any:
    """A plan with its inspections and their results, published as a list (一公开); the public sees the
    inspectors by staff id only."""
    try:
        found = get_plan(store, uid, region=caller.region)
    except PlanError as exc:
        raise _plan_error(exc) from exc
    if caller.role == Role.PUBLIC:
        for inspection in found.inspections:
            inspection.inspector_names = []
    return found


@router.post("/inspections/{uid}/result", response_model=ResultRecorded)
def record_result(uid: str, request: ResultRequest, store: StoreDep, caller: InvestigatorDep) -> ResultRecorded:
    """Record an inspection's result: clean, or findings (behaviour codes and the document number), each
    becoming a record that re-grades the subject and those its chains reach."""
    found = q.inspection(store, uid)
    if found is None or (caller.region is not None and not (found.region_code or "").startswith(caller.region)):
        raise ApiError(404, f"no inspection {uid!r}", code="not_found")
    try:
        return record(store, uid, request, actor=caller.actor)
    except PlanError as exc:
        raise _plan_error(exc) from exc


@router.get("/stats", response_model=Stats)
def stats(
    store: StoreDep,
    caller: CallerDep,
    as_of: Annotated[date | None, Query(description="Levels as of this date; today when omitted")] = None,
    start: Annotated[date | None, Query(alias="from", description="Period start; 1 January of as_of's year")] = None,
    end: Annotated[date | None, Query(alias="to", description="Period end; as_of when omitted")] = None,
    region: RegionQuery = None,
    kind: KindQuery = None,
) -> Stats:
    """Subjects by level x region x kind as of a date; over the period: level transitions, top
    behaviours, objections and repairs, inspections done and their hit rate by level."""
    on = as_of or today()
    return statistics(
        store,
        as_of=on,
        start=start or date(on.year, 1, 1),
        end=end or on,
        region=region_for(caller, region),
        kind=kind,
    )


@router.get("/ui/stats", response_class=HTMLResponse, include_in_schema=False)
def stats_page(
    store: StoreDep,
    caller: CallerDep,
    page: PageLangDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    region: RegionQuery = None,
) -> HTMLResponse:
    """The printable annual analysis report, with its charts, in the reader's language."""
    _ = page.lang.gettext
    data = annual(store, year or today().year, region=region_for(caller, region))
    levels = [level.value for level in Level]
    regions = sorted({c.region_code or "" for c in data.cells})
    by_region = {
        level: [sum(c.subjects for c in data.cells if c.level == level and (c.region_code or "") == r) for r in regions]
        for level in levels
    }
    figures = [
        charts.bars(_("Subjects by level"), levels, {_("subjects"): [data.by_level.get(level, 0) for level in levels]}),
        charts.bars(_("Subjects by region and level"), [r or "?" for r in regions], by_region, stacked=True),
        charts.bars(
            _("Inspection hit rate by level"),
            [r.level for r in data.inspections],
            {_("hit rate"): [r.hit_rate for r in data.inspections]},
        ),
        charts.bars(
            _("Top behaviours"),
            [b.behaviour_code for b in data.top_behaviours],
            {_("records"): [b.records for b in data.top_behaviours]},
        ),
    ]
    html = viz.render_page(
        "stats.html",
        link_base="",
        data=shown(store, caller, data),
        figures=figures,
        lang=page.lang,
        switch=page.switch,
    )
    return HTMLResponse(html)
