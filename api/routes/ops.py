"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter, Response
from neo4j.exceptions import DriverError, Neo4jError
from pydantic import BaseModel

from api.routes.deps import StoreDep
from graph.cypher import cypher
from graph.store import NoDatabaseError

router = APIRouter(tags=["ops"])


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
def ready(store: StoreDep, response: Response) -> Readiness:
    """Readiness: Neo4j answers a query now; 503 while it does not, 200 again once it is back.

    Nothing is cached: every call asks the driver, whose pool drops dead connections and reconnects.
    """
    try:
        store.read(cypher("admin/ping"), timeout=5)
    except (DriverError, Neo4jError, NoDatabaseError, OSError) as exc:
        response.status_code = 503
        response.headers["Retry-After"] = "5"
        return Readiness(status="unavailable", detail=f"Neo4j unreachable ({type(exc).__name__}); retry shortly")
    return Readiness(status="ready")
