"""Levels kept current: after every write, re-grade exactly the subjects whose evaluation can have
changed, store what changed, and answer checks from the maintained state.

Whom a change can reach: the holder of a changed record and every subject within `k` hops of it
(its chains end there), and the subjects within `k - 1` hops of either end of a changed tie or of the
sharers of a changed contact point (their chains can pass through it). Hops are taken over what chains
follow, whatever the date and passing hubs, and over contact points chains could pass through before
or after the change: a superset of the chains, so nobody whose level moved is missed. Grading is the
same `grade` as everywhere (`evaluate_many` runs a single check's statements); a policy version other
than the one the graph was last classified under re-grades everyone first.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime

from pydantic import BaseModel

from credit.classify import ClassifySummary, classify_all, grade_all
from credit.evaluate import Evaluation, evaluate_many, grade, today
from credit.policy import Policy, default_policy
from credit.states import Cause, state_row, store_evaluations
from graph.model import Level
from graph.store import Store
from queries.freshness import StoredState, all_states, graded_policy, load_changes, neighbours, sharers, states

HOP_CHUNK = 2000  # subjects per breadth-first step statement


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
    evaluations = list(evaluate_many(store, causes, as_of, policy))
    written = store_evaluations(store, ((e, causes[e.subject_uid]) for e in evaluations), version=policy.version)
    return Regraded(evaluations=evaluations, written=written.states, changes=written.changes, full=full)


def regrade_subjects(
    store: Store, uids: Iterable[str], cause: Cause, *, as_of: date | None = None, policy: Policy | None = None
) -> list[Evaluation]:
    """Re-grade subjects already known to be touched (a workflow step knows whom its record reaches)."""
    return regrade(store, dict.fromkeys(uids, cause), as_of=as_of, policy=policy).evaluations


def affected_by_load(store: Store, loaded_at: datetime, policy: Policy) -> dict[str, Cause]:
    """Every subject whose evaluation the load of `loaded_at` can have changed, with the nearest cause."""
    k = policy.chains.k
    skip_above = policy.chains.suspected.skip_above
    changed = load_changes(store, loaded_at)
    budget: dict[str, int] = {}
    cause_of: dict[str, Cause] = {}

    def seed(uid: str, hops: int, cause: Cause) -> None:
        if hops > budget.get(uid, -1):
            budget[uid] = hops
            cause_of.setdefault(uid, cause)

    for uid, record in changed.holders.items():
        seed(uid, k, Cause(kind="record" if record != uid else "subject", uid=record))
    for uid in changed.subjects:
        seed(uid, 0, Cause(kind="subject", uid=uid))
    for rel, start, end in changed.ties:
        for uid in (start, end):
            seed(uid, k - 1, Cause(kind="tie", uid=f"{rel}:{start}->{end}"))
    points = sorted({point for _, _, point in changed.contacts})
    for _, subject, point in changed.contacts:
        seed(subject, k - 1, Cause(kind="contact", uid=point))
    for point, uids in sharers(store, points, loaded_at=loaded_at, skip_above=skip_above).items():
        for uid in uids:
            seed(uid, k - 1, Cause(kind="contact", uid=point))

    frontier = sorted(uid for uid, hops in budget.items() if hops > 0)
    while frontier:
        reached: set[str] = set()
        for offset in range(0, len(frontier), HOP_CHUNK):
            part = frontier[offset : offset + HOP_CHUNK]
            for uid, found in neighbours(store, part, loaded_at=loaded_at, skip_above=skip_above).items():
                for other in found:
                    before = budget.get(other, -1)
                    seed(other, budget[uid] - 1, cause_of[uid])
                    if budget[other] > before and budget[other] > 0:
                        reached.add(other)
        frontier = sorted(reached)
    return cause_of


def regrade_after_load(
    store: Store, loaded_at: datetime, *, as_of: date | None = None, policy: Policy | None = None
) -> Regraded:
    """After a transactional load: re-grade whom its changes can reach."""
    policy = policy or default_policy()
    return regrade(store, affected_by_load(store, loaded_at, policy), as_of=as_of, policy=policy)


class Maintained(BaseModel):
    """A subject's evaluation as maintained, and when it was established."""

    evaluation: Evaluation
    assessed_at: str | None


def maintained(store: Store, uids: list[str], policy: Policy | None = None) -> dict[str, Maintained | None]:
    """The maintained evaluation of each known subject (None: not assessed, or kept without its evidence)."""
    policy = policy or default_policy()
    return {uid: _rebuilt(found, policy) for uid, found in states(store, uids).items()}


def _rebuilt(state: StoredState, policy: Policy) -> Maintained | None:
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


class Checked(BaseModel):
    """What a check answers: the evaluation, whether it is the maintained one or recomputed, when the
    maintained one was established, and (recomputed) whether it differs from the maintained one."""

    evaluation: Evaluation
    source: str  # maintained | live
    assessed_at: str | None = None
    differs: bool | None = None  # live only; None when the subject has no maintained state
    maintained_level: str | None = None
    maintained_score: float | None = None

    def view(self) -> dict[str, object]:
        """The evaluation's fields with the freshness fields beside them (one flat JSON object)."""
        extra = self.model_dump(mode="json", exclude={"evaluation"}, exclude_none=True)
        return {**self.evaluation.model_dump(mode="json"), **extra}


def check_many(
    store: Store, uids: list[str], *, as_of: date | None = None, live: bool = False, policy: Policy | None = None
) -> dict[str, Checked | None]:
    """Checks of many subjects: the maintained state, recomputed when asked (`live`, or another date)
    or when there is none; None for an unknown uid."""
    policy = policy or default_policy()
    kept = maintained(store, uids, policy)
    stored = states(store, uids) if live or as_of is not None else {}
    out: dict[str, Checked | None] = dict.fromkeys(uids)
    recompute = [u for u in uids if u in kept and (live or as_of is not None or kept[u] is None)]
    for uid in uids:
        found = kept.get(uid)
        if uid in kept and uid not in recompute and found is not None:
            out[uid] = Checked(evaluation=found.evaluation, source="maintained", assessed_at=found.assessed_at)
    for evaluation in evaluate_many(store, recompute, as_of or today(), policy):
        state = stored.get(evaluation.subject_uid)
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
