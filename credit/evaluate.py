"""Evaluation of subjects as of a date: fetch their facts through `queries`, grade them with the pure
model (`credit.grading`). The single check and the chunked re-grading read exactly the same facts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime

from credit.grading import Evaluation, grade
from credit.params import chain_params, record_params
from credit.policy import Policy, default_policy
from graph.settings import get_settings
from graph.store import Store
from queries import credit as facts_of
from queries.credit import EvaluationFacts, SubjectFacts
from queries.freshness import StoredState


class SubjectNotFoundError(LookupError):
    """No subject with that uid in the graph."""


def today() -> date:
    """The day of an evaluation that names none: `IPCREDIT_AS_OF` when set, else today (UTC)."""
    return get_settings().as_of or datetime.now(UTC).date()


def subject_facts(store: Store, uid: str) -> SubjectFacts:
    found = facts_of.subject_facts(store, uid)
    if found is None:
        raise SubjectNotFoundError(f"no subject with uid {uid!r}")
    return found


def _graded(policy: Policy, as_of: date, read: EvaluationFacts) -> Evaluation:
    if read.facts is None:
        raise SubjectNotFoundError(f"no subject with uid {read.uid!r}")
    return grade(policy, read.uid, agency=read.facts.agency, as_of=as_of, records=read.records, chains=read.chains)


def _read(
    store: Store, uids: list[str], as_of: date, policy: Policy, *, with_state: bool = False
) -> list[EvaluationFacts]:
    return facts_of.evaluation_facts(
        store, uids, record_params(policy, as_of), chain_params(policy, as_of), with_state=with_state
    )


def evaluate(store: Store, uid: str, as_of: date | None = None, policy: Policy | None = None) -> Evaluation:
    """Evaluate one subject as of a date (default today) under a policy (default the shipped one); its
    facts, own records and chains are read in one snapshot."""
    policy = policy or default_policy()
    as_of = as_of or today()
    [read] = _read(store, [uid], as_of, policy)
    return _graded(policy, as_of, read)


def evaluate_many(
    store: Store, uids: Iterable[str], as_of: date, policy: Policy, chunk: int = 64
) -> Iterator[Evaluation]:
    """Evaluate many subjects exactly as `evaluate` does, `chunk` of them per statement (one round trip
    each: one by one, the round trips dominated re-grading); unknown uids are skipped."""
    return (evaluation for evaluation, _ in _evaluated(store, uids, as_of, policy, chunk, with_state=False))


def evaluate_with_states(
    store: Store, uids: Iterable[str], as_of: date, policy: Policy, chunk: int = 64
) -> Iterator[tuple[Evaluation, StoredState | None]]:
    """As `evaluate_many`, each evaluation beside the subject's maintained state, read in the same
    snapshot (what a live check is compared with)."""
    return _evaluated(store, uids, as_of, policy, chunk, with_state=True)


def _evaluated(
    store: Store, uids: Iterable[str], as_of: date, policy: Policy, chunk: int, *, with_state: bool
) -> Iterator[tuple[Evaluation, StoredState | None]]:
    pending = sorted(set(uids))
    for start in range(0, len(pending), chunk):
        for read in _read(store, pending[start : start + chunk], as_of, policy, with_state=with_state):
            if read.facts is not None:
                yield _graded(policy, as_of, read), read.state
