"""Applies the schema's versioned migrations and records each applied version in the graph."""

from __future__ import annotations

from pydantic import BaseModel

from graph.cypher import cypher
from graph.schema import MIGRATIONS, SCHEMA_VERSION
from graph.store import Store


class SchemaStatus(BaseModel):
    version: int
    newly_applied: list[int]


def applied_versions(store: Store) -> list[int]:
    return [int(row["version"]) for row in store.read(cypher("schema/applied_versions"))]


def init_schema(store: Store) -> SchemaStatus:
    """Bring the graph's schema to `SCHEMA_VERSION`; running it again changes nothing.

    Every statement is `IF NOT EXISTS`, so a migration half-applied by an interrupted run, or two
    runs at once, converge on the same schema; the version node is written only after its statements.
    """
    done = set(applied_versions(store))
    newly: list[int] = []
    for migration in MIGRATIONS:
        if migration.version in done:
            continue
        for statement in migration.statements:
            store.run_autocommit(statement)
        for script in migration.scripts:
            store.run_autocommit(cypher(script))
        store.write(
            cypher("schema/record_version"),
            {"version": migration.version, "description": migration.description},
        )
        newly.append(migration.version)
    store.run_autocommit(cypher("schema/await_indexes"), {"seconds": 300})
    return SchemaStatus(version=SCHEMA_VERSION, newly_applied=newly)
