"""Levels kept current: after every write, re-grade exactly the subjects whose evaluation can have
changed, store what changed, and answer checks from the maintained state.

Whom a load can reach is found from the offenders near its changes, not by walking out from every
change: the offenders (subjects holding a record, in any state) within `k - 1` hops of either end of a
changed tie or of a sharer of a changed contact point, and the holders of changed records. Their
chains now (the batch classification's outward statement, restricted to them) that pass a changed
tie, contact point or holder reach the subjects whose chains appeared or changed; the subjects near
the changes whose maintained state reached one of those offenders' records may have lost a chain.
Hops are taken whatever the date and never through a hub (more than `hub_skip_above` ties), as chains
do, except out of the start. Grading is the same `grade` as everywhere (`evaluate_set`: a single
check's statements, many per read, or the batch classification's outward chains when the offenders
are fewer); a policy version other than the one the graph was last classified under re-grades
everyone first.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime

from pydantic import BaseModel

from credit.classify import ClassifySummary, classify_all, grade_all
from credit.evaluate import evaluate_many, evaluate_with_states, today
from credit.grading import Evaluation, grade
from credit.params import chain_params
from credit.policy import Policy, default_policy
from credit.states import Cause, state_row, store_evaluations
from graph.model import Level
from graph.store import Store
from queries.chains import Chain, chains_outward
from queries.credit import offender_count
from queries.freshness import (
    Neighbour,
    StoredState,
    all_states,
    graded_policy,
    load_changes,
    neighbours,
    records_of,
    seeds,
    sharers,
    states,
)
from queries.shapes import Figure

HOP_CHUNK = 2000  # subjects per breadth-first step statement
OFFENDER_CHUNK = 500  # offenders per outward chains statement


class Regraded(BaseModel):
    """What a re-grading did: the evaluations of the subjects it touched and how many states changed."""

    evaluations: list[Evaluation]
    written: int
    changes: int
    full: ClassifySummary | None = None  # set when a new policy version made it a full classification


def regrade(
    store: Store,
    causes: Mapping[str, Cause],
    *,
    as_of: date | None = None,
    policy: Policy | None = None,
) -> Regraded:
    """Re-grade the given subjects (uid -> why) and store what changed."""
    policy = policy or default_policy()
    as_of = as_of or today()
    full = None
    recorded = graded_policy(store)
    if recorded is not None and recorded != policy.version:
        full = classify_all(store, as_of, policy, Cause(kind="policy", uid=policy.version))
    evaluations = evaluate_set(store, set(causes), as_of, policy)
    written = store_evaluations(store, ((e, causes[e.subject_uid]) for e in evaluations), version=policy.version)
    return Regraded(evaluations=evaluations, written=written.states, changes=written.changes, full=full)


def evaluate_set(store: Store, uids: set[str], as_of: date, policy: Policy) -> list[Evaluation]:
    """The evaluations of many subjects (unknown uids skipped), by uid, traversing from the smaller side:
    a single check's statements from each subject when they are fewer than the subjects holding records,
    else the batch classification's outward chains from each of those, kept for these subjects. Both are
    the same `grade` over the same chains, so they give the same evaluations."""
    if len(uids) < offender_count(store):
        return list(evaluate_many(store, uids, as_of, policy))
    graded = grade_all(store, as_of, policy, only=uids)
    reached = {e.subject_uid: e for e in graded.reached}
    others = states(store, sorted(uids - reached.keys())).values()
    base = (graded.base[state.agency].model_copy(update={"subject_uid": state.uid}) for state in others)
    return sorted([*reached.values(), *base], key=lambda e: e.subject_uid)


def regrade_subjects(
    store: Store, uids: Iterable[str], cause: Cause, *, as_of: date | None = None, policy: Policy | None = None
) -> list[Evaluation]:
    """Re-grade subjects already known to be touched (a workflow step knows whom its record reaches)."""
    return regrade(store, dict.fromkeys(uids, cause), as_of=as_of, policy=policy).evaluations


def affected_by_load(store: Store, loaded_at: datetime, policy: Policy, as_of: date | None = None) -> dict[str, Cause]:
    """Every subject whose evaluation the load of `loaded_at` can have changed, with the nearest cause."""
    k = policy.chains.k
    changed = load_changes(store, loaded_at)
    causes: dict[str, Cause] = {
        uid: Cause(kind="record" if record != uid else "subject", uid=record) for uid, record in changed.holders.items()
    }
    for uid in changed.subjects:
        causes.setdefault(uid, Cause(kind="subject", uid=uid))
    ties = {(rel, start, end): Cause(kind="tie", uid=f"{rel}:{start}->{end}") for rel, start, end in changed.ties}
    points = {point: Cause(kind="contact", uid=point) for _, _, point in changed.contacts}
    passed: dict[str, Cause] = {}  # chains can pass here: tie ends and sharers of changed contact points
    for (_, start, end), cause in ties.items():
        passed.setdefault(start, cause)
        passed.setdefault(end, cause)
    for _, subject, point in changed.contacts:
        passed.setdefault(subject, points[point])
    found = sharers(store, sorted(points), loaded_at=loaded_at, skip_above=policy.chains.suspected.skip_above)
    for point, uids in found.items():
        for uid in uids:
            passed.setdefault(uid, points[point])

    near_passed = _walk(store, passed, k - 1, loaded_at, policy)
    near_holders = _walk(store, {u: causes[u] for u in changed.holders}, k, loaded_at, policy)
    offenders = sorted(set(changed.holders) | {uid for uid, (_, n) in near_passed.items() if n.offender})
    params = chain_params(policy, as_of or today())
    for offset in range(0, len(offenders), OFFENDER_CHUNK):
        for chain in chains_outward(store, params, offenders=offenders[offset : offset + OFFENDER_CHUNK]):
            passing = _passing(chain, ties, points, causes, changed.holders)
            if passing is not None:
                causes.setdefault(chain.subject_uid, passing)
    lost = records_of(store, offenders)  # a chain from these may be gone: whoever reached them before
    for near in (near_holders, near_passed):
        for uid, (cause, n) in near.items():
            if lost.intersection(n.reached):
                causes.setdefault(uid, cause)
    return causes


def _passing(
    chain: Chain,
    ties: Mapping[tuple[str, str, str], Cause],
    points: Mapping[str, Cause],
    causes: Mapping[str, Cause],
    holders: Mapping[str, str],
) -> Cause | None:
    """The change a chain passes through (a changed tie, contact point or record holder), if any."""
    for step in chain.steps:
        found = points.get(step.via) if step.via is not None else ties.get((step.type, step.start, step.end))
        if found is not None:
            return found
    return causes[chain.offender_uid] if chain.offender_uid in holders else None


def _walk(
    store: Store, start: Mapping[str, Cause], hops: int, loaded_at: datetime, policy: Policy
) -> dict[str, tuple[Cause, Neighbour]]:
    """Subjects within `hops` of the start (whatever the date) over what chains follow, passing no hub
    but the start: each with the nearest start's cause."""
    skip_above, hub_skip_above = policy.chains.suspected.skip_above, policy.chains.hub_skip_above
    out = {
        n.uid: (start[n.uid], n) for n in seeds(store, sorted(start), hub_skip_above=hub_skip_above) if n.uid in start
    }
    frontier = sorted(out)
    for _ in range(hops):
        reached: list[str] = []
        for offset in range(0, len(frontier), HOP_CHUNK):
            part = frontier[offset : offset + HOP_CHUNK]
            found = neighbours(store, part, loaded_at=loaded_at, skip_above=skip_above, hub_skip_above=hub_skip_above)
            for uid, step in found.items():
                for n in step:
                    if n.uid not in out:
                        out[n.uid] = (out[uid][0], n)
                        if not n.hub:
                            reached.append(n.uid)
        frontier = sorted(set(reached))
    return out


