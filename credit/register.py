"""The publication register: reads the records whose publication may move, applies the pure rules of
`credit.publication`, and stores what moved, audited and entered in the change feed. The daily run
starts and ends what is due; workflow steps call `publish_in` inside their own transaction, so a repair
or an upheld objection ends publication in the step that grants it."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel

from credit.policy import Policy, default_policy
from credit.publication import (
    Publication,
    PublicationPolicy,
    RecordFacts,
    default_publication_policy,
    state_on,
)
from graph.store import Store, Tx
from queries.publication import RecordRow, StateRow, open_records, write_states


class RunResult(BaseModel):
    """What a publication run did on `on`: records whose publication started and ended, and the feed."""

    on: date
    event_uid: str
    started: int
    ended: int
    changes: int


def _facts(row: RecordRow) -> RecordFacts:
    publication = None
    if row.published_from is not None and row.published_until is not None:
        publication = Publication(published_from=row.published_from, published_until=row.published_until)
    return RecordFacts(
        decided_on=row.decided_on,
        codes=[row.behaviour_code, *row.sibling_codes],
        status=row.status,
        ended_on=row.ended_on,
        revoked_by_objection=row.revoked_by_objection,
        publication=publication,
    )


def moves(rows: list[RecordRow], on: date, rules: PublicationPolicy, policy: Policy) -> list[StateRow]:
    """The states that move on `on`: a publication that starts, or one that ends."""
    out: list[StateRow] = []
    for row in rows:
        state = state_on(_facts(row), on, rules, policy)
        if state is None:
            continue
        started = row.published_from is None
        ended = state.ended_on is not None
        if started or ended:
            out.append(
                StateRow(
                    uid=row.uid,
                    published_from=state.published_from,
                    published_until=state.published_until,
                    ended_on=state.ended_on,
                    end_reason=state.end_reason.value if state.end_reason else None,
                    started=started,
                    ended=ended,
                )
            )
    return out


def publish_in(
    tx: Tx,
    on: date,
    *,
    event_uid: str,
    actor: str,
    detail: str,
    uids: list[str] | None = None,
    policy: Policy | None = None,
    rules: PublicationPolicy | None = None,
) -> tuple[list[StateRow], int]:
    """Move the publication states due on `on` (of `uids`, or all) in `tx`; the moves and the changes."""
    rows = moves(open_records(tx, on, uids), on, rules or default_publication_policy(), policy or default_policy())
    written = write_states(tx, rows, event_uid=event_uid, actor=actor, on=on, detail=detail)
    return rows, written.changes


def run(store: Store, on: date, *, policy: Policy | None = None, rules: PublicationPolicy | None = None) -> RunResult:
    """The daily step: start the publication of records decided by `on`, end what has run its course."""
    event_uid = f"audit:{uuid.uuid4().hex}"
    detail = f"publication run on {on}: started and ended what was due"

    def work(tx: Tx) -> tuple[list[StateRow], int]:
        return publish_in(
            tx, on, event_uid=event_uid, actor="publication run", detail=detail, policy=policy, rules=rules
        )

    rows, changes = store.in_write_transaction(work)
    return RunResult(
        on=on,
        event_uid=event_uid,
        started=sum(r.started for r in rows),
        ended=sum(r.ended for r in rows),
        changes=changes,
    )
