"""Batch classification of the whole graph, outward from the records in force.

Records are few and subjects many, so the graph is expanded only from the offenders (k hops out);
every subject reached, or holding a record, is graded with the same `grade` as a single check; all
the others get the base level in one set-based write, with no per-subject expansion. Assessment uids
are deterministic, so a re-run with the same data, policy and date adds nothing.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from datetime import UTC, date, datetime

from pydantic import BaseModel

from credit.evaluate import (
    Evaluation,
    OwnRecord,
    chain_params,
    grade,
    store_assessments,
    today,
)
from credit.policy import Policy, default_policy
from graph.cypher import cypher
from graph.store import Store
from queries.chains import Chain, chains_outward


class ClassifySummary(BaseModel):
    """What a classification run did: how many subjects at each level, and how long it took."""

    as_of: date
    policy_version: str
    subjects: int
    graded: int  # subjects with a record or a chain, graded one by one
    base: int  # subjects given the base level set-based
    chains: int
    levels: dict[str, int]
    seconds: float
    run_at: datetime


def grade_reached(
    policy: Policy, as_of: date, records: list[tuple[str, bool, OwnRecord]], chains: list[Chain]
) -> list[Evaluation]:
    """Grade every subject that holds a record in force or is reached by a chain."""
    by_subject_records: dict[str, list[OwnRecord]] = defaultdict(list)
    by_subject_chains: dict[str, list[Chain]] = defaultdict(list)
    agency: dict[str, bool] = {}
    for uid, is_agency, record in records:
        by_subject_records[uid].append(record)
        agency[uid] = is_agency
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
            chains=by_subject_chains.get(uid, []),
        )
        for uid in sorted(agency)
    ]


def records_in_force(store: Store, policy: Policy, as_of: date) -> list[tuple[str, bool, OwnRecord]]:
    params = {
        "as_of": as_of,
        "months": policy.catalogue.months(),
        "default_months": policy.unknown_behaviour.months_in_force,
    }
    return [
        (row["subject_uid"], bool(row["agency"]), OwnRecord.model_validate(row))
        for row in store.read(cypher("credit/records_in_force"), params)
    ]


def classify_all(store: Store, as_of: date | None = None, policy: Policy | None = None) -> ClassifySummary:
    """Grade every subject in the graph as of a date and store the assessments."""
    policy = policy or default_policy()
    as_of = as_of or today()
    started = time.perf_counter()
    run_at = datetime.now(UTC)
    records = records_in_force(store, policy, as_of)
    chains = chains_outward(store, chain_params(policy, as_of))
    evaluations = grade_reached(policy, as_of, records, chains)
    store_assessments(store, evaluations, now=run_at)
    base_score = policy.base_score
    base_level = policy.levels.level(base_score)
    store.run_autocommit(
        cypher("credit/write_base_assessments"),
        {
            "now": run_at,
            "as_of": as_of,
            "as_of_text": as_of.isoformat(),
            "version": policy.version,
            "level": base_level.value,
            "score": base_score,
        },
    )
    total = int(store.read(cypher("credit/subject_count"))[0]["subjects"])
    levels = Counter(e.level.value for e in evaluations)
    base = total - len(evaluations)
    levels[base_level.value] += base
    return ClassifySummary(
        as_of=as_of,
        policy_version=policy.version,
        subjects=total,
        graded=len(evaluations),
        base=base,
        chains=len(chains),
        levels=dict(sorted(levels.items())),
        seconds=round(time.perf_counter() - started, 3),
        run_at=run_at,
    )
