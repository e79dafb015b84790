"""The store against the real server: writes land, reads come back plain, reads refuse writes."""

from __future__ import annotations

from datetime import date

import pytest
from neo4j.exceptions import ClientError

from graph.store import Store


def test_write_then_read(store: Store) -> None:
    store.write(
        "CREATE (:Subject:Company {uid: $uid, name: $name, registered_on: date($day)})",
        {"uid": "t:acme", "name": "Acme 有限公司", "day": "2020-05-01"},
    )
    rows = store.read(
        "MATCH (c:Company {uid: $uid}) RETURN c.name AS name, c.registered_on AS day, c AS node", {"uid": "t:acme"}
    )
    assert rows == [
        {
            "name": "Acme 有限公司",
            "day": date(2020, 5, 1).isoformat(),
            "node": {
                "_labels": ["Company", "Subject"],
                "uid": "t:acme",
                "name": "Acme 有限公司",
                "registered_on": "2020-05-01",
            },
        }
    ]


WRITES = [
    "CREATE (:Subject {uid: 'sneaky'})",
    "MERGE (:Subject {uid: 'sneaky'})",
    "MATCH (n:Subject {uid: 't:kept'}) SET n.name = 'sneaky'",
    "MATCH (n:Subject {uid: 't:kept'}) DETACH DELETE n",
    "MATCH (n:Subject {uid: 't:kept'}) REMOVE n.name",
    "FOREACH (i IN [1] | CREATE (:Subject {uid: 'sneaky'}))",
    "CALL { CREATE (:Subject {uid: 'sneaky'}) } IN TRANSACTIONS",  # possible only outside a transaction
    "UNWIND [1] AS i CALL { WITH i CREATE (:Subject {uid: 'sneaky'}) } IN TRANSACTIONS OF 1 ROW",
    "CREATE INDEX sneaky IF NOT EXISTS FOR (n:Sneaky) ON (n.uid)",
    "CALL db.createLabel('Sneaky')",
]


@pytest.mark.parametrize("query", WRITES)
def test_a_write_sent_as_a_read_is_refused_by_the_server(store: Store, query: str) -> None:
    """Reads are auto-commit queries in read access mode: the server, not a list of words, refuses writes."""
    store.write("CREATE (:Subject {uid: 't:kept', name: 'kept'})")
    with pytest.raises(ClientError) as caught:
        store.read(query)
    assert caught.value.code == "Neo.ClientError.Statement.AccessMode"
    assert store.read("MATCH (n:Subject) RETURN n.uid AS uid, n.name AS name") == [{"uid": "t:kept", "name": "kept"}]
    assert store.read("SHOW INDEXES YIELD name WHERE name = 'sneaky' RETURN name") == []
    assert store.read("CALL db.labels() YIELD label WHERE label = 'Sneaky' RETURN label") == []


def test_write_batches_sums_counts_over_batches(store: Store) -> None:
    rows = [{"uid": f"t:{i}"} for i in range(2500)]
    seen: list[int] = []
    totals = store.write_batches(
        "UNWIND $rows AS r MERGE (n:Subject {uid: r.uid}) RETURN count(n) AS merged",
        rows,
        batch_size=1000,
        on_batch=seen.append,
    )
    assert totals == {"merged": 2500}
    assert seen == [1000, 1000, 500]
    assert store.read("MATCH (n:Subject) RETURN count(n) AS c") == [{"c": 2500}]


def test_read_capped_reports_rows_left_over(store: Store) -> None:
    rows, truncated = store.read_capped("UNWIND range(1, 10) AS i RETURN i", timeout=10, max_rows=3)
    assert [r["i"] for r in rows] == [1, 2, 3]
    assert truncated
    rows, truncated = store.read_capped("UNWIND range(1, 3) AS i RETURN i", timeout=10, max_rows=3)
    assert len(rows) == 3
    assert not truncated
