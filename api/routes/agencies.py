"""Agency evaluation cycles over HTTP: admins run a period's cycle; its published result list is
public (as the list `agency-cycle` too)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.auth import AdminDep
from api.contract import ContractRoute
from api.domain import domain_errors
from api.errors import not_found
from api.routes.deps import StoreDep
from api.schemas_levels import FIRST_PERIOD, LAST_PERIOD, CycleBody
from credit.agency_cycles import CycleResult, evaluate_cycle, published
from credit.evaluate import today

router = APIRouter(tags=["supervision"], route_class=ContractRoute)


@router.post("/agencies/cycles", response_model=CycleResult, responses={409: {"description": "Period not started"}})
def cycle_run(body: CycleBody, store: StoreDep, caller: AdminDep) -> CycleResult:
    """Run the agency cycle of a period (admins): indicators, records, grades; stored and published."""
    with domain_errors():
        return evaluate_cycle(store, body.period, body.as_of or today(), actor=caller.acting(body.by))


@router.get("/agencies/cycles/{period}", response_model=CycleResult, responses={404: {"description": "Not run"}})
def cycle_get(
    period: Annotated[int, Path(ge=FIRST_PERIOD, le=LAST_PERIOD, description="The cycle's year")], store: StoreDep
) -> CycleResult:
    """The published result list of a period's agency cycle."""
    found = published(store, period=period)
    if found is None:
        raise not_found("agency cycle", str(period))
    return found
