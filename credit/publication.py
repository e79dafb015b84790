"""Publication (公示) rules, pure: when a record is published, until when, and when and why it ends.

The periods are policy data (`credit/publication.toml`, validated here): a record is published from its
decision for the longest period among the types of its decision (records sharing the subject and the
decision number), kept within the minimum and the maximum. A repair ends publication once the minimum
has passed (a repair granted earlier ends it on the day the minimum passes); an upheld objection or a
revocation ends it at once; the maximum ends it automatically.
"""

from __future__ import annotations

import tomllib
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from credit.policy import Policy, PolicyError, Severity, add_months

HERE = Path(__file__).resolve().parent
Months = Annotated[int, Field(ge=1, le=600)]


class EndReason(StrEnum):
    REPAIR = "repair"
    OBJECTION_UPHELD = "objection_upheld"
    REVOKED = "revoked"
    PERIOD_OVER = "period_over"


class PublicationPolicy(BaseModel):
    """The publication periods and their bounds, as read from `publication.toml`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    min_months: Months
    max_months: Months
    severity: dict[Severity, Months]
    behaviour: dict[str, Months] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _bounds(self) -> PublicationPolicy:
        if self.min_months > self.max_months:
            raise ValueError("min_months must not exceed max_months")
        missing = set(Severity) - set(self.severity)
        if missing:
            raise ValueError(f"no publication period for severities {sorted(missing)}")
        return self

    def months(self, code: str, policy: Policy) -> int:
        """The period of one type: its own, else its severity's (the policy's for an unknown code)."""
        if code in self.behaviour:
            return self.behaviour[code]
        behaviour = policy.catalogue.get(code)
        severity = behaviour.severity if behaviour else policy.unknown_behaviour.severity
        return self.severity[severity]

    def period(self, codes: list[str], policy: Policy) -> int:
        """The months a decision of these types is published: the longest type governs, within the bounds."""
        longest = max(self.months(c, policy) for c in codes)
        return min(max(longest, self.min_months), self.max_months)


class Publication(BaseModel):
    """A record's publication state."""

    published_from: date
    published_until: date
    ended_on: date | None = None
    end_reason: EndReason | None = None

    def published_on(self, day: date) -> bool:
        return self.published_from <= day < (self.ended_on or self.published_until)


class RecordFacts(BaseModel):
    """What the rules need of a record: its types (the decision's), decision, workflow outcome."""

    decided_on: date
    codes: list[str]
    status: str | None = None  # in_force | revoked | repaired | expired
    ended_on: date | None = None  # when its effect ended (revoked, repaired)
    revoked_by_objection: bool = False
    publication: Publication | None = None


def schedule(facts: RecordFacts, rules: PublicationPolicy, policy: Policy) -> Publication:
    """Publication as it starts: from the decision, for the decision's period."""
    months = rules.period(facts.codes, policy)
    return Publication(published_from=facts.decided_on, published_until=add_months(facts.decided_on, months))


def _end(facts: RecordFacts, state: Publication, rules: PublicationPolicy) -> tuple[date, EndReason]:
    """When and why publication ends, as far as known now (the scheduled end when nothing ends it early).

    A record loaded as revoked or repaired without the day it ended is taken to have ended on its decision.
    """
    ended = facts.ended_on or facts.decided_on
    if facts.status == "revoked":
        reason = EndReason.OBJECTION_UPHELD if facts.revoked_by_objection else EndReason.REVOKED
        return max(ended, state.published_from), reason
    if facts.status == "repaired":
        end = max(ended, add_months(state.published_from, rules.min_months))
        if end < state.published_until:
            return end, EndReason.REPAIR
    return state.published_until, EndReason.PERIOD_OVER


def state_on(facts: RecordFacts, on: date, rules: PublicationPolicy, policy: Policy) -> Publication | None:
    """The record's publication state on `on` (None: not yet decided); an end is set once it has come."""
    if facts.decided_on > on:
        return None
    state = facts.publication or schedule(facts, rules, policy)
    if state.ended_on is not None:
        return state
    end, reason = _end(facts, state, rules)
    if end <= on:
        return state.model_copy(update={"ended_on": end, "end_reason": reason})
    return state


def load_publication_policy(path: Path | None = None) -> PublicationPolicy:
    """Read and validate the publication periods (the default is the file shipped in `credit/`)."""
    path = path or HERE / "publication.toml"
    try:
        with path.open("rb") as fh:
            return PublicationPolicy.model_validate(tomllib.load(fh))
    except (OSError, tomllib.TOMLDecodeError, ValueError) as exc:
        raise PolicyError(f"invalid publication policy ({path}): {exc}") from exc


@cache
def default_publication_policy() -> PublicationPolicy:
    return load_publication_policy()
