"""The sub-graph around a subject, nearest nodes first, bounded by a node limit."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, field_validator

from graph.cypher import cypher
from graph.schema import CONTACT_LINKS, IP_LINKS, PARTY_TIES, Rel
from graph.store import Store
from queries.catalogue.params import Params, Uid, rels_within, split_list
from queries.traversal import bfs, subject_starts

# --- neighbourhood sub-graph ----------------------------------------------------------------------

NEIGHBOURHOOD_TYPES: tuple[Rel, ...] = (*PARTY_TIES, *CONTACT_LINKS, *IP_LINKS, Rel.COMMITTED, Rel.CONCERNS)


class NeighbourhoodParams(Params):
    uid: Uid
    depth: int = Field(default=2, ge=1, le=4)
    max_nodes: int = Field(default=200, ge=1, le=2000)
    types: list[Rel] = Field(default_factory=lambda: list(NEIGHBOURHOOD_TYPES))

    _split_types = field_validator("types", mode="before")(split_list)
    _check_types = field_validator("types")(rels_within(NEIGHBOURHOOD_TYPES, "types"))


class GraphNode(BaseModel):
    uid: Uid
    labels: list[str]
    name: str | None
    level: str | None = Field(description="level of the latest assessment, if any")
    status: str | None = None


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


def neighbourhood(store: Store, params: NeighbourhoodParams) -> Neighbourhood:
    """The sub-graph around a subject for the visual pages, nearest nodes first, bounded by max_nodes."""
    starts = subject_starts(store, [params.uid])
    types = [str(t) for t in params.types]
    found = bfs(store, starts, k=params.depth, types=types, max_nodes=params.max_nodes)
    ids = list(found.nodes)
    rows = {r["id"]: r for r in store.read(cypher("catalogue/neighbourhood"), {"ids": ids})}
    links = store.read(cypher("catalogue/links_among"), {"ids": ids, "types": types})
    return Neighbourhood(
        nodes=[GraphNode.model_validate(rows[i]) for i in ids if i in rows],
        links=[GraphLink.model_validate(link) for link in links],
        reachable=found.discovered,
        truncated=found.truncated,
    )
