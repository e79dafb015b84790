"""The change feed: every level change (and every new record or chain of a subject) as an event with a
sequence number allocated in the database; follow it with `since` = the last number seen."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import Field

from api.auth import CallerDep
from api.contract import ContractRoute
from api.domain import shown
from api.routes.deps import StoreDep
from queries.feed import Change, changes_since, head
from queries.shapes import Page

router = APIRouter(tags=["changes"], route_class=ContractRoute)

Since = Annotated[
    int, Query(ge=0, le=2**63 - 1, description="Return events after this sequence number (0: from the start)")
]
Limit = Annotated[int, Query(ge=1, le=1000)]


class ChangePage(Page[Change]):
    """A part of the feed, oldest first: `total` counts the events returned; follow `next_since` to `head`."""

    next_since: int = Field(description="Pass as `since` to continue")
    head: int = Field(description="The last sequence number allocated")

    @classmethod
    def after(cls, found: list[Change], since: int, head: int) -> ChangePage:
        """The events found after `since`; with none, `next_since` stays `since`."""
        return cls(items=found, total=len(found), next_since=found[-1].seq if found else since, head=head)


@router.get("/changes")
def changes(store: StoreDep, caller: CallerDep, since: Since = 0, limit: Limit = 100) -> ChangePage:
    """Change events after `since`, oldest first: subject, old -> new level and score, cause, time."""
    found = changes_since(store, since, limit)
    page = ChangePage.after(found, since, head(store))
    return ChangePage.model_validate(shown(store, caller, page))
