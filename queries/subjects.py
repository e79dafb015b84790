"""Typed runners for reading subjects as the API shows them: lookup and full-text search, a subject's
detail and assessment history, which uids are natural persons (or their contact points) for masking,
and the demo's candidates for its "open first" links."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from graph.store import Store
from queries.statements import cypher


class SubjectMatch(BaseModel):
    """A subject found by uid, credit code or name, with its latest level."""

    uid: str
    name: str | None
    aliases: list[str]
    labels: list[str]
    credit_code: str | None
    level: str | None
    relevance: float
    exact: bool  # found by uid or credit code, not by a name


class SubjectDetail(BaseModel):
    """A subject's stored properties, its records, its latest assessment and how many of each tie it has."""

    labels: list[str]
    props: dict[str, Any]
    violations: list[dict[str, Any]]
    latest: dict[str, Any] | None
    patents: int
    trademarks: int
    represented: int
    ties: int


class PersonsAmong(BaseModel):
    """Among some uids: the natural persons, and the contact points a natural person uses."""

    persons: list[str]
    private: list[str]


class DemoCandidate(BaseModel):
    uid: str
    name: str | None
    labels: list[str]
    ties: int
    records: int
    level: str | None


def lookup(store: Store, text: str, *, region: str | None = None) -> list[SubjectMatch]:
    """Subjects whose uid or credit code is exactly `text` (only in `region`, a division-code prefix, if given)."""
    rows = store.read(cypher("subjects/lookup"), {"query": text, "region": region})
    return [SubjectMatch.model_validate(r) for r in rows]


def search(store: Store, lucene: str, limit: int, *, persons: bool, region: str | None = None) -> list[SubjectMatch]:
    """Full-text matches of a Lucene query of plain terms on names and aliases (persons only when `persons`;
    only in `region`, a division-code prefix, if given)."""
    params = {"query": lucene, "limit": limit, "persons": persons, "region": region}
    rows = store.read(cypher("subjects/search"), params)
    return [SubjectMatch.model_validate(r) for r in rows]


def detail(store: Store, uid: str) -> SubjectDetail | None:
    rows = store.read(cypher("subjects/detail"), {"uid": uid})
    return SubjectDetail.model_validate(rows[0]) if rows else None


def assessments(store: Store, uid: str) -> list[dict[str, Any]] | None:
    """The subject's stored assessments (its level history), or None for an unknown subject."""
    rows = store.read(cypher("subjects/assessments"), {"uid": uid})
    return list(rows[0]["assessments"]) if rows else None


def persons_among(store: Store, uids: list[str]) -> PersonsAmong:
    return PersonsAmong.model_validate(store.read(cypher("subjects/persons_among"), {"uids": uids})[0])


def demo_candidates(store: Store, uids: list[str]) -> list[DemoCandidate]:
    return [DemoCandidate.model_validate(r) for r in store.read(cypher("subjects/demo_pick"), {"uids": uids})]
