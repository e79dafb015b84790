"""The credit model itself: score, level and the factors behind them, graded from a subject's records
and dishonesty chains under a policy. Pure: no store, no I/O, so the batch classification, a single
check and the re-grading after a load grade identically (`credit.evaluate` fetches the facts).

Score = base - own deductions (positive records add) - linked-risk deductions. Each record reached by
chains counts once, through its strongest chain (strength x the record's deduction x the linked
scale); the linked total is capped. A serious record in force forces the veto level; a close chain of
control ties formed after a serious record (the tax rule) forces the time-order level.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date

from pydantic import BaseModel, ConfigDict

from credit.policy import Behaviour, LevelMeasures, Policy, Severity
from graph.model import Level
from queries.chains import Chain
from queries.credit import OwnRecord
from queries.shapes import Figure

LEVEL_ORDER: tuple[Level, ...] = (Level.D, Level.C, Level.B, Level.A, Level.A_PLUS)  # worst first


class RecordFactor(BaseModel):
    violation_uid: str
    behaviour_code: str
    name_en: str
    name_zh: str
    severity: str
    decided_on: date
    in_force_until: date | None
    counted: bool
    deduction: Figure  # points actually taken off (0 when not counted; negative adds)
    note: str | None = None


class ChainFactor(BaseModel):
    chain: Chain
    severity: str
    contribution: Figure  # points this chain takes off (0 when another chain already counts its record)
    counted: bool
    note: str | None = None


class Evaluation(BaseModel):
    """The result of a check: what H5 renders, what an :Assessment stores."""

    model_config = ConfigDict(frozen=True)

    subject_uid: str
    agency: bool
    as_of: date
    policy_version: str
    base_score: Figure
    own_deduction: Figure
    linked_deduction: Figure
    linked_cap_reached: bool
    score: Figure
    level: Level
    level_by_score: Level
    overrides: list[str]  # why the level is worse than the score says (veto, time order)
    records: list[RecordFactor]
    chains: list[ChainFactor]
    measures: LevelMeasures

    def factors_json(self, max_chains: int = 20) -> str:
        """The factors as stored on an :Assessment: records, counted chains and the strongest others."""
        kept = [c for c in self.chains if c.counted][:max_chains]
        kept += [c for c in self.chains if not c.counted][: max(0, max_chains - len(kept))]
        data = {
            "own_deduction": self.own_deduction,
            "linked_deduction": self.linked_deduction,
            "overrides": self.overrides,
            "records": [r.model_dump(mode="json") for r in self.records],
            "chains": [c.model_dump(mode="json") for c in kept],
            "chains_total": len(self.chains),
        }
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def worse(a: Level, b: Level) -> Level:
    return a if LEVEL_ORDER.index(a) <= LEVEL_ORDER.index(b) else b


def _behaviour(policy: Policy, code: str) -> tuple[Behaviour, str | None]:
    found = policy.catalogue.get(code)
    if found is not None:
        return found, None
    unknown = policy.unknown_behaviour
    fallback = Behaviour(
        code=code,
        name_zh=code,
        name_en=f"unknown behaviour {code}",
        category="unknown",
        severity=unknown.severity,
        deduction=unknown.deduction,
        months_in_force=unknown.months_in_force,
    )
    return fallback, f"code {code} is not in the behaviour catalogue; graded as {unknown.severity.value}"


def grade(
    policy: Policy,
    subject_uid: str,
    *,
    agency: bool,
    as_of: date,
    records: Sequence[OwnRecord],
    chains: Iterable[Chain],
) -> Evaluation:
    """Score and level of one subject from its records and chains, under `policy`."""
    overrides: list[str] = []
    level_floor = Level.A_PLUS

    record_factors: list[RecordFactor] = []
    own = 0.0
    for rec in records:
        v = rec.violation
        behaviour, note = _behaviour(policy, v.behaviour_code)
        counted = rec.not_counted is None
        if counted and behaviour.subjects == "agency" and not agency:
            note = (note + "; " if note else "") + "an agency behaviour recorded against a non-agency subject"
        deduction = behaviour.deduction if counted else 0.0
        own += deduction
        record_factors.append(
            RecordFactor(
                violation_uid=v.uid,
                behaviour_code=v.behaviour_code,
                name_en=behaviour.name_en,
                name_zh=behaviour.name_zh,
                severity=behaviour.severity.value,
                decided_on=v.decided_on,
                in_force_until=rec.in_force_until,
                counted=counted,
                deduction=deduction,
                note=rec.not_counted if not counted else note,
            )
        )
        if counted and behaviour.severity is Severity.SERIOUS:
            level_floor = worse(level_floor, policy.veto.serious_level)
            overrides.append(f"serious record {v.uid} ({v.behaviour_code}) in force: level {policy.veto.serious_level}")

    scale = policy.agency.linked_scale if agency else policy.linked.scale
    cap = policy.agency.cap if agency else policy.linked.cap
    cap_ties = {str(t) for t in policy.time_order.cap_ties}
    ordered = sorted(chains, key=Chain.rank)
    # each record counts once, through its strongest chain; the counted ones, strongest first, are
    # diminished so that many weak links do not add up like one strong one
    seen: set[str] = set()
    firsts: list[tuple[float, int]] = []  # (raw contribution, index in ordered)
    behaviours: list[Behaviour] = []
    for index, chain in enumerate(ordered):
        behaviour, _ = _behaviour(policy, chain.violation.behaviour_code)
        behaviours.append(behaviour)
        if chain.violation.uid not in seen:
            seen.add(chain.violation.uid)
            firsts.append((chain.strength * max(behaviour.deduction, 0.0) * scale, index))
    contributions: dict[int, float] = {}
    for rank, (raw, index) in enumerate(sorted(firsts, key=lambda f: (-f[0], f[1]))):
        contributions[index] = round(raw * policy.linked.diminishing**rank, 4)

    chain_factors: list[ChainFactor] = []
    linked = 0.0
    for index, chain in enumerate(ordered):
        behaviour = behaviours[index]
        contribution = contributions.get(index, 0.0)
        note = None if index in contributions else "its record already counts through a stronger chain"
        if index in contributions and contribution < policy.linked.min_contribution:
            note, contribution = "below the minimum contribution", 0.0
        linked += contribution
        chain_factors.append(
            ChainFactor(
                chain=chain,
                severity=behaviour.severity.value,
                contribution=contribution,
                counted=contribution > 0,
                note=note,
            )
        )
        if (
            policy.time_order.enabled
            and behaviour.severity is Severity.SERIOUS
            and chain.hops <= policy.time_order.cap_max_hops
            and chain.steps
            and chain.steps[0].after
            and all(s.type in cap_ties and not s.suspected for s in chain.steps)
        ):
            if worse(level_floor, policy.time_order.cap_level) != level_floor:
                overrides.append(
                    f"tie {chain.steps[0].type} formed after serious record {chain.violation.uid} of "
                    f"{chain.offender_uid} (time order): level {policy.time_order.cap_level}"
                )
            level_floor = worse(level_floor, policy.time_order.cap_level)

    linked_capped = min(linked, cap)
    score = round(policy.base_score - own - linked_capped, 4)
    by_score = policy.levels.level(score)
    level = worse(by_score, level_floor)
    return Evaluation(
        subject_uid=subject_uid,
        agency=agency,
        as_of=as_of,
        policy_version=policy.version,
        base_score=policy.base_score,
        own_deduction=round(own, 4),
        linked_deduction=round(linked_capped, 4),
        linked_cap_reached=linked > cap,
        score=score,
        level=level,
        level_by_score=by_score,
        overrides=overrides if level != by_score else [],
        records=record_factors,
        chains=chain_factors,
        measures=policy.measures[level],
    )
