"""Profiles of parties: an agency's or agent's filings and people, a risk scan per subject, and the
brokers central to flagged subjects (networkx, `queries.analytics`).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from graph.schema import CONTACT_LINKS, PARTY_TIES, Rel
from graph.store import Store
from queries import analytics
from queries.catalogue.params import Params, Uid, rels_within, split_list
from queries.statements import cypher
from queries.traversal import bfs_each, subject_starts

# --- agency and agent profiles --------------------------------------------------------------------


class AgencyProfileParams(Params):
    uid: Uid
    as_of: date = Field(default_factory=date.today)


class ViolationRef(BaseModel):
    uid: Uid
    behaviour_code: str | None
    decided_on: date | None


class ProfilePerson(BaseModel):
    uid: Uid
    name: str | None
    role: Literal["self", "agent", "controller"]
    violations: list[ViolationRef]


class AgencyProfile(BaseModel):
    uid: Uid
    name: str | None
    kind: Literal["agency", "agent"]
    filings: int
    flagged_filings: int = Field(description="filings a violation in force concerns, or whose applicant holds one")
    flagged_share: float
    agents: int
    controllers: int
    people_with_violations: list[ProfilePerson]


class NotAnAgencyError(LookupError):
    """The uid names a subject that is neither an agency nor an agent."""


def agency_profile(store: Store, params: AgencyProfileParams) -> AgencyProfile:
    """Filings handled, the share tied to violations in force, and the violations of its people."""
    subject_starts(store, [params.uid])
    rows = store.read(cypher("catalogue/agency_profile"), {"uid": params.uid, "as_of": params.as_of})
    if not rows:
        raise NotAnAgencyError(f"{params.uid!r} is neither an agency nor an agent")
    return AgencyProfile.model_validate(rows[0])


# --- risk scan ------------------------------------------------------------------------------------


class RiskScanParams(Params):
    uids: list[Uid] = Field(min_length=1, max_length=1000)
    max_sharers: int = Field(ge=2, description="contact points with more sharers are only counted (credit policy)")
    as_of: date = Field(default_factory=date.today)
    k: int = Field(default=3, ge=1, le=6)
    types: list[Rel] = Field(default_factory=lambda: list(PARTY_TIES))

    _split_uids = field_validator("uids", mode="before")(split_list)
    _split_types = field_validator("types", mode="before")(split_list)
    _check_types = field_validator("types")(rels_within(PARTY_TIES, "types"))


class RiskScan(BaseModel):
    uid: Uid
    known: bool
    own: int = Field(description="own violations in force")
    suspended: int = Field(description="own violations otherwise in force, suspended by a pending objection")
    surrounding: int = Field(description="violations in force of other subjects within k hops")
    surrounding_subjects: int
    historical: int = Field(description="own violations no longer in force (expired, repaired, revoked)")
    pending_objections: int
    shared_contact_subjects: int = Field(description="subjects sharing a contact point that is not crowded")
    crowded_contacts: int = Field(description="own contact points shared by more than max_sharers")


def risk_scan(store: Store, params: RiskScanParams) -> list[RiskScan]:
    """Own, surrounding, historical and warning counts per subject; a few statements for the whole list.

    Surrounding risk: a breadth-first traversal of every subject at once (one statement per hop),
    then one statement counting the violations in force of the parties each one reaches.
    """
    uids = list(dict.fromkeys(params.uids))
    rows = store.read(
        cypher("catalogue/risk_scan"),
        {
            "uids": uids,
            "as_of": params.as_of,
            "contact_types": [str(t) for t in CONTACT_LINKS],
            "max_sharers": params.max_sharers,
        },
    )
    known = {node_id: node.uid for node_id, node in subject_starts(store, uids, strict=False).items()}
    reached = bfs_each(store, list(known), k=params.k, types=[str(t) for t in params.types], as_of=params.as_of)
    groups = [{"uid": known[start], "ids": sorted(ids)} for start, ids in reached.items()]
    around = {
        r["uid"]: r
        for r in store.read(cypher("catalogue/violations_in_force_of"), {"groups": groups, "as_of": params.as_of})
    }
    empty = {"surrounding": 0, "surrounding_subjects": 0}
    return [RiskScan.model_validate({**r, **{k: around.get(r["uid"], empty)[k] for k in empty}}) for r in rows]


# --- brokers (networkx) --------------------------------------------------------------------------


class BrokersParams(Params):
    as_of: date = Field(default_factory=date.today)
    min_clients: int = Field(default=2, ge=1)
    top: int = Field(default=100, ge=1, le=10_000)


def brokers(store: Store, params: BrokersParams) -> analytics.Brokers:
    """Agencies and agents central to many flagged subjects (client counts, betweenness)."""
    return analytics.brokers(store, params.as_of, min_clients=params.min_clients, top=params.top)
