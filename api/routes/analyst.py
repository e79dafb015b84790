"""Analyst Cypher (read-only); the named queries of the catalogue are served by `api.routes.catalogue`."""

from __future__ import annotations

from fastapi import APIRouter

from api import analyst
from api.auth import WholeGraphAnalystDep
from api.contract import ContractRoute
from api.routes.deps import SettingsDep, StoreDep
from api.schemas import CypherRequest, CypherResult

router = APIRouter(tags=["analyst"], route_class=ContractRoute)


@router.post(
    "/cypher",
    responses={
        400: {"description": "The query failed (syntax, semantics, parameters)"},
        403: {"description": "Not an analyst, a region-scoped key, or the query writes / reaches outside the graph"},
        408: {"description": "The query ran past IPCREDIT_CYPHER_TIMEOUT_S"},
        413: {"description": "The result is over IPCREDIT_CYPHER_MAX_BYTES"},
    },
)
def run_cypher(
    request: CypherRequest, store: StoreDep, settings: SettingsDep, caller: WholeGraphAnalystDep
) -> CypherResult:
    """Run a read-only Cypher query (analysts and admins) whose plan the server shows to be a read.

    Refused (403 `refused`, the operator named) unless every operator of the `EXPLAIN` plan is on the
    allow-list; then run in read access mode with a timeout, a row cap and a byte cap (413).
    """
    return analyst.run_cypher(
        store,
        request.query,
        request.params,
        timeout=settings.cypher_timeout_s,
        max_rows=settings.cypher_max_rows,
        max_bytes=settings.cypher_max_bytes,
    )
