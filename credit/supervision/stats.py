"""Statistics for supervision and the annual analysis report: subjects by level x region x kind as of a
date, level transitions over a period, top behaviours, objections and repairs, and inspections done
with their hit rate by level (do D subjects yield more findings than A? the model's quality in the field).
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from pydantic import BaseModel

from credit.supervision.policy import supervision_policy
from graph.store import Store
from queries import supervision as q


class LevelCell(BaseModel):
    level: str | None  # null: not assessed by the date
    region_code: str | None = None
    province: str | None = None
    city: str | None = None
    county: str | None = None
    kind: str
    subjects: int


class Transition(BaseModel):
    before: str | None  # null: not assessed at the period's start
    after: str
    subjects: int


class BehaviourCount(BaseModel):
    behaviour_code: str
    records: int
    subjects: int


class InspectionRate(BaseModel):
    level: str
    done: int
    with_findings: int
    hit_rate: float


class Stats(BaseModel):
    as_of: date
    start: date
    end: date
    region: str | None = None
    kind: str | None = None
    by_level: dict[str, int]  # level (or "unassessed") -> subjects, as of `as_of`
    cells: list[LevelCell]
    transitions: list[Transition]
    top_behaviours: list[BehaviourCount]
    # status now -> objections filed in the period (a key `objections` is withheld from the public)
    objections_filed: dict[str, int]
    repairs: int
    inspections: list[InspectionRate]


UNASSESSED = "unassessed"


def statistics(
    store: Store, *, as_of: date, start: date, end: date, region: str | None = None, kind: str | None = None
) -> Stats:
    """Counts as of `as_of`, and over the period `start`..`end` (both included)."""
    top = supervision_policy().stats.top_behaviours
    cells = [LevelCell.model_validate(r) for r in q.level_counts(store, as_of, region=region, kind=kind)]
    by_level: Counter[str] = Counter()
    for cell in cells:
        by_level[cell.level or UNASSESSED] += cell.subjects
    workflow = q.workflow_counts(store, start, end, region=region, kind=kind)
    rates = [
        InspectionRate(
            level=r["level"],
            done=r["done"],
            with_findings=r["with_findings"],
            hit_rate=round(r["with_findings"] / r["done"], 4) if r["done"] else 0.0,
        )
        for r in q.inspection_counts(store, start, end, region=region, kind=kind)
    ]
    return Stats(
        as_of=as_of,
        start=start,
        end=end,
        region=region,
        kind=kind,
        by_level=dict(by_level),
        cells=cells,
        transitions=[Transition.model_validate(r) for r in q.transitions(store, start, end, region=region, kind=kind)],
        top_behaviours=[
            BehaviourCount.model_validate(r) for r in q.top_behaviours(store, start, end, top, region=region, kind=kind)
        ],
        objections_filed=dict(Counter(str(s) for s in workflow["objections"])),
        repairs=int(workflow["repairs"]),
        inspections=rates,
    )


def annual(store: Store, year: int, *, region: str | None = None, kind: str | None = None) -> Stats:
    """The year's statistics: levels as of its last day, everything else over the year."""
    end = date(year, 12, 31)
    return statistics(store, as_of=end, start=date(year, 1, 1), end=end, region=region, kind=kind)
