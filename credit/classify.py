"""Batch classification of the whole graph, outward from the records in force.

Records are few and subjects many, so the graph is expanded only from the offenders (k hops out);
every subject reached, or holding a record, is graded with the same `grade` as a single check; all
the others have the base evaluation, written only to those not already in the base state. States are
stored through `credit.states`, so a re-run over an unchanged graph writes nothing.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Collection
from datetime import UTC, date, datetime

from pydantic import BaseModel

from credit.evaluate import today
from credit.grading import Evaluation, grade
from credit.params import chain_params, record_params
from credit.policy import Policy, default_policy
from credit.states import Cause, store_evaluations
from graph.store import Store
from queries.chains import Chain, chains_outward
from queries.credit import HeldRecord, OwnRecord, records_all, subject_count
from queries.freshness import base_candidates, record_policy


class ClassifySummary(BaseModel):
    """What a classification run did: how many subjects at each level, and how long it took."""

    as_of: date
    policy_version: str
    subjects: int
    graded: int  # subjects with a record or a chain, graded one by one
    base: int  # subjects given the base level set-based
    chains: int
    levels: dict[str, int]
    written: int = 0  # subjects whose level, score or factors changed
    changes: int = 0  # change events appended to the feed
    seconds: float
    run_at: datetime


def grade_reached(policy: Policy, as_of: date, records: list[HeldRecord], chains: list[Chain]) -> list[Evaluation]:
    """Grade every subject that holds a record or is reached by a chain."""
    by_subject_records: dict[str, list[OwnRecord]] = defaultdict(list)
    by_subject_chains: dict[str, list[Chain]] = defaultdict(list)
    agency: dict[str, bool] = {}
    for held in records:
        by_subject_records[held.subject_uid].append(held)
        agency[held.subject_uid] = held.agency
    for chain in chains:
        by_subject_chains[chain.subject_uid].append(chain)
        agency.setdefault(chain.subject_uid, chain.agency)
    return [
        grade(
            policy,
            uid,
            agency=agency[uid],
            as_of=as_of,
            records=by_subject_records.get(uid, []),
            chains=strongest(by_subject_chains.get(uid, []), policy.chains.max_chains),
        )
        for uid in sorted(agency)
    ]


def strongest(chains: list[Chain], cap: int) -> list[Chain]:
    """The chains a single check keeps: the `cap` strongest (its statement's order); under the cap all of
    them as they are, since `grade` puts them in that order itself."""
    if len(chains) <= cap:
        return chains
    return sorted(chains, key=Chain.rank)[:cap]


class Graded(BaseModel):
    """Every subject's evaluation as of a date: the reached ones graded, the others the base one."""

    reached: list[Evaluation]
    base: dict[bool, Evaluation]  # the base evaluation of a non-agency (False) and an agency (True)
    chains: int


def grade_all(store: Store, as_of: date, policy: Policy, only: Collection[str] | None = None) -> Graded:
    """Grade the holders of records and the subjects reached from the records in force (`only`: just
    those of them in it); everyone else has the base evaluation."""
    records = records_all(store, record_params(policy, as_of))
    chains = chains_outward(store, chain_params(policy, as_of))
    if only is not None:
        records = [r for r in records if r.subject_uid in only]
        chains = [c for c in chains if c.subject_uid in only]
    base = {flag: grade(policy, "", agency=flag, as_of=as_of, records=[], chains=[]) for flag in (False, True)}
    return Graded(reached=grade_reached(policy, as_of, records, chains), base=base, chains=len(chains))


def classify_all(
    store: Store, as_of: date | None = None, policy: Policy | None = None, cause: Cause | None = None
) -> ClassifySummary:
    """Grade every subject in the graph as of a date and store what changed (nothing, if nothing did)."""
    policy = policy or default_policy()
    as_of = as_of or today()
    cause = cause or Cause(kind="classification", uid=f"{as_of.isoformat()}#{policy.version}")
    started = time.perf_counter()
    run_at = datetime.now(UTC)
    graded = grade_all(store, as_of, policy)
    reached = {e.subject_uid for e in graded.reached}
    base_level = graded.base[False].level
    others = (
        (graded.base[agency].model_copy(update={"subject_uid": uid}), cause)
        for uid, agency in base_candidates(
            store, level=base_level.value, score=policy.base_score, version=policy.version
        )
        if uid not in reached
    )
    written = store_evaluations(
        store, [*((e, cause) for e in graded.reached), *others], version=policy.version, now=run_at
    )
    record_policy(store, policy.version)
    total = subject_count(store)
    levels = Counter(e.level.value for e in graded.reached)
    base = total - len(graded.reached)
    levels[base_level.value] += base
    return ClassifySummary(
        as_of=as_of,
        policy_version=policy.version,
        subjects=total,
        graded=len(graded.reached),
        base=base,
        chains=graded.chains,
        levels=dict(sorted(levels.items())),
        written=written.states,
        changes=written.changes,
        seconds=round(time.perf_counter() - started, 3),
        run_at=run_at,
    )
