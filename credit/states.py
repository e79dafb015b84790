"""Storing evaluations as the subjects' maintained state: the current level, score, policy version and
`assessed_at` on the subject, an :Assessment only when level, score or factors change, and a change
event (numbered in the database) when the level moves or a record or chain appears.

Every write path (a classification, a load, a workflow step) stores through `store_evaluations`, so
"what changed" is decided in one place, by one statement, against what the subject carries.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from pydantic import BaseModel

from credit.grading import Evaluation
from credit.measures_applied import apply_measures
from graph.store import Store
from queries.freshness import StateRow, Written, write_states

# what the maintained evaluation omits: these live on the subject apart, or follow from the policy
EVIDENCE_EXCLUDE = frozenset({"subject_uid", "as_of", "policy_version", "measures"})


class Cause(BaseModel):
    """Why a subject was re-graded: a record, a tie, a contact point, a workflow step, a load, a policy
    version or a classification run, with the uid of that thing."""

    kind: str
    uid: str | None = None


def trivial(evaluation: Evaluation) -> bool:
    """No record and no chain: the evaluation follows from the policy alone, so nothing is stored for it."""
    return not evaluation.records and not evaluation.chains


def state_row(evaluation: Evaluation, cause: Cause) -> StateRow:
    plain = trivial(evaluation)
    records = sorted({r.violation_uid for r in evaluation.records})
    reached = sorted({c.chain.violation.uid for c in evaluation.chains})
    return StateRow(
        uid=evaluation.subject_uid,
        level=evaluation.level.value,
        score=evaluation.score,
        factors=None if plain else evaluation.factors_json(),
        evaluation=None if plain else evaluation.model_dump_json(exclude=set(EVIDENCE_EXCLUDE)),
        as_of=evaluation.as_of,
        records=records or None,
        reached=reached or None,
        cause_kind=cause.kind,
        cause_uid=cause.uid,
    )


def store_evaluations(
    store: Store,
    evaluations: Iterable[tuple[Evaluation, Cause]],
    *,
    version: str,
    now: datetime | None = None,
) -> Written:
    """Store evaluations as maintained state (only subjects whose state changed are written), and start
    and end the measures their levels call for (only where those changed)."""
    now = now or datetime.now(UTC)
    pairs = list(evaluations)
    written = write_states(store, _rows(pairs), version=version, now=now)
    apply_measures(store, (e for e, _ in pairs), version=version, now=now)
    return written


def _rows(evaluations: Iterable[tuple[Evaluation, Cause]]) -> Iterator[StateRow]:
    for evaluation, cause in evaluations:
        yield state_row(evaluation, cause)
