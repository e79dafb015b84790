"""Region-scoped staff keys (`IPCREDIT_API_KEY_REGIONS`): a city office's key sees its city only.

The scope is applied in the data queries (a region filter in the statement, or a look-up of which
subjects are in the region before anything about them is read), never by filtering an answer after.
A subject outside the scope is answered as unknown (404), so a scoped key learns nothing of it.
"""

from __future__ import annotations

from api.auth import Caller
from api.errors import ApiError, not_found
from graph.store import Store
from queries.supervision import in_region


def region_for(caller: Caller, requested: str | None) -> str | None:
    """The region a request is answered for: the one asked, narrowed to (and inside) the caller's scope."""
    scope = caller.region
    if scope is None:
        return requested
    if requested is None or requested.startswith(scope):
        return requested or scope
    if scope.startswith(requested):
        return scope
    raise ApiError(
        403, f"this key is scoped to region {scope}", code="forbidden", detail={"scope": scope, "region": requested}
    )


def visible(store: Store, caller: Caller, uids: list[str]) -> set[str]:
    """Of `uids`, those the caller may see (all of them for an unscoped caller)."""
    if caller.region is None:
        return set(uids)
    return in_region(store, uids, caller.region)


def require_visible(store: Store, caller: Caller, uid: str) -> None:
    if uid not in visible(store, caller, [uid]):
        raise not_found("subject", uid)
