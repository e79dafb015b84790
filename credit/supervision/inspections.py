"""Random inspections by level (双随机、一公开): a reproducible draw of subjects per level and of inspectors.

The draw is pure (`draw`): candidates sorted by uid, each level's share from the policy (D all in),
rounded half up, spread over the strata (region x kind) by largest remainder, then sampled per stratum
with `random.Random(seed)`, so the same seed on the same graph gives the same plan. Subjects inspected
within the cool-down are not candidates. Inspectors come from a roster; one tied to the subject within
`conflict_hops` subject hops in the graph (party ties, shared contact points) is never drawn for it.
`plan_inspections` fetches and stores through `queries.supervision`; `record` stores a result, a
finding becoming a record that re-grades the subject and those its chains reach, as any write does.
"""

from __future__ import annotations

import csv
import json
import math
import random
import uuid
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, TypeAdapter, model_validator

from credit.evaluate import today
from credit.freshness import regrade_subjects
from credit.policy import Policy, default_policy
from credit.states import Cause
from credit.supervision.policy import SupervisionPolicy, supervision_policy
from credit.workflow import LevelChange, touched_subjects
from graph.model import Level
from graph.store import Store
from queries import supervision as q
from queries.freshness import states

LEVEL_ORDER = [level.value for level in Level]
PERIOD_PATTERN = r"^[12][0-9]{3}Q[1-4]$"
REGION_PATTERN = r"^[0-9]{2,6}$"
Kind = Literal["company", "agency", "person", "agent"]


class PlanError(ValueError):
    """A plan or result request that cannot be carried out (an unknown behaviour code, …)."""


class PlanNotFoundError(PlanError):
    """No such plan or inspection."""


class ResultConflictError(PlanError):
    """The inspection has its result already."""


class Inspector(BaseModel):
    """A roster entry: the inspector's staff id and name, and how the graph knows them (a person's uid,
    else an ID number matched against the graph's persons), so ties to subjects can be checked."""

    id: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=200)
    office: str | None = Field(default=None, max_length=200)
    person_uid: str | None = Field(default=None, max_length=400)
    id_number: str | None = Field(default=None, max_length=100)


def load_roster(path: Path) -> list[Inspector]:
    """A roster from a CSV file (header: id,name,office,person_uid,id_number) or a JSON list."""
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json":
        return TypeAdapter(list[Inspector]).validate_json(text)
    rows = csv.DictReader(text.splitlines())
    return [Inspector.model_validate({k: (v or None) for k, v in row.items() if k}) for row in rows]


def period_start(period: str) -> date:
    """The first day of a quarter written `2026Q4`."""
    year, quarter = int(period[:4]), int(period[5])
    return date(year, 3 * quarter - 2, 1)


class Drawn(BaseModel):
    """One inspection of a plan: the subject as drawn and its inspectors."""

    subject_uid: str
    name: str | None = None
    credit_code: str | None = None
    level: str
    kind: str
    region_code: str | None = None
    inspectors: list[str]
    inspector_names: list[str]
    unstaffed: bool  # fewer inspectors free of ties than the policy asks for


class LevelCount(BaseModel):
    level: str
    candidates: int  # subjects of the level in scope
    cooled: int  # of them skipped: inspected within the cool-down
    ratio: float
    drawn: int


def _half_up(x: float) -> int:
    return math.floor(x + 0.5)


def _allocate(target: int, strata: dict[tuple[str, str], list[q.Candidate]]) -> dict[tuple[str, str], int]:
    """Spread `target` over the strata in proportion to their sizes (largest remainder, ties by key)."""
    total = sum(len(m) for m in strata.values())
    if total == 0:
        return {}
    quotas = {key: target * len(m) / total for key, m in strata.items()}
    out = {key: math.floor(v) for key, v in quotas.items()}
    left = target - sum(out.values())
    for key in sorted(quotas, key=lambda k: (-(quotas[k] - out[k]), k))[:left]:
        out[key] += 1
    return out


