"""The FastAPI application; its lifespan owns the one Store (driver) of the process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from neo4j.exceptions import DriverError, Neo4jError
from pydantic import BaseModel

from graph.cypher import cypher
from graph.settings import Settings, get_settings
from graph.store import Store


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str
    detail: str | None = None


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """Build the app; pass a `store` to share one driver (tests), else one is opened from settings."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = store is None
        app.state.store = store or Store.connect(settings)
        try:
            yield
        finally:
            if owned:
                app.state.store.close()

    app = FastAPI(
        title="ipcredit",
        summary="Knowledge-graph credit investigation for the intellectual-property field",
        version="0.1.0",
        lifespan=lifespan,
    )

    @app.get("/health", tags=["ops"])
    def health() -> Health:
        """Liveness: the process answers."""
        return Health(status="ok")

    @app.get("/ready", tags=["ops"], responses={503: {"model": Readiness}})
    def ready(store: Annotated[Store, Depends(get_store)]) -> Readiness | JSONResponse:
        """Readiness: Neo4j answers a query; 503 while it does not."""
        try:
            store.read(cypher("admin/ping"), timeout=5)
        except (DriverError, Neo4jError, OSError) as exc:
            body = Readiness(status="unavailable", detail=f"Neo4j unreachable: {type(exc).__name__}")
            return JSONResponse(status_code=503, content=body.model_dump())
        return Readiness(status="ready")

    return app


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store
