"""Typed runners for the exchange export: penalty records, level events, repair results and the subjects
named by the change feed. Each reads the feed head first and then the rows up to it, so an export says
up to which sequence number it is complete (the next export continues after it): numbers are taken in
commit order, so every event up to the head is committed when it is read."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel

from graph.store import Store
from queries.statements import cypher


class Holder(BaseModel):
    """The holder of a record (or the subject of an event) as the exchange needs it."""

    name: str | None = None
    person: bool = False
    credit_code: str | None = None
    legal_rep: str | None = None


class ExportRow(BaseModel):
    """One row before it is laid out in columns: the field groups the mapping file names."""

    subject: Holder
    record: dict[str, Any] = {}
    publication: dict[str, Any] = {}
    change: dict[str, Any] = {}


class Fetched(BaseModel):
    head: int  # the feed's last sequence number when the rows were read: complete up to it
    rows: list[ExportRow]


def _fetch(store: Store, name: str, params: dict[str, Any]) -> Fetched:
    """The feed head, then the rows up to it."""
    head = int(store.read(cypher("feed/head"))[0]["head"])
    rows = store.read(cypher(f"exchange/{name}"), {**params, "head": head})
    return Fetched(head=head, rows=[ExportRow.model_validate(r) for r in rows])


def penalties(store: Store, since: int | None, published_on: date | None, *, exclude: list[str]) -> Fetched:
    """Every record (`since` None) or those named by events after `since`, but of the `exclude`d
    behaviours (positive records are no penalties); `published_on`: only those published that day."""
    return _fetch(store, "penalties", {"since": since, "on": published_on, "exclude": exclude})


def level_events(store: Store, since: int | None) -> Fetched:
    return _fetch(store, "levels", {"since": since or 0})


def repairs(store: Store, since: int | None) -> Fetched:
    return _fetch(store, "repairs", {"since": since})


def subjects_changed(store: Store, since: int) -> tuple[int, list[str]]:
    """The feed head and the subjects the events after `since` name."""
    head = int(store.read(cypher("feed/head"))[0]["head"])
    rows = store.read(cypher("exchange/subjects_changed"), {"since": since, "head": head})
    return head, [str(uid) for uid in rows[0]["uids"]]


__all__ = ["ExportRow", "Fetched", "Holder", "level_events", "penalties", "repairs", "subjects_changed"]
