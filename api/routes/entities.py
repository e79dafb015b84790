"""Entity search, detail, assessment history and the network sub-graph (JSON)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api import service
from api.auth import CallerDep, Role
from api.contract import NOT_FOUND, ContractRoute
from api.routes.deps import StoreDep, bounded
from api.schemas import AssessmentHistory, Network, SearchResult, SubjectDetail
from queries.catalogue.neighbourhood import NeighbourhoodParams

router = APIRouter(tags=["entities"], route_class=ContractRoute)


@router.get("/search")
def search(
    store: StoreDep,
    caller: CallerDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Name (Chinese or Latin), uid or credit code")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> SearchResult:
    """Find subjects by name or alias (full-text, Chinese and Latin), uid or credit code."""
    return service.search(store, q, limit, persons=caller.role > Role.PUBLIC)


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
) -> Network:
    """The sub-graph around a subject to `depth` hops (what its visual page draws)."""
    return service.network(store, [uid], depth, max_nodes=max_nodes)
