"""Tests run against a real Neo4j: a local one started for the session on a free port, or the server
named by `NEO4J_URI` (whose graph they clear only when `IPCREDIT_TEST_ALLOW_CLEAR=1` says so)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.local import LocalNeo4j, free_port
from graph.settings import get_settings
from graph.store import Store
from queries.schema import init_schema
from queries.statements import cypher

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="session")
def neo4j_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = get_settings()
    if settings.neo4j_uri:
        if os.environ.get("IPCREDIT_TEST_ALLOW_CLEAR") != "1":
            pytest.exit(
                "NEO4J_URI is set: the tests clear the graph between tests; "
                "set IPCREDIT_TEST_ALLOW_CLEAR=1 if that database may be wiped",
                returncode=2,
            )
        yield settings.neo4j_uri
        return
    # small memory: several test sessions (and benchmarks) may run side by side on this machine
    small = settings.model_copy(update={"local_heap": "1g", "local_pagecache": "256m", "local_tx_memory": "512m"})
    instance = LocalNeo4j(tmp_path_factory.mktemp("neo4j"), free_port(), settings=small)
    uri = instance.start()
    try:
        yield uri
    finally:
        instance.stop()


@pytest.fixture(scope="session")
def session_store(neo4j_uri: str) -> Iterator[Store]:
    with Store.connect(uri=neo4j_uri) as store:
        init_schema(store)
        yield store


@pytest.fixture
def store(session_store: Store) -> Store:
    """The session's store over an empty graph (schema kept)."""
    session_store.run_autocommit(cypher("admin/clear_graph"))
    return session_store
