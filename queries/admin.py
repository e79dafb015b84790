"""Typed runners for operating the database: a liveness ping, the server's components, and clearing
the graph (tests and benchmarks on a private instance)."""

from __future__ import annotations

from pydantic import BaseModel

from graph.store import Store
from queries.statements import cypher


class Component(BaseModel):
    name: str
    version: str
    edition: str


def ping(store: Store, *, timeout: float) -> None:
    """Raise (as the driver does) unless the server answers a query within `timeout` seconds."""
    store.read(cypher("admin/ping"), timeout=timeout)


def components(store: Store) -> list[Component]:
    return [Component.model_validate(row) for row in store.read(cypher("admin/components"))]


def clear_graph(store: Store) -> None:
    """Delete every node and relationship but the schema-migration records, in batches."""
    store.run_autocommit(cypher("admin/clear_graph"))
