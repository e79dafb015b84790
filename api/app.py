"""The FastAPI application; its lifespan owns the one Store (driver) of the process.

Routers are thin and live in `api/routes/`; the work is done in `api.service` (the API's own
statements), `api.analyst` (read-only Cypher) and the layers below through `api.domain`.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from api.contract import ShowFigures
from api.errors import install_error_handlers
from api.i18n.web import LanguageCookie
from api.limits import BodyLimit, DatabaseDown
from api.load_jobs import LoadJobs
from api.public import PublicMasking
from api.routes import (
    agencies,
    analyst,
    catalogue,
    changes,
    commitments,
    credit,
    duplicates,
    entities,
    exchange,
    lists,
    match,
    measures,
    ops,
    pages,
    supervision,
    watchlists,
    workflow,
)
from api.webhooks import Deliverer
from graph.settings import Settings, get_settings
from graph.store import Store

STATIC_DIR = Path(__file__).resolve().parent / "static"


def open_api_store(settings: Settings) -> Store:
    """The API's Store: short connection and retry times, so an outage answers 503 quickly."""
    return Store.connect(
        settings,
        connection_timeout=settings.api_db_timeout_s,
        connection_acquisition_timeout=settings.api_db_timeout_s,
        max_transaction_retry_time=settings.api_db_timeout_s,
    )


def _freeze_startup_objects() -> bool:
    """Move every object alive at startup (modules, models, the schema, the driver) out of the collector's
    reach, so a full collection scans only what requests made. Measured in a uvicorn worker on the 1M
    graph: full collections of about 180k objects stalled every request for 120-210 ms, a few times a
    minute at 300 requests/s; frozen, 3-11 ms. False when something else froze objects already."""
    if gc.get_freeze_count():
        return False
    gc.collect()  # garbage made during startup is freed now, not kept for good
    gc.freeze()
    return True


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """Build the app; pass a `store` to share one driver (tests), else one is opened from settings."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = store is None
        app.state.store = store or open_api_store(settings)
        app.state.load_jobs = LoadJobs(app.state.store, settings)
        deliverer = Deliverer(app.state.store, settings.webhook_interval_s) if settings.webhook_interval_s else None
        if deliverer is not None:
            deliverer.start()
        kept_apart = _freeze_startup_objects()
        try:
            yield
        finally:
            if kept_apart:
                gc.unfreeze()
            if deliverer is not None:
                deliverer.stop()
            app.state.load_jobs.shutdown()
            if owned:
                app.state.store.close()

    app = FastAPIOffline(  # /docs and /redoc with their assets served by the app: the product runs offline
        title="ipcredit",
        summary="Knowledge-graph credit investigation for the intellectual-property field",
        description=(
            "Linked-risk checks, related parties, dishonesty chains, credit reports and read-only Cypher "
            "over a Neo4j graph. Send `X-API-Key` for a role above public; errors are "
            '`{"error": {"code", "message", "detail"}}`.'
        ),
        version="0.1.0",
        lifespan=lifespan,
        swagger_ui_parameters={"persistAuthorization": True},
    )
    app.state.settings = settings
    app.state.database_down = DatabaseDown(settings.api_down_cache_s)
    if store is not None:  # a shared store is usable before (or without) the lifespan running
        app.state.store = store
    install_error_handlers(app)
    for module in (
        ops,
        entities,
        match,
        duplicates,
        credit,
        changes,
        watchlists,
        analyst,
        catalogue,
        workflow,
        lists,
        exchange,
        supervision,
        commitments,
        measures,
        agencies,
        pages,
    ):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(PublicMasking)
    app.add_middleware(LanguageCookie)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(ShowFigures)
    return app
