"""Matching by example for integrating systems (`POST /match`, the way yente's `/match` works).

Public callers may match on the name, credit code, address, country and kind: registry data. The
fields that describe a natural person (ID number, birth date, phone) need at least the investigator
role, so the endpoint cannot be used as an oracle for personal data: a public request carrying one
is refused (403) rather than quietly answered on less. For the public, persons are compared on the
name only, never get `match: true`, and their names are shown abbreviated.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, model_validator

from api.auth import CallerDep, Role
from api.contract import ContractRoute
from api.errors import ApiError
from api.masking import mask_name
from api.routes.deps import SettingsDep, StoreDep
from credit.matching import MatchResult, PartyQuery, match

router = APIRouter(tags=["matching"], route_class=ContractRoute)


class MatchRequest(BaseModel):
    """One or many example parties, the decision threshold and how many candidates each may return."""

    model_config = ConfigDict(extra="forbid")

    queries: list[PartyQuery] = Field(min_length=1, description="Example parties (at most IPCREDIT_BATCH_LIMIT)")
    threshold: Annotated[float, Field(ge=0.1, le=1)] | None = Field(
        default=None, description="Score at or above which a candidate is a match (default: credit/matching.toml)"
    )
    limit: Annotated[int, Field(ge=1, le=25)] = Field(default=5, description="Candidates per query, best first")

    @model_validator(mode="after")
    def _each_has_a_key(self) -> MatchRequest:
        empty = [i for i, q in enumerate(self.queries) if not q.has_key()]
        if empty:
            raise ValueError(f"queries {empty} give none of name, credit_code, id_number")
        return self


@router.post(
    "/match",
    responses={
        403: {"description": "A public caller sent a personal field (id_number, birth_date, phone)"},
        422: {"description": "Invalid, or more queries than IPCREDIT_BATCH_LIMIT"},
    },
)
def match_parties(body: MatchRequest, store: StoreDep, settings: SettingsDep, caller: CallerDep) -> MatchResult:
    """Candidates for each example party with a score, the features behind it and a match decision."""
    if len(body.queries) > settings.batch_limit:
        raise ApiError(
            422,
            f"{len(body.queries)} queries in one request: the limit is {settings.batch_limit} (IPCREDIT_BATCH_LIMIT)",
            code="batch_too_large",
            detail={"given": len(body.queries), "limit": settings.batch_limit},
        )
    personal = caller.role >= Role.INVESTIGATOR
    if not personal:
        used = {i: q.personal_fields() for i, q in enumerate(body.queries) if q.personal_fields()}
        if used:
            raise ApiError(
                403,
                "matching on id_number, birth_date or phone needs the investigator role",
                code="forbidden",
                detail={"needed": Role.INVESTIGATOR.label, "fields": used},
            )
    result = match(store, body.queries, threshold=body.threshold, limit=body.limit, personal=personal)
    return result if personal else _public(result)


def _public(result: MatchResult) -> MatchResult:
    """The public view: the name or alias that matched a person abbreviated too (the rest of the answer
    is masked on its way out, as every public response is)."""
    masked = result.model_copy(deep=True)
    for item in masked.items:
        for candidate in item.candidates:
            if candidate.kind in ("person", "agent"):
                for feature in candidate.features:
                    feature.matched = mask_name(feature.matched) if feature.matched else None
    return masked