def draw(
    candidates: list[q.Candidate],
    roster: list[Inspector],
    conflicts: dict[str, set[str]],
    policy: SupervisionPolicy,
    seed: str,
) -> tuple[list[Drawn], list[LevelCount]]:
    """The plan's inspections and the counts per level; `conflicts`: roster id -> subjects it is tied to."""
    rng = random.Random(seed)
    rules = policy.inspections
    by_level: dict[str, list[q.Candidate]] = defaultdict(list)
    for c in sorted(candidates, key=lambda c: c.uid):
        by_level[c.level].append(c)
    chosen: list[q.Candidate] = []
    counts: list[LevelCount] = []
    for level in LEVEL_ORDER:
        members = by_level.get(level, [])
        free = [c for c in members if not c.cooled]
        ratio = rules.ratios.get(Level(level), 0.0)
        target = len(free) if ratio >= 1 else min(len(free), _half_up(ratio * len(free)))
        strata: dict[tuple[str, str], list[q.Candidate]] = defaultdict(list)
        for c in free:
            strata[(c.region_code or "", c.kind)].append(c)
        picked: list[q.Candidate] = []
        for key, n in sorted(_allocate(target, strata).items()):
            picked += rng.sample(strata[key], n)
        chosen += sorted(picked, key=lambda c: c.uid)
        cooled = len(members) - len(free)
        counts.append(LevelCount(level=level, candidates=len(members), cooled=cooled, ratio=ratio, drawn=len(picked)))
    staff = sorted(roster, key=lambda i: i.id)
    drawn = []
    for c in chosen:
        eligible = [i for i in staff if c.uid not in conflicts.get(i.id, set())]
        team = rng.sample(eligible, min(rules.inspectors_per_inspection, len(eligible)))
        drawn.append(
            Drawn(
                subject_uid=c.uid,
                name=c.name,
                credit_code=c.credit_code,
                level=c.level,
                kind=c.kind,
                region_code=c.region_code,
                inspectors=[i.id for i in team],
                inspector_names=[i.name for i in team],
                unstaffed=len(team) < rules.inspectors_per_inspection,
            )
        )
    return drawn, counts


class PlanRequest(BaseModel):
    period: str = Field(pattern=PERIOD_PATTERN, description="The quarter, e.g. 2026Q4")
    seed: str = Field(min_length=1, max_length=100, description="The draw's seed: the same seed, the same plan")
    region: str | None = Field(default=None, pattern=REGION_PATTERN, description="Division-code prefix")
    kinds: list[Kind] | None = Field(default=None, description="Kinds of subject; the policy's when omitted")
    inspectors: list[Inspector] = Field(
        default=[], max_length=10_000, description="The roster the inspectors are drawn from"
    )


class PlanFacts(BaseModel):
    """What a plan says of itself, drawn or stored: its period, the seed and policies it was drawn with,
    who drew it and the counts per level."""

    period: str
    period_start: date
    seed: str
    region: str | None = None
    kinds: list[str]
    policy_version: str
    supervision_version: str
    drawn_by: str
    drawn_on: date
    counts: list[LevelCount]


class Plan(PlanFacts):
    uid: str | None = None  # set once stored
    inspections: list[Drawn]


def conflicts_of(store: Store, roster: list[Inspector], hops: int) -> dict[str, set[str]]:
    """Roster id -> the subjects within `hops` of any graph person the entry is (itself included)."""
    rows = [{"id": i.id, "person_uid": i.person_uid, "id_number": i.id_number} for i in roster]
    persons = q.roster_persons(store, rows)
    out: dict[str, set[str]] = {}
    for inspector in roster:
        tied: set[str] = set()
        for uid in persons.get(inspector.id, []):
            tied |= q.tied_within(store, uid, hops)
        out[inspector.id] = tied
    return out


def plan_inspections(
    store: Store,
    request: PlanRequest,
    *,
    actor: str,
    save: bool = True,
    policy: Policy | None = None,
    rules: SupervisionPolicy | None = None,
) -> Plan:
    """Draw a plan over the graph's current levels and, with `save`, store it (audited)."""
    policy = policy or default_policy()
    rules = rules or supervision_policy()
    start = period_start(request.period)
    kinds = sorted(request.kinds or rules.inspections.kinds)
    found = q.candidates(
        store, region=request.region, kinds=kinds, start=start, cooldown_months=rules.inspections.cooldown_months
    )
    conflicts = conflicts_of(store, request.inspectors, rules.inspections.conflict_hops)
    drawn, counts = draw(found, request.inspectors, conflicts, rules, request.seed)
    plan = Plan(
        period=request.period,
        period_start=start,
        seed=request.seed,
        region=request.region,
        kinds=kinds,
        policy_version=policy.version,
        supervision_version=rules.version,
        drawn_by=actor,
        drawn_on=today(),
        counts=counts,
        inspections=drawn,
    )
    if save:
        plan.uid = f"plan:{uuid.uuid4().hex}"
        props = plan.model_dump(exclude={"inspections", "counts"})
        props["counts"] = q.as_json([c.model_dump() for c in counts])
        rows = [
            {"uid": f"inspection:{uuid.uuid4().hex}", **d.model_dump(exclude={"name", "credit_code"})} for d in drawn
        ]
        detail = f"inspection plan {request.period} (seed {request.seed}): {len(drawn)} inspections"
        q.create_plan(
            store, props, rows, event_uid=f"audit:{uuid.uuid4().hex}", actor=actor, on=plan.drawn_on, detail=detail
        )
    return plan


