"""Typed runner for matching by example: candidate subjects for a batch of example parties.

One statement serves the whole batch (`queries/matching/candidates.cypher`): exact keys through their
range indexes, names through the full-text index. Scoring is not done here (`credit.matching`).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from graph.store import Store
from queries.statements import cypher


class CandidateQuery(BaseModel):
    """What the statement needs of one example party; `text` holds only plain folded terms."""

    i: int
    text: str | None = None
    credit_code: str | None = None
    id_numbers: list[str] = Field(default_factory=list)
    kind: Literal["company", "person"] | None = None


class CandidateRow(BaseModel):
    """A subject found for query `i`, with the facts scoring compares."""

    i: int
    uid: str
    name: str | None = None
    aliases: list[str] = Field(default_factory=list)
    labels: list[str]
    credit_code: str | None = None
    id_number: str | None = None
    birth_date: date | None = None
    country: str | None = None
    merged_uids: list[str] = Field(default_factory=list)
    via: list[str]
    addresses: list[str] = Field(default_factory=list)
    phones: list[str] = Field(default_factory=list)


def candidates(store: Store, queries: list[CandidateQuery], limit: int) -> list[CandidateRow]:
    """Candidates of every query in one read; `limit` bounds the full-text hits per query."""
    rows = store.read(cypher("matching/candidates"), {"queries": [q.model_dump() for q in queries], "limit": limit})
    return [CandidateRow.model_validate(row) for row in rows]
