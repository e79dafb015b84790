"""Response models of the supervision routes (inspection plans, statistics)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from credit.supervision.inspections import LevelCount


class PlanSummary(BaseModel):
    uid: str
    period: str
    seed: str
    region: str | None = None
    kinds: list[str]
    policy_version: str
    supervision_version: str
    drawn_by: str
    drawn_on: date
    counts: list[LevelCount]
    inspections: int


class PlanList(BaseModel):
    items: list[PlanSummary]
    total: int
