"""Typed runner for the registry facts of a credit report, each fact with where it came from."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from graph.store import Store
from queries.statements import cypher


class Provenance(BaseModel):
    """Where a fact was read: the adapter, the file and line (`source_ref`) and when it was loaded."""

    source: str | None = None
    source_ref: str | None = None
    loaded_at: datetime | None = None


class RegistryParty(Provenance):
    """A party tied to the subject; the provenance fields are the tie's, `node` the party's own."""

    uid: str
    name: str | None = None
    value: str | None = None  # an address's text
    labels: list[str] = Field(default_factory=list)
    ratio: float | None = None  # a shareholder's share
    role: str | None = None  # an officer's role
    rights: int | None = None  # rights of the subject an agency filed
    node: Provenance = Field(default_factory=Provenance)


class Registry(Provenance):
    """The registry facts investigators expect in a report; the provenance fields are the subject's."""

    legal_reps: list[RegistryParty] = Field(default_factory=list)
    shareholders: list[RegistryParty] = Field(default_factory=list)
    officers: list[RegistryParty] = Field(default_factory=list)
    located_at: list[RegistryParty] = Field(default_factory=list)
    agent_of: list[RegistryParty] = Field(default_factory=list)
    filing_agencies: list[RegistryParty] = Field(default_factory=list)


def registry(store: Store, uid: str) -> Registry | None:
    """The registry facts of `uid`, or None when there is no such subject."""
    rows = store.read(cypher("report/registry"), {"uid": uid})
    return Registry.model_validate(rows[0]) if rows else None
