"""Related parties: within k hops over party ties, suspected ties through shared contact points, paths
between parties, and related-party groups (networkx components, `queries.analytics`).

k-hop traversals run breadth-first, one UNWIND statement per hop with a visited set (`queries.traversal`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from graph.schema import CONTACT_LINKS, PARTY_TIES, Label, Rel
from graph.store import Store
from queries import analytics
from queries.catalogue.params import Params, PathNode, Tie, Uid, rels_within, split_list
from queries.shapes import Figure
from queries.statements import cypher
from queries.traversal import bfs, subject_starts

# --- related parties ------------------------------------------------------------------------------


class RelatedPartiesParams(Params):
    uid: Uid
    k: int = Field(default=3, ge=1, le=6, description="hop limit over party ties")
    types: list[Rel] = Field(default_factory=lambda: list(PARTY_TIES), description="tie kinds to follow")
    limit: int = Field(default=500, ge=1, le=10_000)
    as_of: date = Field(default_factory=date.today, description="only ties in force on this date")

    _split_types = field_validator("types", mode="before")(split_list)
    _check_types = field_validator("types")(rels_within(PARTY_TIES, "types"))


class RelatedParty(BaseModel):
    uid: Uid
    name: str | None
    labels: list[str]
    hops: int
    path_uids: list[Uid]
    ties: list[Tie]


def related_parties(store: Store, params: RelatedPartiesParams) -> list[RelatedParty]:
    """Subjects within k hops over the chosen registry-backed ties, nearest first, with one shortest path.

    Breadth-first, one statement per hop (`traversal/expand`), so the cost is the ties within k hops.
    """
    starts = subject_starts(store, [params.uid])
    found = bfs(store, starts, k=params.k, types=[str(t) for t in params.types], as_of=params.as_of)
    parties = []
    for node_id, node in found.nodes.items():
        if node.hops == 0 or node.uid is None:
            continue
        path = found.path(node_id)
        ties = [
            Tie.model_validate({**step.tie, "ratio": step.tie["properties"].get("ratio")})
            for step in path[1:]
            if step.tie
        ]
        parties.append(
            RelatedParty(
                uid=node.uid,
                name=node.name,
                labels=[label for label in node.labels if label != Label.SUBJECT],
                hops=node.hops,
                path_uids=[step.uid or "" for step in path],
                ties=ties,
            )
        )
    parties.sort(key=lambda p: (p.hops, p.uid))
    return parties[: params.limit]


# --- suspected relations through shared contact points --------------------------------------------


class SuspectedParams(Params):
    uid: Uid
    max_sharers: int = Field(ge=2, description="a point shared by more subjects ties nobody (credit policy)")
    full_weight_up_to: int = Field(ge=2, description="a point shared by up to this many has full weight (policy)")
    base_weight: float = Field(gt=0, le=1, description="weight of a point at full weight (credit policy)")
    contact_types: list[Rel] = Field(default_factory=lambda: list(CONTACT_LINKS))

    _split_types = field_validator("contact_types", mode="before")(split_list)
    _check_types = field_validator("contact_types")(rels_within(CONTACT_LINKS, "contact_types"))


class SharedPoint(BaseModel):
    uid: Uid
    kind: str
    value: str | None
    sharers: int
    weight: Figure | None = None


class SuspectedRelation(BaseModel):
    """Another subject sharing contact points.

    Each shared point weighs `base_weight * min(1, full_weight_up_to / sharers)` (the credit policy's
    rule for suspected ties); the subject's weight is the sum over its shared points, capped at
    `base_weight`.
    """

    uid: Uid
    name: str | None
    weight: Figure
    shared: list[SharedPoint]


class SuspectedRelations(BaseModel):
    related: list[SuspectedRelation]
    skipped: list[SharedPoint] = Field(description="points with more than max_sharers sharers: not followed")


def suspected_relations(store: Store, params: SuspectedParams) -> SuspectedRelations:
    """Suspected ties through shared contact points, separate from registry ties; crowded points skipped."""
    subject_starts(store, [params.uid])
    rows = store.read(
        cypher("catalogue/suspected_relations"),
        {
            "uid": params.uid,
            "max_sharers": params.max_sharers,
            "full_weight_up_to": params.full_weight_up_to,
            "base_weight": params.base_weight,
            "contact_types": [str(t) for t in params.contact_types],
        },
    )
    if not rows:
        return SuspectedRelations(related=[], skipped=[])
    return SuspectedRelations.model_validate(rows[0])


# --- paths between parties ------------------------------------------------------------------------


def _path_types(types: Sequence[Rel], include_contacts: bool) -> list[str]:
    return [str(t) for t in (*types, *(CONTACT_LINKS if include_contacts else ()))]


class PathParams(Params):
    from_uid: Uid
    to_uid: Uid
    max_hops: int = Field(default=6, ge=1, le=8)
    types: list[Rel] = Field(default_factory=lambda: list(PARTY_TIES))
    include_contacts: bool = Field(default=False, description="also cross shared contact points")

    _split_types = field_validator("types", mode="before")(split_list)
    _check_types = field_validator("types")(rels_within(PARTY_TIES, "types"))

    @model_validator(mode="after")
    def _distinct(self) -> PathParams:
        if self.from_uid == self.to_uid:
            raise ValueError("from_uid and to_uid are the same party")
        return self


class PartyPath(BaseModel):
    from_uid: Uid
    to_uid: Uid
    hops: int | None = Field(description="null when not connected within max_hops")
    nodes: list[PathNode]
    ties: list[Tie]


def shortest_path(store: Store, params: PathParams) -> PartyPath:
    """The shortest path between two parties (hops null when none within the limit)."""
    subject_starts(store, [params.from_uid, params.to_uid])
    rows = store.read(
        cypher("catalogue/shortest_path"),
        {
            "from_uid": params.from_uid,
            "to_uid": params.to_uid,
            "types": _path_types(params.types, params.include_contacts),
            "max_hops": params.max_hops,
        },
    )
    if not rows:
        return PartyPath(from_uid=params.from_uid, to_uid=params.to_uid, hops=None, nodes=[], ties=[])
    return PartyPath.model_validate({"from_uid": params.from_uid, "to_uid": params.to_uid, **rows[0]})


class PairRef(Params):
    from_uid: Uid = Field(alias="from")
    to_uid: Uid = Field(alias="to")

    model_config = ConfigDict(populate_by_name=True, extra="forbid", frozen=True)


class BatchPathParams(Params):
    """Either explicit `pairs`, or `uids` (every pair among them); at most 500 pairs."""

    pairs: list[PairRef] = Field(default_factory=list)
    uids: list[Uid] = Field(default_factory=list, max_length=32)
    max_hops: int = Field(default=6, ge=1, le=8)
    types: list[Rel] = Field(default_factory=lambda: list(PARTY_TIES))
    include_contacts: bool = False

    _split_uids = field_validator("uids", mode="before")(split_list)
    _split_types = field_validator("types", mode="before")(split_list)
    _check_types = field_validator("types")(rels_within(PARTY_TIES, "types"))

    @model_validator(mode="after")
    def _some_pairs(self) -> BatchPathParams:
        pairs = self.all_pairs()
        if not pairs:
            raise ValueError("give pairs, or at least two distinct uids")
        if len(pairs) > 500:
            raise ValueError(f"{len(pairs)} pairs: at most 500 in one batch")
        return self

    def all_pairs(self) -> list[tuple[Uid, Uid]]:
        explicit = [(p.from_uid, p.to_uid) for p in self.pairs if p.from_uid != p.to_uid]
        distinct = list(dict.fromkeys(self.uids))
        combos = [(a, b) for i, a in enumerate(distinct) for b in distinct[i + 1 :]]
        return list(dict.fromkeys(explicit + combos))


class BatchPath(PartyPath):
    known: bool = Field(description="false when either party is not in the graph")


def shortest_paths(store: Store, params: BatchPathParams) -> list[BatchPath]:
    """Shortest paths for many pairs in one statement (UNWIND), in the order the pairs were given."""
    rows = store.read(
        cypher("catalogue/shortest_paths_batch"),
        {
            "pairs": [{"from": a, "to": b} for a, b in params.all_pairs()],
            "types": _path_types(params.types, params.include_contacts),
            "max_hops": params.max_hops,
        },
    )
    return [BatchPath.model_validate(r) for r in rows]


# --- related-party groups (networkx) -------------------------------------------------------------


class GroupsParams(Params):
    seeds: list[Uid] = Field(min_length=1, max_length=1000)
    max_sharers: int = Field(ge=2, description="crowded contact points never join a group (credit policy)")
    k: int = Field(default=2, ge=1, le=4)
    types: list[Rel] = Field(default_factory=lambda: list(PARTY_TIES))
    include_contacts: bool = False
    max_nodes: int = Field(default=50_000, ge=1, le=1_000_000)

    _split_seeds = field_validator("seeds", mode="before")(split_list)
    _split_types = field_validator("types", mode="before")(split_list)
    _check_types = field_validator("types")(rels_within(PARTY_TIES, "types"))


def groups(store: Store, params: GroupsParams) -> analytics.PartyGroups:
    """Related-party groups around the seeds (connected components in networkx)."""
    return analytics.related_party_groups(
        store,
        params.seeds,
        k=params.k,
        types=params.types,
        include_contacts=params.include_contacts,
        max_sharers=params.max_sharers,
        max_nodes=params.max_nodes,
    )
