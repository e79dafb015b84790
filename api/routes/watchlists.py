"""Watchlists: parties an investigator follows, owned by the API key that made them; their members'
level changes, new records and new chains, by sequence number, and optionally pushed to a webhook."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AnyHttpUrl, BaseModel, Field

from api.auth import InvestigatorDep
from api.contract import NOT_FOUND, ContractRoute
from api.errors import ApiError
from api.routes.changes import ChangePage, Limit, Since
from api.routes.deps import StoreDep
from queries import feed
from queries.feed import Delivery, Watchlist
from queries.shapes import Page

router = APIRouter(tags=["watchlists"], route_class=ContractRoute)

Uids = Annotated[list[Annotated[str, Field(min_length=1, max_length=400)]], Field(max_length=10_000)]


class WatchlistBody(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    uids: Uids = []
    webhook: AnyHttpUrl | None = None


class MembersBody(BaseModel):
    uids: Annotated[Uids, Field(min_length=1)]


def _found(value: Watchlist | None, uid: str) -> Watchlist:
    if value is None:  # another key's list is not found either: its existence is not revealed
        raise ApiError(404, f"no watchlist {uid!r} of yours")
    return value


@router.post("/watchlists", status_code=201)
def create(body: WatchlistBody, store: StoreDep, caller: InvestigatorDep) -> Watchlist:
    """A watchlist of the caller's; a webhook receives the members' events from now on."""
    webhook = str(body.webhook) if body.webhook else None
    return feed.create_watchlist(store, owner=caller.actor, name=body.name, members=body.uids, webhook=webhook)


@router.get("/watchlists")
def mine(store: StoreDep, caller: InvestigatorDep) -> Page[Watchlist]:
    """The caller's watchlists."""
    return Page[Watchlist].of(feed.watchlists_of(store, caller.actor))


@router.post("/watchlists/{uid}/members", responses=NOT_FOUND)
def add(uid: str, body: MembersBody, store: StoreDep, caller: InvestigatorDep) -> Watchlist:
    """Add members."""
    return _found(feed.change_members(store, uid, caller.actor, add=tuple(body.uids)), uid)


@router.delete("/watchlists/{uid}/members/{member:path}", responses=NOT_FOUND)
def remove(uid: str, member: str, store: StoreDep, caller: InvestigatorDep) -> Watchlist:
    """Remove one member."""
    return _found(feed.change_members(store, uid, caller.actor, remove=(member,)), uid)


@router.get("/watchlists/{uid}/changes", responses=NOT_FOUND)
def changes(uid: str, store: StoreDep, caller: InvestigatorDep, since: Since = 0, limit: Limit = 100) -> ChangePage:
    """The members' events after `since`: level changes, new records, new chains reaching them."""
    _found(feed.watchlist(store, uid, caller.actor), uid)
    found = feed.watchlist_changes(store, uid, caller.actor, since, limit)
    return ChangePage.after(found, since, feed.head(store))


@router.get("/watchlists/{uid}/deliveries", responses=NOT_FOUND)
def deliveries(
    uid: str, store: StoreDep, caller: InvestigatorDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> Page[Delivery]:
    """The webhook delivery log, newest first (every attempt, failed ones with their error)."""
    _found(feed.watchlist(store, uid, caller.actor), uid)
    return Page[Delivery].of(feed.deliveries(store, uid, caller.actor, limit))
