"""A drawn sub-graph as it stood on a date: what the network pages and `GET /network?as_of=` show.

The neighbourhood is read as stored today; on a past date, ties formed after it (`since`) or ended
by then (`until`) and records decided after it are left out, a record past its `expires_on` is drawn
as no longer in force, and whatever is then cut off from the subjects asked for goes too.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from api.schemas import Network


def _day(value: Any) -> date | None:
    """A stored date (a neo4j or Python date, or its ISO text; a datetime counts by its day)."""
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def as_of(network: Network, day: date, starts: list[str]) -> Network:
    """`network` on `day`, keeping only what stays connected to `starts`."""
    records = {n.id for n in network.nodes if n.kind == "violation"}
    gone = {n.id for n in network.nodes if n.id in records and (_day(n.properties.get("decided_on")) or day) > day}
    edges = []
    for edge in network.edges:
        since, until = _day(edge.properties.get("since")), _day(edge.properties.get("until"))
        if edge.source in gone or edge.target in gone or (since and since > day) or (until and until <= day):
            continue
        edges.append(edge)
    around: dict[str, set[str]] = {}
    for edge in edges:
        around.setdefault(edge.source, set()).add(edge.target)
        around.setdefault(edge.target, set()).add(edge.source)
    reached = {u for u in starts if any(n.id == u for n in network.nodes)}
    frontier = list(reached)
    while frontier:
        for near in around.get(frontier.pop(), ()):
            if near not in reached:
                reached.add(near)
                frontier.append(near)
    nodes = []
    for node in network.nodes:
        if node.id not in reached:
            continue
        expires = _day(node.properties.get("expires_on"))
        if node.id in records and expires is not None and expires <= day:
            node = node.model_copy(update={"in_force": False})
        nodes.append(node)
    kept = {n.id for n in nodes}
    return network.model_copy(
        update={"nodes": nodes, "edges": [e for e in edges if e.source in kept and e.target in kept]}
    )
