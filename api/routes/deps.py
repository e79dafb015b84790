"""Dependencies shared by the routers (the Store and the Settings the app's lifespan holds), and the
query parameters the API and the pages share."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from graph.settings import Settings
from graph.store import Store


def get_store(request: Request) -> Store:
    """The app's Store; 503 at once while Neo4j was found unreachable moments ago."""
    request.app.state.database_down.check()
    store: Store = request.app.state.store
    return store


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]

# the two ends of a path between parties, and its hop limit (GET /paths and the /ui/paths page)
FromUid = Annotated[str, Query(alias="from", min_length=1, max_length=400)]
ToUid = Annotated[str, Query(alias="to", min_length=1, max_length=400)]
MaxHops = Annotated[int, Query(ge=1, le=8)]
