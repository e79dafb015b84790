"""Evaluation of one subject as of a date: score, level, the factors behind them and the measures.

`grade` is the model itself, a pure function of the policy, the subject's own records and its
dishonesty chains, so the batch classification and the single check grade identically; `evaluate`
fetches those facts for one subject from the graph and grades them.

Score = base - own deductions (positive records add) - linked-risk deductions. Each record reached by
chains counts once, through its strongest chain (strength x the record's deduction x the linked
scale); the linked total is capped. A serious record in force forces the veto level; a close chain of
control ties formed after a serious record (the tax rule) forces the time-order level.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from credit.policy import Behaviour, LevelMeasures, Policy, Severity, default_policy
from graph.cypher import cypher
from graph.model import Level
from graph.settings import get_settings
from graph.store import Row, Store
from queries.chains import Chain, ChainParams, ChainViolation, chains_statement
from queries.shapes import Figure

LEVEL_ORDER: tuple[Level, ...] = (Level.D, Level.C, Level.B, Level.A, Level.A_PLUS)  # worst first


class SubjectNotFoundError(LookupError):
    """No subject with that uid in the graph."""


class RecordInfo(ChainViolation):
    """A record as stored, with the workflow fields."""

    description: str | None = None
    penalty_done_on: date | None = None
    ended_on: date | None = None
    suspended_since: date | None = None
    repaired_on: date | None = None


class OwnRecord(BaseModel):
    """One of the subject's records and whether it counts on the date (and if not, why)."""

    violation: RecordInfo
    in_force_until: date | None = None
    not_counted: str | None = None
    pending_objections: list[str] = []


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


def chain_params(policy: Policy, as_of: date) -> ChainParams:
    """The chain statements' parameters from the policy: weights as maps, so the policy stays data."""
    catalogue = policy.catalogue.behaviours
    return ChainParams(
        as_of=as_of,
        k=policy.chains.k,
        weights=policy.tie_weights(agency=False),
        agency_weights=policy.tie_weights(agency=True),
        decay=policy.chains.decay,
        missing_ratio=policy.chains.missing_ratio,
        control_ratio=policy.chains.control_ratio,
        suspected_weight=policy.chains.suspected.weight,
        full_up_to=policy.chains.suspected.full_weight_up_to,
        skip_above=policy.chains.suspected.skip_above,
        hub_skip_above=policy.chains.hub_skip_above,
        after_factor=policy.time_order.after_factor if policy.time_order.enabled else 1.0,
        min_strength=policy.chains.min_strength,
        max_chains=policy.chains.max_chains,
        months=policy.catalogue.months(),
        default_months=policy.unknown_behaviour.months_in_force,
        positive_codes=[c for c, b in catalogue.items() if b.severity is Severity.POSITIVE],
    )


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
    ordered = sorted(chains, key=lambda c: (-c.strength, c.hops, c.offender_uid, c.violation.uid, c.path))
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


def today() -> date:
    """The day of an evaluation that names none: `IPCREDIT_AS_OF` when set, else today (UTC)."""
    return get_settings().as_of or datetime.now(UTC).date()


def subject_facts(store: Store, uid: str) -> dict[str, Any]:
    return _facts(uid, store.read(*_facts_statement(uid)))


def _facts_statement(uid: str) -> tuple[str, dict[str, Any]]:
    return cypher("credit/subject_facts"), {"uid": uid}


def _facts(uid: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    if not rows:
        raise SubjectNotFoundError(f"no subject with uid {uid!r}")
    return rows[0]


def _records_statement(uid: str, policy: Policy, as_of: date) -> tuple[str, dict[str, Any]]:
    params = {
        "uid": uid,
        "as_of": as_of,
        "months": policy.catalogue.months(),
        "default_months": policy.unknown_behaviour.months_in_force,
    }
    return cypher("credit/own_records"), params


def _statements(uid: str, policy: Policy, as_of: date) -> list[tuple[str, dict[str, Any]]]:
    return [
        _facts_statement(uid),
        _records_statement(uid, policy, as_of),
        chains_statement(uid, chain_params(policy, as_of)),
    ]


def _graded(
    policy: Policy, uid: str, as_of: date, facts: list[Row], records: list[Row], chains: list[Row]
) -> Evaluation:
    return grade(
        policy,
        uid,
        agency=bool(_facts(uid, facts)["agency"]),
        as_of=as_of,
        records=[OwnRecord.model_validate(row) for row in records],
        chains=[Chain.model_validate(row) for row in chains],
    )


def evaluate(store: Store, uid: str, as_of: date | None = None, policy: Policy | None = None) -> Evaluation:
    """Evaluate one subject as of a date (default today) under a policy (default the shipped one).

    The facts, the own records and the chains are read in one transaction: one consistent snapshot,
    and a check pays the transaction overhead once (it was a third of a single check's time).
    """
    policy = policy or default_policy()
    as_of = as_of or today()
    facts, records, chains = store.read_many(_statements(uid, policy, as_of))
    return _graded(policy, uid, as_of, facts, records, chains)


def evaluate_many(
    store: Store, uids: Iterable[str], as_of: date, policy: Policy, chunk: int = 64
) -> Iterator[Evaluation]:
    """Evaluate many subjects exactly as `evaluate` does, `chunk` of them per read transaction (the
    transaction overhead dominated one-by-one re-grading); unknown uids are skipped."""
    pending = sorted(set(uids))
    for start in range(0, len(pending), chunk):
        part = pending[start : start + chunk]
        results = store.read_many([s for uid in part for s in _statements(uid, policy, as_of)])
        for index, uid in enumerate(part):
            facts, records, chains = results[3 * index : 3 * index + 3]
            if facts:
                yield _graded(policy, uid, as_of, facts, records, chains)
