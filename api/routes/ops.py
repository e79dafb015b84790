"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable, SessionExpired
from pydantic import BaseModel

from api.contract import ContractRoute
from api.routes.deps import store_of
from graph.store import NoDatabaseError
from queries.admin import ping

router = APIRouter(tags=["ops"], route_class=ContractRoute)


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str
    detail: str | None = None


@router.get("/health")
def health() -> Health:
    """Liveness: the process answers (whatever the database does)."""
    return Health(status="ok")


@router.get("/ready", responses={503: {"model": Readiness, "description": "Neo4j is unreachable"}})
def ready(request: Request, response: Response) -> Readiness:
    """Readiness: Neo4j answers a query now; 503 while it does not, 200 again once it is back.

    An outage is remembered for `IPCREDIT_API_DOWN_CACHE_S` (2 s), so a probe during it answers at
    once; after that the driver is asked again, its pool having dropped dead connections.
    """
    try:
        ping(store_of(request), timeout=5)
    except (DriverError, Neo4jError, NoDatabaseError, OSError) as exc:
        if isinstance(exc, ServiceUnavailable | SessionExpired | OSError):
            request.app.state.database_down.mark()
        response.status_code = 503
        response.headers["Retry-After"] = "5"
        why = (
            str(exc) if isinstance(exc, NoDatabaseError) else f"Neo4j unreachable ({type(exc).__name__}); retry shortly"
        )
        return Readiness(status="unavailable", detail=why)
    return Readiness(status="ready")
