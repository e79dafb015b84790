"""networkx analytics on sub-graphs projected from the store: related-party groups, circular
shareholding, brokers.

Neo4j Community has no graph-algorithm library for embedded use, so the algorithms run in networkx on
a bounded projection (reached through `queries.traversal` or the statements in `queries/analytics/`):
the neighbourhood of some seeds, the shareholding links that can lie on a cycle, or the agencies
around flagged subjects. Never the whole graph; every projection has an edge or subject cap and says
when it was cut.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from itertools import islice
from typing import Any, Literal

import networkx as nx
from pydantic import BaseModel, Field

from graph.schema import CONTACT_LINKS, PARTY_TIES, Label, Rel
from graph.store import Store
from queries.statements import cypher
from queries.traversal import bfs, subject_starts

# --- related-party groups -------------------------------------------------------------------------


class PartyGroup(BaseModel):
    """Subjects joined by party ties (and shared contact points, when asked), one connected component."""

    members: list[str] = Field(description="subject uids, sorted")
    seeds: list[str] = Field(description="the seeds inside this group")
    ties: int = Field(description="registry-backed party ties inside the group")
    contact_points: list[str] = Field(description="shared contact points that join members")


class PartyGroups(BaseModel):
    groups: list[PartyGroup] = Field(description="largest first")
    edges: int = Field(description="links seen in the projection")
    truncated: bool = Field(description="the node cap was reached: groups may be incomplete")


def related_party_groups(
    store: Store,
    seeds: Sequence[str],
    *,
    k: int = 2,
    types: Sequence[Rel] = PARTY_TIES,
    include_contacts: bool = False,
    max_sharers: int = 20,
    max_nodes: int = 50_000,
) -> PartyGroups:
    """Connected components of the ties within k hops of the seeds; crowded contact points never join."""
    if not 1 <= k <= 4:
        raise ValueError(f"k must be 1..4, got {k}")
    bad = [t for t in types if t not in PARTY_TIES]
    if bad:
        raise ValueError(f"types must be party ties, got {[str(t) for t in bad]}")
    rel_types = [str(t) for t in (*types, *(CONTACT_LINKS if include_contacts else ()))]
    starts = subject_starts(store, seeds, strict=False)
    found = bfs(store, starts, k=k, types=rel_types, max_nodes=max_nodes, max_sharers=max_sharers)
    graph = nx.Graph()
    graph.add_nodes_from(n.uid for n in found.nodes.values())
    contact_types = {str(c) for c in CONTACT_LINKS}
    for link in found.links:
        graph.add_edge(link["start"], link["end"], type=link["type"])
    subjects = {n.uid for n in found.nodes.values() if str(Label.SUBJECT) in n.labels}
    seed_set = set(seeds)
    groups = []
    for component in nx.connected_components(graph):
        sub = graph.subgraph(component)
        groups.append(
            PartyGroup(
                members=sorted(component & subjects),
                seeds=sorted(component & seed_set),
                ties=sum(1 for _, _, t in sub.edges(data="type") if t not in contact_types),
                contact_points=sorted(component - subjects),
            )
        )
    groups.sort(key=lambda g: (-len(g.members), g.members))
    return PartyGroups(groups=groups, edges=len(found.links), truncated=found.truncated)


# --- circular shareholding ------------------------------------------------------------------------


class HoldingCycle(BaseModel):
    """A cycle of SHAREHOLDER_OF links: members[i] holds ratios[i] of members[i + 1] (wrapping round)."""

    members: list[str] = Field(description="in holding order, starting from the smallest uid")
    ratios: list[float | None]
    length: int


class HoldingCycles(BaseModel):
    cycles: list[HoldingCycle] = Field(description="shortest first")
    edges: int
    truncated: bool = Field(description="an edge or cycle cap was reached: there may be more cycles")


def circular_shareholdings(
    store: Store,
    seeds: Sequence[str] | None = None,
    *,
    depth: int = 4,
    max_length: int = 6,
    max_edges: int = 100_000,
    max_cycles: int = 1000,
) -> HoldingCycles:
    """Cycles in the shareholding digraph: around the seeds, or graph-wide among links that can be on one."""
    if seeds is None:
        rows = store.read(cypher("analytics/shareholding_cyclic"), {"max_edges": max_edges})
    else:
        if not 1 <= depth <= 6:
            raise ValueError(f"depth must be 1..6, got {depth}")
        rows = store.read(
            cypher("analytics/shareholding_around"), {"seeds": list(seeds), "depth": depth, "max_edges": max_edges}
        )
    graph = nx.DiGraph()
    for row in rows:
        graph.add_edge(row["start"], row["end"], ratio=row["ratio"])
    found = list(islice(nx.simple_cycles(graph, length_bound=max_length), max_cycles + 1))
    cycles = []
    for cycle in found[:max_cycles]:
        start = cycle.index(min(cycle))
        members = cycle[start:] + cycle[:start]
        ratios = [graph.edges[a, b]["ratio"] for a, b in zip(members, members[1:] + members[:1], strict=True)]
        cycles.append(HoldingCycle(members=members, ratios=ratios, length=len(members)))
    cycles.sort(key=lambda c: (c.length, c.members))
    return HoldingCycles(cycles=cycles, edges=len(rows), truncated=len(rows) >= max_edges or len(found) > max_cycles)


# --- brokers --------------------------------------------------------------------------------------


class Broker(BaseModel):
    """An agency or agent and the flagged subjects (violation in force) whose filings it handled."""

    uid: str
    name: str | None
    kind: Literal["agency", "agent"]
    flagged_clients: int = Field(description="flagged subjects it represented directly")
    flagged_clients_with_agents: int = Field(description="for an agency: with its agents' flagged clients")
    filings: int = Field(description="filings of flagged subjects it handled")
    betweenness: float = Field(description="normalised betweenness in the broker-client projection")


class Brokers(BaseModel):
    brokers: list[Broker]
    flagged_subjects: int = Field(description="flagged subjects looked at (0 when none has a broker)")
    truncated: bool = Field(description="the flagged-subject cap was reached")


def brokers(
    store: Store,
    as_of: date,
    *,
    min_clients: int = 2,
    max_flagged: int = 50_000,
    top: int = 100,
) -> Brokers:
    """Agencies and agents central to many flagged subjects: client counts and betweenness.

    The projection links each broker to the flagged subjects whose filings it handled and each agent
    to its agency; betweenness is exact up to 2,000 nodes and estimated from 500 fixed samples above.
    """
    rows = store.read(cypher("analytics/flagged_clients"), {"as_of": as_of, "max_flagged": max_flagged})
    graph = nx.Graph()
    info: dict[str, dict[str, Any]] = {}
    clients: dict[str, set[str]] = defaultdict(set)
    filings: dict[str, int] = defaultdict(int)
    for row in rows:
        broker, client = f"b:{row['broker']}", f"s:{row['client']}"
        graph.add_edge(broker, client)
        info[row["broker"]] = {"name": row["name"], "kind": row["kind"]}
        clients[row["broker"]].add(row["client"])
        filings[row["broker"]] += row["filings"]
    agents = [uid for uid, i in info.items() if i["kind"] == "agent"]
    agency_agents: dict[str, set[str]] = defaultdict(set)
    for link in store.read(cypher("analytics/agent_agencies"), {"uids": agents}):
        graph.add_edge(f"b:{link['agent']}", f"b:{link['agency']}")
        info.setdefault(link["agency"], {"name": link["name"], "kind": "agency"})
        agency_agents[link["agency"]].add(link["agent"])
    if graph.number_of_nodes() <= 2000:
        centrality = nx.betweenness_centrality(graph)
    else:
        centrality = nx.betweenness_centrality(graph, k=500, seed=0)
    result = []
    for uid, i in info.items():
        with_agents = set(clients[uid]).union(*(clients[a] for a in agency_agents.get(uid, ())))
        if len(with_agents) < min_clients:
            continue
        result.append(
            Broker(
                uid=uid,
                name=i["name"],
                kind=i["kind"],
                flagged_clients=len(clients[uid]),
                flagged_clients_with_agents=len(with_agents),
                filings=filings[uid],
                betweenness=round(centrality.get(f"b:{uid}", 0.0), 9),
            )
        )
    result.sort(key=lambda b: (-b.flagged_clients_with_agents, -b.betweenness, b.uid))
    flagged = rows[0]["flagged_total"] if rows else 0
    return Brokers(brokers=result[:top], flagged_subjects=flagged, truncated=flagged >= max_flagged)
