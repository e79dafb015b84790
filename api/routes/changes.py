"""The change feed: every level change (and every new record or chain of a subject) as an event with a
sequence number allocated in the database; follow it with `since` = the last number seen."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from api.auth import CallerDep
from api.domain import shown
from api.routes.deps import StoreDep
from queries.feed import Change, changes_since, head

router = APIRouter(tags=["changes"])

Since = Annotated[
    int, Query(ge=0, le=2**63 - 1, description="Return events after this sequence number (0: from the start)")
]
Limit = Annotated[int, Query(ge=1, le=1000)]


class ChangePage(BaseModel):
    changes: list[Change]
    next_since: int  # pass as `since` to continue
    head: int  # the last sequence number allocated


@router.get("/changes")
def changes(store: StoreDep, caller: CallerDep, since: Since = 0, limit: Limit = 100) -> ChangePage:
    """Change events after `since`, oldest first: subject, old -> new level and score, cause, time."""
    found = changes_since(store, since, limit)
    page = ChangePage(changes=found, next_since=found[-1].seq if found else since, head=head(store))
    return ChangePage.model_validate(shown(store, caller, page))
