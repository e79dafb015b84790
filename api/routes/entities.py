"""Entity search, detail, assessment history and the network sub-graph (JSON)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from api import service
from api.auth import CallerDep, Role
from api.contract import NOT_FOUND, ContractRoute
from api.routes.deps import InScope, StoreDep, bounded
from api.schemas import AssessmentHistory, Network, SearchResult, SubjectDetail
from api.scope import region_for
from queries.catalogue.neighbourhood import NeighbourhoodParams

router = APIRouter(tags=["entities"], route_class=ContractRoute, dependencies=[InScope])


@router.get("/search")
def search(
    store: StoreDep,
    caller: CallerDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Name (Chinese or Latin), uid or credit code")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    region: Annotated[str | None, Query(pattern=r"^[0-9]{2,6}$", description="Division-code prefix")] = None,
) -> SearchResult:
    """Find subjects by name or alias (full-text, Chinese and Latin), uid or credit code."""
    return service.search(store, q, limit, persons=caller.role > Role.PUBLIC, region=region_for(caller, region))


@router.get("/subjects/{uid:path}", responses=NOT_FOUND)
def subject(uid: str, store: StoreDep, caller: CallerDep) -> SubjectDetail:
    """One subject: properties, dishonesty records, latest assessment, counts."""
    return service.subject(store, uid)


@router.get("/history/{uid:path}", responses=NOT_FOUND)
def history(uid: str, store: StoreDep, caller: CallerDep) -> AssessmentHistory:
    """Every stored assessment of a subject, newest first."""
    return service.history(store, uid)


@router.get("/network/{uid:path}", responses=NOT_FOUND)
def network(
    uid: str,
    store: StoreDep,
    caller: CallerDep,
    depth: Annotated[int, bounded(NeighbourhoodParams, "depth")] = 2,
    max_nodes: Annotated[int, Query(ge=1, le=1000)] = 250,
    as_of: Annotated[date | None, Query(description="the network as it stood on this day")] = None,
) -> Network:
    """The sub-graph around a subject to `depth` hops (what its visual page draws), optionally as of a day."""
    return service.network(store, [uid], depth, max_nodes=max_nodes, as_of=as_of)
