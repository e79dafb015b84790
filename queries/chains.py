"""Typed runner for dishonesty chains: paths from a subject over party ties to a record in force.

Two forms over the same rules: `chains_of` from one subject (a check), and `chains_outward` from the
records in force out to every subject they reach (batch classification, which expands the few
offenders instead of the many subjects). The weights come in as `ChainParams` so the credit policy
stays data; this layer knows nothing of scores or levels.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from graph.schema import PARTY_TIES
from graph.store import Store
from queries.shapes import Figure
from queries.statements import cypher

MAX_HOPS = 3  # the literal bound of the variable-length patterns in queries/credit/dishonesty_chains*.cypher


class ChainParams(BaseModel):
    """Everything the chain statements take: the date, the hop limit and the policy's weights."""

    model_config = ConfigDict(frozen=True)

    as_of: date
    k: Annotated[int, Field(ge=1, le=MAX_HOPS)] = 3
    weights: dict[str, float]
    agency_weights: dict[str, float]
    decay: Annotated[float, Field(gt=0, le=1)] = 0.8
    missing_ratio: Annotated[float, Field(ge=0, le=1)] = 0.3
    control_ratio: Annotated[float, Field(ge=0, le=1)] = 1.0  # a holding above this counts as 1
    suspected_weight: Annotated[float, Field(ge=0, le=1)] = 0.3
    full_up_to: Annotated[int, Field(ge=2)] = 3
    skip_above: Annotated[int, Field(ge=2)] = 20
    hub_skip_above: Annotated[int, Field(ge=1)] = 1_000_000  # parties with more ties are not passed through
    after_factor: Annotated[float, Field(gt=0)] = 1.0
    min_strength: Annotated[float, Field(ge=0, le=1)] = 0.0
    max_chains: Annotated[int, Field(ge=1)] = 500
    months: dict[str, int] = Field(default_factory=dict)  # behaviour code -> months in force
    default_months: Annotated[int, Field(ge=1)] = 12
    positive_codes: list[str] = Field(default_factory=list)  # records that never start a chain

    @field_validator("weights", "agency_weights")
    @classmethod
    def _all_ties(cls, value: dict[str, float]) -> dict[str, float]:
        missing = {str(t) for t in PARTY_TIES} - set(value)
        if missing:
            raise ValueError(f"weights missing for party ties {sorted(missing)}")
        return value

    def cypher_params(self) -> dict[str, Any]:
        return self.model_dump()


class ChainStep(BaseModel):
    """One hop: a registry tie (its real direction start -> end) or a suspected tie via a contact point."""

    type: str
    start: str
    end: str
    ratio: float | None = None
    since: date | None = None
    until: date | None = None
    via: str | None = None  # the shared contact point (suspected ties only)
    sharers: int | None = None  # how many subjects share it
    after: bool = False  # formed after the record's decision (time order)
    weight: Figure

    @property
    def suspected(self) -> bool:
        return self.via is not None


class ChainViolation(BaseModel):
    uid: str
    behaviour_code: str
    decided_on: date
    expires_on: date | None = None
    status: str | None = None
    authority: str | None = None
    doc_number: str | None = None


class Chain(BaseModel):
    """A dishonesty chain as evidence: the subjects in order, each step, its strength and the record."""

    subject_uid: str
    offender_uid: str
    offender_name: str | None = None
    path: list[str]  # subject uids from the subject to the offender
    steps: list[ChainStep]
    hops: int
    strength: Figure
    violation: ChainViolation
    agency: bool = False  # the subject is an agency or agent (filled by the outward form)

    def rank(self) -> tuple[float, int, str, str, list[str], list[tuple[str, str, str, str]]]:
        """Its place in a total order, the statements' own: strongest, shortest, then offender, record,
        path and steps (parallel ties make chains that differ in their steps alone), so the same chains
        always come in the same order and grade alike, whatever order a statement returned them in."""
        steps = [(step.type, step.start, step.end, step.via or "") for step in self.steps]
        return (-self.strength, self.hops, self.offender_uid, self.violation.uid, self.path, steps)


def chains_of(store: Store, uid: str, params: ChainParams) -> list[Chain]:
    """Every chain from `uid`, strongest first, at most `params.max_chains`."""
    rows = store.read(cypher("credit/dishonesty_chains"), {**params.cypher_params(), "uid": uid})
    return [Chain.model_validate(row["chain"]) for row in rows]


def chains_outward(
    store: Store, params: ChainParams, violation_uid: str | None = None, offenders: list[str] | None = None
) -> list[Chain]:
    """Chains of every subject reached from the records in force, unordered.

    With `violation_uid`, only the chains reaching that record, whether or not it is in force (a
    suspended or revoked record still tells the workflow whom its change touches); with `offenders`,
    only the chains from the records of those subjects (the offenders near a load's changes).
    """
    rows = store.read(
        cypher("credit/dishonesty_chains_outward"),
        {**params.cypher_params(), "violation_uid": violation_uid, "offender_uids": offenders},
    )
    return [Chain.model_validate(row) for row in rows]
