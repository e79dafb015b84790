"""Dependencies shared by the routers (the Store and the Settings the app's lifespan holds), and the
query parameters the API and the pages share."""

from __future__ import annotations

from typing import Annotated, Any

import annotated_types
from fastapi import Depends, Query, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from api.auth import CallerDep
from api.scope import require_visible
from graph.settings import Settings
from graph.store import Store
from queries.catalogue.parties import PathParams


def store_of(request: Request) -> Store:
    """The app's Store; 503 at once while Neo4j was found unreachable moments ago."""
    request.app.state.database_down.check()
    store: Store = request.app.state.store
    return store


async def get_store(request: Request) -> Store:
    """`store_of` as a dependency. The dependencies that do no I/O are `async`: FastAPI runs a plain
    `def` one in the thread pool, a hop (and a thread switch) per dependency per request."""
    return store_of(request)


async def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


async def subject_in_scope(request: Request, store: StoreDep, caller: CallerDep) -> None:
    """A router's dependency: the subject a path names (`{uid}`) must be in a region-scoped caller's
    region, else 404 as if unknown; one check for every route about one subject, JSON or page. Only a
    scoped caller's check reads the graph, in the thread pool."""
    uid = request.path_params.get("uid")
    if uid is not None and caller.region is not None:
        await run_in_threadpool(require_visible, store, caller, uid)


InScope = Depends(subject_in_scope)

_BOUNDS = (
    (annotated_types.Gt, "gt"),
    (annotated_types.Ge, "ge"),
    (annotated_types.Lt, "lt"),
    (annotated_types.Le, "le"),
)


def bounded(model: type[BaseModel], name: str, description: str | None = None) -> Any:
    """A `Query` with the numeric bounds (and description) of the params model's own field, so what the
    OpenAPI document advertises is what the query accepts: one place for each bound."""
    field = model.model_fields[name]
    limits = {key: getattr(c, key) for c in field.metadata for kind, key in _BOUNDS if isinstance(c, kind)}
    return Query(description=description or field.description, **limits)


# how far into a paged list: bounded, since the database's SKIP takes a 32-bit integer at most
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip (paging)")]

# the two ends of a path between parties, and its hop limit (GET /paths and the /ui/paths page)
FromUid = Annotated[str, Query(alias="from", min_length=1, max_length=400)]
ToUid = Annotated[str, Query(alias="to", min_length=1, max_length=400)]
MaxHops = Annotated[int, bounded(PathParams, "max_hops")]
