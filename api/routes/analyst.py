"""Analyst Cypher (read-only); the named queries of the catalogue are served by `api.routes.catalogue`."""

from __future__ import annotations

from fastapi import APIRouter

from api import analyst
from api.auth import AnalystDep
from api.routes.deps import SettingsDep, StoreDep
from api.schemas import CypherRequest, CypherResult

router = APIRouter(tags=["analyst"])


@router.post(
    "/cypher",
    responses={
        400: {"description": "The query failed (syntax, semantics, parameters)"},
        403: {"description": "Not an analyst, or the query writes / reaches outside the graph"},
        408: {"description": "The query ran past IPCREDIT_CYPHER_TIMEOUT_S"},
    },
)
def run_cypher(request: CypherRequest, store: StoreDep, settings: SettingsDep, caller: AnalystDep) -> CypherResult:
    """Run a read-only Cypher query (analysts and admins): a read transaction, a timeout and a row cap."""
    return analyst.run_cypher(
        store,
        request.query,
        request.params,
        timeout=settings.cypher_timeout_s,
        max_rows=settings.cypher_max_rows,
    )
