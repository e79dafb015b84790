"""Equity penetration, ultimate controllers and circular shareholdings (networkx, `queries.analytics`).

Penetration keeps a variable-length pattern over SHAREHOLDER_OF only (simple paths), so circular
holdings terminate.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from graph.store import Store
from queries import analytics
from queries.catalogue.params import Params, Uid, split_list
from queries.statements import cypher
from queries.traversal import subject_starts

# --- equity penetration and controllers -----------------------------------------------------------


class EquityParams(Params):
    uid: Uid
    direction: Literal["up", "down"] = Field(default="up", description="up: shareholders; down: investments")
    depth: int = Field(default=5, ge=1, le=6)
    limit: int = Field(default=500, ge=1, le=10_000)
    as_of: date = Field(default_factory=date.today, description="only ties in force on this date")


class Stake(BaseModel):
    """A party and its cumulative ratio (product along each path, summed over simple paths)."""

    uid: Uid
    name: str | None
    labels: list[str]
    ratio: float
    paths: int
    min_depth: int


class Holding(Stake):
    """A holder (up) or a held company (down)."""

    paths_without_ratio: int
    ultimate: bool


def equity(store: Store, params: EquityParams) -> list[Holding]:
    """Equity penetration: product of ratios along each path, summed over paths; cycles terminate."""
    subject_starts(store, [params.uid])
    name = "catalogue/shareholders_up" if params.direction == "up" else "catalogue/investments_down"
    rows = store.read(
        cypher(name), {"uid": params.uid, "depth": params.depth, "limit": params.limit, "as_of": params.as_of}
    )
    return [Holding.model_validate(r) for r in rows]


class ControllersParams(Params):
    uid: Uid
    threshold: float = Field(gt=0, le=1, description="minimum cumulative ratio (credit policy)")
    depth: int = Field(default=5, ge=1, le=6)
    as_of: date = Field(default_factory=date.today, description="only ties in force on this date")


class Controller(Stake):
    """An ultimate controller: a holder whose cumulative ratio reaches the policy's threshold."""


def controllers(store: Store, params: ControllersParams) -> list[Controller]:
    """Ultimate controllers: persons or unowned holders at the top whose cumulative ratio reaches the threshold."""
    subject_starts(store, [params.uid])
    rows = store.read(
        cypher("catalogue/controllers"),
        {"uid": params.uid, "depth": params.depth, "threshold": params.threshold, "as_of": params.as_of},
    )
    return [Controller.model_validate(r) for r in rows]


# --- circular shareholdings (networkx) -----------------------------------------------------------


class CyclesParams(Params):
    seeds: list[Uid] | None = Field(default=None, description="none: every link that can lie on a cycle")
    depth: int = Field(default=4, ge=1, le=6)
    max_length: int = Field(default=6, ge=2, le=12)
    max_cycles: int = Field(default=1000, ge=1, le=100_000)

    _split_seeds = field_validator("seeds", mode="before")(split_list)


def cycles(store: Store, params: CyclesParams) -> analytics.HoldingCycles:
    """Circular shareholdings (simple cycles of SHAREHOLDER_OF in networkx)."""
    return analytics.circular_shareholdings(
        store, params.seeds, depth=params.depth, max_length=params.max_length, max_cycles=params.max_cycles
    )
