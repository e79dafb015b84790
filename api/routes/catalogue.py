"""The query catalogue (`queries.catalogue`) over HTTP: `GET /queries` lists it, `POST /queries/{name}` runs one."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body

from api.auth import WholeGraphDep
from api.contract import ContractRoute
from api.domain import domain_errors, jsonable, run_with_policy
from api.routes.deps import StoreDep
from api.schemas import NamedQueryResult, QueryInfo
from queries.catalogue import QUERIES
from queries.shapes import Page

router = APIRouter(tags=["analyst"], route_class=ContractRoute)


@router.get("/queries")
def list_queries() -> Page[QueryInfo]:
    """Every named query with what it answers and its parameters (JSON schema)."""
    return Page[QueryInfo].of(
        [
            QueryInfo(
                name=q.name,
                description=q.description,
                params={**q.params.model_json_schema(), "filled_from_policy": list(q.policy_params)},
            )
            for q in QUERIES.values()
        ]
    )


@router.post(
    "/queries/{name}",
    responses={404: {"description": "No such query, or an unknown subject"}},
)
def run_query(
    name: str,
    store: StoreDep,
    caller: WholeGraphDep,
    params: dict[str, Any] = Body(default_factory=dict, description="The query's parameters"),  # noqa: B008
) -> NamedQueryResult:
    """Run a named query; parameters the credit policy holds are filled in when left out."""
    with domain_errors():
        result = run_with_policy(store, name, params)
    return NamedQueryResult(name=name, result=jsonable(result))
