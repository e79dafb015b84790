"""Bounded breadth-first traversal over the graph, one UNWIND statement per level (`queries/traversal/`).

A variable-length pattern cannot take its bound as a parameter, and one bounded by a literal with a
`length(p) <= $k` filter enumerates every trail up to that literal (seconds per query on a 5,000-subject
synthetic graph); breadth-first levels with a visited set cost only the links within k hops. The
related-party queries, risk-scan surroundings, neighbourhoods and the networkx projections
(`queries.analytics`) all expand through here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from graph.schema import CONTACT_LINKS, Label
from graph.store import Store
from queries.statements import cypher


class UnknownSubjectError(LookupError):
    """A uid given to a runner names no subject in the graph."""

    def __init__(self, uids: Sequence[str]) -> None:
        super().__init__(f"no subject with uid {', '.join(repr(u) for u in uids)}")
        self.uids = list(uids)


@dataclass
class Reached:
    """A node found by `bfs`: its hop distance and the link it was first reached through."""

    id: str
    uid: str | None
    name: str | None
    labels: list[str]
    hops: int
    parent: str | None = None
    tie: dict[str, Any] | None = None


@dataclass
class Traversal:
    """What `bfs` found: nodes in breadth-first order (element id -> node) and the links seen among them."""

    nodes: dict[str, Reached]
    links: list[dict[str, Any]] = field(default_factory=list)
    discovered: int = 0
    truncated: bool = False
    crowded: dict[str, int] = field(default_factory=dict)

    def path(self, node_id: str) -> list[Reached]:
        """The nodes from a start to `node_id` along first-reached links."""
        steps = [self.nodes[node_id]]
        while steps[-1].parent is not None:
            steps.append(self.nodes[steps[-1].parent])
        return steps[::-1]


def _expand(
    store: Store, ids: Iterable[str], types: Sequence[str], per_node: int | None, as_of: date | None
) -> list[dict[str, Any]]:
    params = {"ids": sorted(ids), "types": list(types), "per_node": per_node, "as_of": as_of}
    return store.read(cypher("traversal/expand"), params)


def bfs(
    store: Store,
    starts: dict[str, Reached],
    *,
    k: int,
    types: Sequence[str],
    max_nodes: int | None = None,
    max_sharers: int | None = None,
    per_node: int | None = None,
    subject_hops: bool = False,
    per_point: int | None = None,
    as_of: date | None = None,
) -> Traversal:
    """Breadth-first from `starts` (element id -> node), k levels, one statement per level, over the
    ties in force on `as_of` (every tie when None).

    Each level expands the whole frontier with one UNWIND statement and keeps a visited set, so the
    cost is the links within k hops (a variable-length pattern would enumerate every trail up to its
    literal bound). A contact point shared by more than `max_sharers` subjects is neither kept nor
    crossed (listed in `crowded`). At most `max_nodes` nodes are kept, nearest first, and at most
    `per_node` links are followed from one node in one level.

    `subject_hops` counts hops between subjects, as a subject's page draws them: other nodes (records,
    contact points) are leaves, and the other subjects sharing a contact point reached in a level
    (at most `per_point` of them) belong to that same level, since the shared point ties them.
    """
    found = Traversal(nodes=dict(starts), discovered=len(starts))
    seen_links: set[tuple[Any, ...]] = set()

    def visit(rows: list[dict[str, Any]], hop: int) -> list[str]:
        """Keep the new nodes and the links among kept nodes; the new nodes' ids, in order."""
        new: list[str] = []
        for row in rows:
            other = row["other"]
            if max_sharers is not None and row["sharers"] is not None and row["sharers"] > max_sharers:
                found.crowded[row["uid"]] = row["sharers"]
                continue
            if other not in found.nodes:
                found.discovered += 1
                if max_nodes is not None and len(found.nodes) >= max_nodes:
                    found.truncated = True
                    continue
                tie = {"type": row["type"], "start": row["start"], "end": row["end"], "properties": row["properties"]}
                found.nodes[other] = Reached(other, row["uid"], row["name"], row["labels"], hop, row["id"], tie)
                new.append(other)
            key = (row["start"], row["type"], row["end"], row["properties"].get("link_key"))  # a link's identity
            if other in found.nodes and key not in seen_links:
                seen_links.add(key)
                found.links.append(
                    {"type": row["type"], "start": row["start"], "end": row["end"], "properties": row["properties"]}
                )
        return new

    contact_types = [t for t in types if t in {str(c) for c in CONTACT_LINKS}]
    frontier = list(starts)
    for hop in range(1, k + 1):
        if not frontier:
            break
        following = visit(_expand(store, frontier, types, per_node, as_of), hop)
        if subject_hops:
            points = [i for i in following if (found.nodes[i].tie or {}).get("type") in contact_types]
            if contact_types and points and not found.truncated:
                following += visit(_expand(store, points, contact_types, per_point, as_of), hop)
            following = [i for i in following if str(Label.SUBJECT) in found.nodes[i].labels]
        if found.truncated:
            break
        frontier = following
    return found


def bfs_each(
    store: Store, starts: Sequence[str], *, k: int, types: Sequence[str], as_of: date | None = None
) -> dict[str, set[str]]:
    """For each start (element id), the ids within k hops over the ties in force on `as_of` (every tie
    when None), excluding itself; one statement per level."""
    seen = {s: {s} for s in starts}
    frontier = {s: {s} for s in starts}
    for _ in range(k):
        ids = set().union(*frontier.values())
        if not ids:
            break
        neighbours: dict[str, set[str]] = defaultdict(set)
        params = {"ids": sorted(ids), "types": list(types), "as_of": as_of}
        for row in store.read(cypher("traversal/expand_ids"), params):
            neighbours[row["id"]].add(row["other"])
        for s in starts:
            new = set().union(*(neighbours[n] for n in frontier[s])) - seen[s]
            seen[s] |= new
            frontier[s] = new
    return {s: reached - {s} for s, reached in seen.items()}


def subject_starts(store: Store, uids: Sequence[str], *, strict: bool = True) -> dict[str, Reached]:
    """The subjects named by `uids` as traversal starts (element id -> node).

    `strict`: an unknown uid raises `UnknownSubjectError` naming every missing one; else it is left out.
    """
    rows = store.read(cypher("traversal/subjects_known"), {"uids": list(uids)})
    missing = [r["uid"] for r in rows if not r["known"]]
    if missing and strict:
        raise UnknownSubjectError(missing)
    return {r["id"]: Reached(r["id"], r["uid"], r["name"], [str(Label.SUBJECT)], 0) for r in rows if r["known"]}
