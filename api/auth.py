"""API keys and roles: public < investigator < analyst < admin.

Keys come from `IPCREDIT_API_KEYS` (`key:role` pairs); clients send `X-API-Key`. No key is the public
role; an unknown key is refused (401) rather than quietly downgraded, so a typo is noticed. The key
itself is never logged or audited: callers are identified by a keyed hash of it (HMAC with the server
secret, `graph.identity.actor_id`), which cannot be confirmed from a guessed or leaked key list.
"""

from __future__ import annotations

import hmac
from enum import IntEnum
from typing import Annotated, Any

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader
from pydantic import BaseModel

from api.errors import ApiError
from graph.identity import actor_id
from graph.settings import Settings


class Role(IntEnum):
    PUBLIC = 0
    INVESTIGATOR = 1
    ANALYST = 2
    ADMIN = 3

    @property
    def label(self) -> str:
        return self.name.lower()


class Caller(BaseModel):
    """Who is calling: the role and an identifier safe to store in the audit trail."""

    role: Role
    actor: str
    region: str | None = None  # a key scoped to a region sees only subjects whose division code starts so

    def acting(self, by: str | None) -> str:
        """The audit actor for a step: the key's identifier, with the person it names (`by`) when given."""
        return f"{self.actor} ({by})" if by else self.actor


def resolve_caller(settings: Settings, key: str | None) -> Caller:
    """The caller for an `X-API-Key` value (None: public); unknown keys raise 401."""
    if key is None or key == "":
        return Caller(role=Role.PUBLIC, actor="public")
    for known, role in settings.api_keys.items():
        if hmac.compare_digest(known.encode(), key.encode()):
            region = settings.api_key_regions.get(known)
            return Caller(role=Role[role.upper()], actor=f"{role}:{actor_id(key, settings)}", region=region)
    raise ApiError(401, "unknown API key", code="unauthorized", detail={"header": "X-API-Key"})


# The declared security scheme (the lock and "Authorize" on /docs); no key is the public role, not an error.
API_KEY = APIKeyHeader(
    name="X-API-Key",
    scheme_name="ApiKey",
    description="API key of a role above public (investigator, analyst, admin); omit it for the public role",
    auto_error=False,
)


async def current_caller(request: Request, x_api_key: Annotated[str | None, Security(API_KEY)] = None) -> Caller:
    settings: Settings = request.app.state.settings
    return resolve_caller(settings, x_api_key)


CallerDep = Annotated[Caller, Depends(current_caller)]


class RoleCheck:
    """A dependency that lets callers of at least `minimum` role through, else 403 (the API's error
    documentation finds the routes that can answer 403 by it)."""

    def __init__(self, minimum: Role, *, whole_graph: bool = False) -> None:
        self.minimum = minimum
        self.whole_graph = whole_graph  # reads across regions: refused to a region-scoped key

    async def __call__(self, caller: CallerDep) -> Caller:
        if caller.role < self.minimum:
            raise ApiError(
                403,
                f"this needs the {self.minimum.label} role (you are {caller.role.label})",
                code="forbidden",
                detail={"needed": self.minimum.label, "role": caller.role.label},
            )
        if self.whole_graph and caller.region is not None:
            raise ApiError(
                403,
                f"this reads the whole graph; a key scoped to region {caller.region} may not",
                code="forbidden",
                detail={"scope": caller.region},
            )
        return caller


def require(minimum: Role) -> Any:
    """`Depends` on a `RoleCheck` of `minimum`."""
    return Depends(RoleCheck(minimum))


InvestigatorDep = Annotated[Caller, require(Role.INVESTIGATOR)]
AnalystDep = Annotated[Caller, require(Role.ANALYST)]
AdminDep = Annotated[Caller, require(Role.ADMIN)]
# free and catalogue queries read across regions: any role, but not a region-scoped key
WholeGraphDep = Annotated[Caller, Depends(RoleCheck(Role.PUBLIC, whole_graph=True))]
WholeGraphAnalystDep = Annotated[Caller, Depends(RoleCheck(Role.ANALYST, whole_graph=True))]