def regrade_after_load(
    store: Store, loaded_at: datetime, *, as_of: date | None = None, policy: Policy | None = None
) -> Regraded:
    """After a transactional load: re-grade whom its changes can reach."""
    policy = policy or default_policy()
    return regrade(store, affected_by_load(store, loaded_at, policy, as_of), as_of=as_of, policy=policy)


class Maintained(BaseModel):
    """A subject's evaluation as maintained, and when it was established."""

    evaluation: Evaluation
    assessed_at: str | None


def _rebuilt(state: StoredState, policy: Policy) -> Maintained | None:
    """A subject's maintained evaluation (None: not assessed, or kept without its evidence)."""
    if state.level is None or state.score is None or state.as_of is None or state.policy_version != policy.version:
        return None
    level = Level(state.level)
    if state.evaluation is not None:
        data = json.loads(state.evaluation)
        evaluation = Evaluation.model_validate(
            {
                **data,
                "subject_uid": state.uid,
                "as_of": state.as_of,
                "policy_version": state.policy_version,
                "measures": policy.measures[level],
            }
        )
    elif state.factors is None:  # trivial: it follows from the policy alone
        evaluation = grade(policy, state.uid, agency=state.agency, as_of=state.as_of, records=[], chains=[])
        if evaluation.level != level or evaluation.score != state.score:
            return None
    else:  # migrated without its evidence
        return None
    return Maintained(evaluation=evaluation, assessed_at=state.assessed_at)


