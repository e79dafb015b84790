"""The supervision policy (`credit/supervision.toml`): inspection ratios by level, cool-down, conflict hops."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from pydantic import BaseModel, Field

from graph.model import Level


class InspectionPolicy(BaseModel):
    ratios: dict[Level, float]
    cooldown_months: int = Field(ge=0)
    conflict_hops: int = Field(ge=1, le=6)
    inspectors_per_inspection: int = Field(ge=1)
    kinds: list[str]


class StatsPolicy(BaseModel):
    top_behaviours: int = Field(ge=1)


class SupervisionPolicy(BaseModel):
    version: str
    inspections: InspectionPolicy
    stats: StatsPolicy


@cache
def supervision_policy() -> SupervisionPolicy:
    """The policy shipped in `credit/supervision.toml`."""
    text = resources.files("credit").joinpath("supervision.toml").read_text(encoding="utf-8")
    return SupervisionPolicy.model_validate(tomllib.loads(text))
