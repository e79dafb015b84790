"""Runs the schema's versioned migrations (`queries.migrations`, steps as data) through the
statements in `queries/schema/`, records each applied version in the graph, and makes legacy uids opaque."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

from graph.identity import OPAQUE, PERSONAL_PREFIXES, migrated_uid
from graph.store import Store
from queries.migrations import MIGRATIONS, SCHEMA_VERSION, Step
from queries.statements import cypher


class SchemaStatus(BaseModel):
    version: int
    newly_applied: list[int]
    uids_made_opaque: int = 0


def applied_versions(store: Store) -> list[int]:
    return [int(row["version"]) for row in store.read(cypher("schema/applied_versions"))]


def run_steps(store: Store, steps: Iterable[Step]) -> None:
    """Run migration steps in order, each in its own transaction (schema commands and batched data steps
    manage their own)."""
    for step in steps:
        store.run_autocommit(cypher(step.statement, **step.slots), step.params)


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
        run_steps(store, migration.steps)
        store.write(
            cypher("schema/record_version"),
            {"version": migration.version, "description": migration.description},
        )
        newly.append(migration.version)
    store.run_autocommit(cypher("schema/await_indexes"), {"seconds": 300})
    return SchemaStatus(version=SCHEMA_VERSION, newly_applied=newly, uids_made_opaque=make_uids_opaque(store))


def make_uids_opaque(store: Store, batch: int = 5000) -> int:
    """Replace uids that embed personal data (`phone:0108…`, `tipo-person:<record>:<name>`) by keyed hashes.

    The node keeps its ties, records and assessments; audit targets and the uids quoted inside stored
    assessment factors are rewritten to match. Idempotent: a second run finds nothing to do.
    """
    params: dict[str, Any] = {"prefixes": [f"{p}:" for p in PERSONAL_PREFIXES], "opaque": OPAQUE.pattern}
    renamed, after = 0, ""
    # a page at a time, in uid order: memory stays flat, and a uid skipped (its opaque one taken) is passed
    while legacy := store.read(cypher("schema/legacy_uids"), {**params, "after": after, "batch": batch}):
        after = str(legacy[-1]["uid"])
        rows = [{"id": r["id"], "old": r["uid"], "new": new} for r in legacy if (new := migrated_uid(r["uid"]))]
        renamed += int(store.write(cypher("schema/rename_uids"), {"rows": rows})[0]["renamed"])
        _rewrite_factors(store, {r["old"]: r["new"] for r in rows})
    return renamed


def _rewrite_factors(store: Store, renames: dict[str, str]) -> None:
    found = store.read(cypher("schema/stored_uid_mentions"), {"uids": sorted(renames)})
    if found:
        rows = [
            {"id": r["id"], "factors": json.dumps(_renamed(json.loads(r["factors"]), renames), ensure_ascii=False)}
            for r in found
        ]
        store.write(cypher("schema/set_factors"), {"rows": rows})


def _renamed(value: Any, renames: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {k: _renamed(v, renames) for k, v in value.items()}
    if isinstance(value, list):
        return [_renamed(v, renames) for v in value]
    if isinstance(value, str):
        return renames.get(value, value)
    return value
