"""The export for the national platform: fetch one kind through `queries.exchange`, lay it out with
`credit.exchange`. It reads the graph directly (no batch, no copy), so a record, a level change or a
repair is in the next export the moment its transaction commits.

Continuing: every export says `head`, the change feed's last sequence number it is complete up to;
`since=head` next time gives what changed after it. Without `since` the export is full.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from pydantic import BaseModel

from credit.evaluate import today
from credit.exchange import Cells, cells
from credit.lists import Entry, ListName, public_list
from credit.policy import Policy, Severity, default_policy
from graph.exchange import ExchangeKind, exchange_format
from graph.store import Store
from queries.exchange import level_events, penalties, repairs, subjects_changed
from queries.feed import head as feed_head


class PublicExportError(ValueError):
    """The public may take the penalties published on the day, and nothing else by this route."""


class Export(BaseModel):
    kind: ExchangeKind
    columns: list[str]
    rows: list[Cells]
    head: int  # complete up to this change feed sequence number: pass it as `since` next time


def export(
    store: Store,
    kind: ExchangeKind,
    since: int | None = None,
    *,
    mask: Callable[[str], str] | None = None,
    on: date | None = None,
    policy: Policy | None = None,
) -> Export:
    """The rows of `kind` (all, or what changed after `since`); `mask` given: the public export, only
    penalties published on `on` (default today) with natural persons' names masked."""
    policy = policy or default_policy()
    on = on or today()
    fmt = exchange_format().of(kind)
    if mask is not None and kind is not ExchangeKind.PENALTIES:
        raise PublicExportError(f"the public export holds penalties only, not {kind.value}")
    if kind is ExchangeKind.LISTS:
        head, rows = _lists(store, since, on, policy)
    else:
        if kind is ExchangeKind.PENALTIES:
            positive = [c for c, b in policy.catalogue.behaviours.items() if b.severity is Severity.POSITIVE]
            fetched = penalties(store, since, on if mask is not None else None, exclude=positive)
        elif kind is ExchangeKind.LEVELS:
            fetched = level_events(store, since)
        else:
            fetched = repairs(store, since)
        names = {c: b.name_zh for c, b in policy.catalogue.behaviours.items()}
        head = fetched.head
        rows = [cells(fmt, r.model_dump(exclude_none=False), names=names, mask=mask) for r in fetched.rows]
    return Export(kind=kind, columns=fmt.columns, rows=rows, head=head)


def _lists(store: Store, since: int | None, on: date, policy: Policy) -> tuple[int, list[Cells]]:
    """Entries and exits of the three public lists on `on` (with `since`: of the subjects events named)."""
    if since is None:
        head, named = feed_head(store), None
    else:
        head, uids = subjects_changed(store, since)
        named = set(uids)
    fmt = exchange_format().of(ExchangeKind.LISTS)
    rows: list[Cells] = []
    for name in ListName:
        found = public_list(store, name, on, policy=policy)
        for entry in [*found.entries, *found.exits]:
            if named is None or entry.subject_uid in named:
                rows.append(cells(fmt, {"entry": _entry(name, on, entry)}))
    return head, rows


def _entry(name: ListName, on: date, entry: Entry) -> dict[str, object]:
    basis = [f"{b.kind}:{b.code}:{b.uid}" for b in entry.basis]
    return {**entry.model_dump(exclude={"basis"}), "list": name.value, "as_of": on, "basis": basis}
