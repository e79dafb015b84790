"""The public lists, with entry and exit dates and the basis of each entry, on any date:

- `serious` (严重失信主体名单): a subject is on it while a record of a serious behaviour is published;
- `key-supervision` (重点关注): while its level is D;
- `trustworthy` (守信激励): while its level is A+, or A with a positive record among its factors;
- `agency-cycle` (代理机构信用评价结果): the latest agency evaluation cycle published by the date, every
  agency with the level the cycle graded (`credit/agency_cycles.py`).

Spans are made from the publication register and the level history (both dated), so a list as of a past
date is what it was then; `region` keeps subjects whose credit code carries that division code.
"""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum

from pydantic import BaseModel

from credit.policy import Policy, Severity, default_policy
from graph.store import Store
from queries.agencies import stored_cycle
from queries.publication import Assessed, HistoryRow, level_history, serious_records


class ListName(StrEnum):
    SERIOUS = "serious"
    KEY_SUPERVISION = "key-supervision"
    TRUSTWORTHY = "trustworthy"
    AGENCY_CYCLE = "agency-cycle"


class Basis(BaseModel):
    """Why a subject is on the list: a published serious record, or an assessment."""

    uid: str
    kind: str  # record | assessment
    code: str  # the behaviour code, or the level
    doc_number: str | None = None
    positive_records: list[str] = []


class Entry(BaseModel):
    subject_uid: str
    name: str | None = None
    credit_code: str | None = None
    entered_on: date
    exited_on: date | None = None  # set once the subject has left the list (by the list's date)
    until: date | None = None  # the scheduled exit, when known (a record's publication end)
    basis: list[Basis]


class PublicList(BaseModel):
    name: ListName
    as_of: date
    region: str | None = None
    entries: list[Entry]  # on the list on `as_of`
    exits: list[Entry]  # spans that ended by `as_of`


def _in_region(code: str | None, region: str | None) -> bool:
    return region is None or (code is not None and len(code) == 18 and code[2 : 2 + len(region)] == region)


def _serious(store: Store, on: date, policy: Policy) -> list[Entry]:
    codes = [c for c, b in policy.catalogue.behaviours.items() if b.severity is Severity.SERIOUS]
    spans: list[Entry] = []
    for row in serious_records(store, codes, on):
        basis = Basis(uid=row.uid, kind="record", code=row.behaviour_code, doc_number=row.doc_number)
        last = spans[-1] if spans else None
        if last is not None and last.subject_uid == row.subject_uid and row.start <= (last.until or row.start):
            last.until = max(last.until or row.end, row.end)
            last.basis.append(basis)
            continue
        spans.append(
            Entry(
                subject_uid=row.subject_uid,
                name=row.name,
                credit_code=row.credit_code,
                entered_on=row.start,
                until=row.end,
                basis=[basis],
            )
        )
    for span in spans:
        if span.until is not None and span.until <= on:
            span.exited_on, span.until = span.until, None
    return spans


def _qualifies(name: ListName, assessed: Assessed) -> list[str] | None:
    """None when the assessment keeps the subject off the list; else the positive records behind it."""
    if name is ListName.KEY_SUPERVISION:
        return [] if assessed.level == "D" else None
    if assessed.level == "A+":
        return []
    if assessed.level == "A":
        records = json.loads(assessed.factors or "{}").get("records", [])
        positive = [
            str(r["violation_uid"])
            for r in records
            if r.get("severity") == Severity.POSITIVE.value and r.get("counted") is not False
        ]
        return positive or None
    return None


def _level_spans(name: ListName, row: HistoryRow) -> list[Entry]:
    spans: list[Entry] = []
    current: Entry | None = None
    for assessed in row.history:
        positive = _qualifies(name, assessed)
        if positive is None:
            if current is not None:
                current.exited_on, current = assessed.as_of, None
            continue
        basis = Basis(uid=assessed.uid, kind="assessment", code=assessed.level, positive_records=positive)
        if current is None:
            current = Entry(
                subject_uid=row.subject_uid,
                name=row.name,
                credit_code=row.credit_code,
                entered_on=assessed.as_of,
                basis=[basis],
            )
            spans.append(current)
        else:
            current.basis.append(basis)
    return spans


def _agency_cycle(store: Store, on: date) -> list[Entry]:
    """The result list of the latest agency cycle published by `on`: each agency with its level."""
    cycle = stored_cycle(store, as_of=on)
    if cycle is None:
        return []
    return [
        Entry(
            subject_uid=e["agency_uid"],
            name=e["name"],
            credit_code=e["credit_code"],
            entered_on=cycle.published_on,
            basis=[Basis(uid=cycle.uid, kind="cycle", code=e["level"], doc_number=cycle.uid)],
        )
        for e in json.loads(cycle.results)["entries"]
    ]


def public_list(
    store: Store, name: ListName, on: date, *, region: str | None = None, policy: Policy | None = None
) -> PublicList:
    """The list as of `on`: who is on it (since when, on what basis) and who left it (when)."""
    policy = policy or default_policy()
    if name is ListName.SERIOUS:
        spans = _serious(store, on, policy)
    elif name is ListName.AGENCY_CYCLE:
        spans = _agency_cycle(store, on)
    else:
        levels = ["D"] if name is ListName.KEY_SUPERVISION else ["A+", "A"]
        spans = [s for row in level_history(store, levels, on) for s in _level_spans(name, row)]
    spans = [s for s in spans if _in_region(s.credit_code, region)]
    return PublicList(
        name=name,
        as_of=on,
        region=region,
        entries=[s for s in spans if s.exited_on is None],
        exits=[s for s in spans if s.exited_on is not None],
    )
