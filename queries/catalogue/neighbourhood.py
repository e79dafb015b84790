"""The one neighbourhood: the sub-graph around subjects, nearest nodes first, bounded by a node limit.

The named query `neighbourhood` and the visual pages (a subject's network, both ends of a path, the
chains' subjects) read sub-graphs through here: one breadth-first traversal (`queries.traversal`),
one statement for the nodes (`GraphNode`: labels, name, latest level, status, properties) and one
for the links among them. The pages count hops between subjects (`subject_hops`) and cap the links
followed per node, so a business centre shared by hundreds does not flood a page.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from pydantic import BaseModel, Field, field_validator

from graph.schema import CONTACT_LINKS, IP_LINKS, PARTY_TIES, Rel
from graph.store import Store
from queries.catalogue.params import Params, Uid, rels_within, split_list
from queries.statements import cypher
from queries.traversal import bfs, subject_starts

NEIGHBOURHOOD_TYPES: tuple[Rel, ...] = (*PARTY_TIES, *CONTACT_LINKS, *IP_LINKS, Rel.COMMITTED, Rel.CONCERNS)
SUBJECT_NETWORK_TYPES: tuple[Rel, ...] = (*PARTY_TIES, Rel.POSSIBLE_SAME_AS, *CONTACT_LINKS, Rel.COMMITTED)
"""What a subject's page draws: party ties and possible duplicates, contact points, records."""

_ALLOWED_TYPES: tuple[Rel, ...] = tuple(dict.fromkeys((*NEIGHBOURHOOD_TYPES, *SUBJECT_NETWORK_TYPES)))


class NeighbourhoodParams(Params):
    uid: Uid
    also: list[Uid] = Field(default_factory=list, max_length=10, description="more subjects to start from")
    depth: int = Field(default=2, ge=1, le=4)
    max_nodes: int = Field(default=200, ge=1, le=2000)
    types: list[Rel] = Field(default_factory=lambda: list(NEIGHBOURHOOD_TYPES))
    subject_hops: bool = Field(
        default=False,
        description="count hops between subjects: records and contact points are leaves, and the subjects "
        "sharing a contact point come in the same hop",
    )
    per_node: int | None = Field(default=None, ge=1, le=10_000, description="most links followed from a node")
    per_point: int | None = Field(
        default=None, ge=1, le=10_000, description="with subject_hops: most sharers followed from a contact point"
    )
    as_of: date = Field(default_factory=date.today, description="only ties in force on this date")

    _split_also = field_validator("also", mode="before")(split_list)
    _split_types = field_validator("types", mode="before")(split_list)
    _check_types = field_validator("types")(rels_within(_ALLOWED_TYPES, "types"))


class GraphNode(BaseModel):
    """A node of a sub-graph: what the catalogue returns and what the pages draw."""

    uid: Uid
    labels: list[str]
    name: str | None
    level: str | None = Field(description="level of the latest assessment, if any")
    status: str | None = None
    properties: dict[str, Any] = Field(default_factory=dict)


class GraphLink(BaseModel):
    type: str
    start: Uid
    end: Uid
    properties: dict[str, Any]


class Neighbourhood(BaseModel):
    nodes: list[GraphNode]
    links: list[GraphLink]
    reachable: int = Field(description="nodes found within depth (when truncated: found before stopping)")
    truncated: bool


def _nodes(store: Store, ids: Sequence[str]) -> list[GraphNode]:
    rows = {r["id"]: r for r in store.read(cypher("catalogue/neighbourhood"), {"ids": list(ids)})}
    return [GraphNode.model_validate(rows[i]) for i in ids if i in rows]


def neighbourhood(store: Store, params: NeighbourhoodParams) -> Neighbourhood:
    """The sub-graph around the subjects, nearest nodes first, bounded by max_nodes."""
    starts = subject_starts(store, list(dict.fromkeys([params.uid, *params.also])))
    types = [str(t) for t in params.types]
    found = bfs(
        store,
        starts,
        k=params.depth,
        types=types,
        max_nodes=params.max_nodes,
        per_node=params.per_node,
        subject_hops=params.subject_hops,
        per_point=params.per_point,
        as_of=params.as_of,
    )
    ids = list(found.nodes)
    links = store.read(cypher("catalogue/links_among"), {"ids": ids, "types": types, "as_of": params.as_of})
    return Neighbourhood(
        nodes=_nodes(store, ids),
        links=[GraphLink.model_validate(link) for link in links],
        reachable=found.discovered,
        truncated=found.truncated,
    )


def subject_nodes(store: Store, uids: Sequence[str]) -> list[GraphNode]:
    """The subjects among `uids` as sub-graph nodes, in the order given (unknown uids left out)."""
    return _nodes(store, list(subject_starts(store, list(dict.fromkeys(uids)), strict=False)))