class StoredInspection(BaseModel):
    uid: str
    subject_uid: str
    name: str | None = None
    credit_code: str | None = None
    level: str
    kind: str
    region_code: str | None = None
    inspectors: list[str] = []
    inspector_names: list[str] = []
    unstaffed: bool = False
    status: str
    outcome: str | None = None
    findings: list[str] = []
    doc_number: str | None = None
    recorded_on: date | None = None
    violation_uids: list[str] = []


class StoredPlan(PlanFacts):
    uid: str
    inspections: list[StoredInspection]


def _plan_of(props: dict[str, object], inspections: list[dict[str, object]]) -> StoredPlan:
    counts = json.loads(str(props.get("counts") or "[]"))
    return StoredPlan.model_validate({**props, "counts": counts, "inspections": inspections})


def get_plan(store: Store, uid: str, *, region: str | None = None) -> StoredPlan:
    """A stored plan; a region scope keeps only its inspections in that region."""
    found = q.plan(store, uid)
    if found is None:
        raise PlanNotFoundError(f"no inspection plan {uid!r}")
    plan = _plan_of(*found)
    if region is not None:
        plan.inspections = [i for i in plan.inspections if (i.region_code or "").startswith(region)]
    return plan


class ResultRequest(BaseModel):
    """An inspection's result: clean, or findings as behaviour codes with the decision's document number."""

    outcome: Literal["clean", "findings"]
    findings: list[str] = Field(default=[], max_length=20, description="Behaviour codes found")
    doc_number: str | None = Field(default=None, max_length=200)
    authority: str | None = Field(default=None, max_length=200)
    on: date | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ResultRequest:
        if self.outcome == "findings" and (not self.findings or not self.doc_number):
            raise ValueError("findings need at least one behaviour code and the document number")
        if self.outcome == "clean" and self.findings:
            raise ValueError("a clean inspection has no findings")
        return self


class ResultRecorded(BaseModel):
    inspection_uid: str
    subject_uid: str
    outcome: str
    violation_uids: list[str]
    regraded: int
    changed: list[LevelChange]


def record(
    store: Store, inspection_uid: str, request: ResultRequest, *, actor: str, policy: Policy | None = None
) -> ResultRecorded:
    """Record a result; each finding becomes a record, and the subjects it touches are re-graded."""
    policy = policy or default_policy()
    unknown = [c for c in request.findings if c not in policy.catalogue.behaviours]
    if unknown:
        raise PlanError(f"unknown behaviour code(s): {', '.join(unknown)}")
    on = request.on or today()
    event_uid = f"audit:{uuid.uuid4().hex}"
    findings = [{"uid": f"violation:{uuid.uuid4().hex}", "behaviour_code": c} for c in request.findings]
    params = {
        "uid": inspection_uid,
        "outcome": request.outcome,
        "doc_number": request.doc_number,
        "authority": request.authority,
        "on": on,
        "findings": findings,
        "actor": actor,
        "event_uid": event_uid,
        "detail": f"inspection result: {request.outcome}"
        + (f" ({', '.join(request.findings)}; {request.doc_number})" if request.findings else ""),
    }
    if q.inspection(store, inspection_uid) is None:
        raise PlanNotFoundError(f"no inspection {inspection_uid!r}")
    recorded = q.record_result(store, params)
    if recorded is None:  # recorded by another step meanwhile, or before
        raise ResultConflictError(f"inspection {inspection_uid!r} has its result already")
    touched = {recorded.subject_uid}
    for uid in recorded.violation_uids:
        touched |= touched_subjects(store, uid, recorded.subject_uid, policy, on)
    before = {uid: s.level for uid, s in states(store, sorted(touched)).items()}
    evaluations = regrade_subjects(store, touched, Cause(kind="record", uid=event_uid), as_of=on, policy=policy)
    changed = [
        LevelChange(uid=e.subject_uid, old=before.get(e.subject_uid), new=e.level.value)
        for e in evaluations
        if before.get(e.subject_uid) != e.level.value
    ]
    return ResultRecorded(
        inspection_uid=inspection_uid,
        subject_uid=recorded.subject_uid,
        outcome=request.outcome,
        violation_uids=recorded.violation_uids,
        regraded=len(evaluations),
        changed=changed,
    )
