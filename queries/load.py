"""Typed runners for loading (statements in `queries/load/`): the batched upserts both the transactional
writer and the repeat checks use, the graph counts the bulk writer checks, and what follows a load
(possible duplicates, the full-text refresh). The loaders name no statement; they call these."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from graph.schema import LinkKind, NodeKind, Rel
from graph.store import Store
from queries.statements import cypher


class Missing(BaseModel):
    """A link row of a batch that was written nowhere: which of its endpoints the graph lacks."""

    i: int  # the row's index in the batch
    start: bool  # whether the start node was found
    end: bool


class Upserted(BaseModel):
    """What one batch upsert did: records written (new or changed), left as they were, and link rows
    whose endpoint is missing."""

    loaded: int = 0
    unchanged: int = 0
    missing: list[Missing] = []


class GraphCount(BaseModel):
    """Nodes (the schema-migration records aside) and links in the graph."""

    nodes: int
    links: int


def _upserted(rows: list[dict[str, Any]]) -> Upserted:
    outcome = rows[0] if rows else {}
    return Upserted(
        loaded=int(outcome.get("loaded") or 0),
        unchanged=int(outcome.get("unchanged") or 0),
        missing=outcome.get("missing") or [],
    )


def upsert_nodes(store: Store, kind: NodeKind, rows: Sequence[dict[str, Any]], loaded_at: datetime) -> Upserted:
    """MERGE one batch of node rows of `kind` on its key label (see `upsert_nodes.cypher` for a row)."""
    extras = [label for label in kind.labels if label != kind.key_label] or [kind.key_label]
    query = cypher("load/upsert_nodes", label=kind.key_label, second=extras[0], third=extras[-1])
    return _upserted(store.write(query, {"rows": list(rows), "loaded_at": loaded_at}))


def upsert_links(store: Store, kind: LinkKind, rows: Sequence[dict[str, Any]], loaded_at: datetime) -> Upserted:
    """MERGE one batch of link rows of `kind`, on (start, type, end) or, for a keyed kind, with its
    `link_key`; rows whose endpoint is missing come back in `missing`."""
    file = "load/upsert_links_keyed" if kind.keyed else "load/upsert_links"
    query = cypher(file, rel=kind.rel, start=kind.start, end=kind.end)
    return _upserted(store.write(query, {"rows": list(rows), "loaded_at": loaded_at}))


def stored_node(store: Store, kind: NodeKind, uid: str) -> dict[str, Any] | None:
    """The stored properties of one node, or None when the graph does not hold it."""
    rows = store.read(cypher("load/stored_node", label=kind.key_label), {"uid": uid})
    return dict(rows[0]["props"]) if rows else None


def stored_link(store: Store, kind: LinkKind, start: str, end: str, key: str | None) -> dict[str, Any] | None:
    """The stored properties of one link by its ends and `link_key` (None for an unkeyed kind)."""
    query = cypher("load/stored_link", start=kind.start, rel=kind.rel, end=kind.end)
    rows = store.read(query, {"start": start, "end": end, "key": key})
    return dict(rows[0]["props"]) if rows else None


def possible_duplicates(store: Store, loaded_at: datetime) -> int:
    """Link (never merge) likely duplicates among the subjects loaded since `loaded_at`; the links seen."""
    rows = store.write(cypher("load/possible_duplicates", rel=Rel.POSSIBLE_SAME_AS), {"loaded_at": loaded_at})
    return int(rows[0]["linked"]) if rows else 0


def count_graph(store: Store) -> GraphCount:
    row = store.read(cypher("load/count_graph"))[0]
    return GraphCount(nodes=int(row["nodes"]), links=int(row["links"]))


def await_fulltext_refresh(store: Store) -> None:
    """Wait until the full-text indexes hold what was written, so names loaded are searchable."""
    store.run_autocommit(cypher("schema/await_fulltext_refresh"))