class Difference(BaseModel):
    """A subject whose maintained state is not what a full re-grading gives."""

    uid: str
    maintained_level: str | None
    maintained_score: float | None
    level: str
    score: float
    factors_differ: bool


def differs(evaluation: Evaluation, level: str | None, score: float | None, factors: str | None) -> bool:
    """Whether a stored state (level, score, factors) is not this evaluation's."""
    row = state_row(evaluation, Cause(kind="verify"))
    return level != row.level or score != row.score or factors != row.factors


def verify(store: Store, as_of: date | None = None, policy: Policy | None = None) -> list[Difference]:
    """Re-grade every subject without writing; every subject whose maintained state differs."""
    policy = policy or default_policy()
    graded = grade_all(store, as_of or today(), policy)
    expected = {e.subject_uid: e for e in graded.reached}
    out: list[Difference] = []
    for row in all_states(store):
        uid = str(row["uid"])
        evaluation = expected.get(uid) or graded.base[False].model_copy(update={"subject_uid": uid})
        if differs(evaluation, row["level"], row["score"], row["factors"]):
            out.append(
                Difference(
                    uid=uid,
                    maintained_level=row["level"],
                    maintained_score=row["score"],
                    level=evaluation.level.value,
                    score=evaluation.score,
                    factors_differ=row["factors"] != state_row(evaluation, Cause(kind="verify")).factors,
                )
            )
    return out


class Provenance(BaseModel):
    """Whether an evaluation is the maintained one or recomputed, when the maintained one was
    established, and (recomputed) whether it differs from the maintained one."""

    source: str  # maintained | live
    assessed_at: str | None = None
    differs: bool | None = None  # live only; None when the subject has no maintained state
    maintained_level: str | None = None
    maintained_score: Figure | None = None


class CheckedView(Provenance, Evaluation):
    """A check as one flat object: the evaluation's fields with its provenance beside them."""


class Checked(Provenance):
    """What a check answers: the evaluation and its provenance."""

    evaluation: Evaluation

    def view(self) -> CheckedView:
        """The evaluation's fields with the provenance fields beside them (one flat object)."""
        return CheckedView(**dict(self.evaluation), **{name: getattr(self, name) for name in Provenance.model_fields})


def check_many(
    store: Store, uids: list[str], *, as_of: date | None = None, live: bool = False, policy: Policy | None = None
) -> dict[str, Checked | None]:
    """Checks of many subjects: the maintained state, recomputed when asked (`live`, or another date)
    or when there is none; None for an unknown uid."""
    policy = policy or default_policy()
    out: dict[str, Checked | None] = dict.fromkeys(uids)
    recompute: list[tuple[Evaluation, StoredState | None]] = []
    if live or as_of is not None:  # the state beside the facts, in one read
        recompute.extend(evaluate_with_states(store, uids, as_of or today(), policy))
    else:
        stored = states(store, uids)
        missing = []
        for uid, kept in stored.items():
            found = _rebuilt(kept, policy)
            if found is None:
                missing.append(uid)
            else:
                out[uid] = Checked(evaluation=found.evaluation, source="maintained", assessed_at=found.assessed_at)
        recompute.extend((e, stored[e.subject_uid]) for e in evaluate_many(store, missing, today(), policy))
    for evaluation, state in recompute:
        assessed = state is not None and state.level is not None
        out[evaluation.subject_uid] = Checked(
            evaluation=evaluation,
            source="live",
            assessed_at=state.assessed_at if state else None,
            differs=differs(evaluation, state.level, state.score, state.factors) if state and assessed else None,
            maintained_level=state.level if state else None,
            maintained_score=state.score if state else None,
        )
    return out
