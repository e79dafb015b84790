"""Analyst Cypher over HTTP: roles, the plan allow-list against a corpus of escapes, timeout, row and byte
caps, clear errors."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.store import Store
from tests.api_fixtures import HEADERS, api_settings, graph

__all__ = ["graph"]
ANALYST = HEADERS["analyst"]


@pytest.fixture
def cypher_client(graph: Store) -> Iterator[TestClient]:
    settings = api_settings(cypher_timeout_s=1.0, cypher_max_rows=3, cypher_max_bytes=2000)
    with TestClient(create_app(settings, store=graph)) as client:
        yield client


def _post(
    client: TestClient, query: str, params: dict[str, object] | None = None, headers: dict[str, str] = ANALYST
) -> httpx.Response:
    response: httpx.Response = client.post("/cypher", json={"query": query, "params": params or {}}, headers=headers)
    return response


def test_only_analysts_and_admins(cypher_client: TestClient) -> None:
    query = "MATCH (s:Subject) RETURN count(s) AS n"
    assert _post(cypher_client, query, headers={}).status_code == 403
    assert _post(cypher_client, query, headers=HEADERS["investigator"]).status_code == 403
    assert _post(cypher_client, query, headers=HEADERS["admin"]).json()["rows"] == [{"n": 6}]
    body = _post(cypher_client, query).json()
    assert body["rows"] == [{"n": 6}] and body["columns"] == ["n"] and body["truncated"] is False


def test_parameters_and_graph_values(cypher_client: TestClient) -> None:
    body = _post(cypher_client, "MATCH (s:Subject {uid: $uid}) RETURN s, s.name AS name", {"uid": "uscc:RING"}).json()
    assert body["rows"][0]["name"] == "华为测试科技有限公司"
    assert body["rows"][0]["s"]["_labels"] == ["Company", "Subject"]


# Writes, spelled every way: refused from the plan, before anything runs.
WRITES = (
    "CREATE (:Subject {uid: 'evil:1'})",
    "MATCH (s:Subject) DETACH DELETE s",
    "MATCH (s:Subject {uid: 'uscc:RING'}) SET s.name = 'x'",
    "MERGE (x:Subject {uid: 'evil:2'}) RETURN x",
    "MATCH (s:Subject) REMOVE s:Subject",
    "FOREACH (i IN [1] | CREATE (:Subject {uid: 'evil:3'}))",
    "CALL { CREATE (n:Subject {uid: 'evil:4'}) RETURN n } RETURN n",
    "MATCH (s:Subject) CALL (s) { SET s.name = 'x' } RETURN s",
    "MATCH (s:Subject {uid: 'uscc:RING'}) RETURN s UNION CREATE (s:Subject {uid: 'evil:5'}) RETURN s",
    "CREATE INDEX evil FOR (n:Subject) ON (n.evil)",
    "CREATE CONSTRAINT evil FOR (n:Evil) REQUIRE n.uid IS UNIQUE",
    "CREATE USER bob SET PASSWORD 'secret-secret'",
)
# (query, what the refusal names): each one is planned by the server and refused by the allow-list.
ESCAPES = (
    # LOAD CSV: files (the API's /proc/<pid>/environ holds its keys) and URLs (SSRF), hidden from a text filter
    ("LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line", "LoadCSV"),
    ("load csv from 'file:///proc/self/environ' as line return line", "LoadCSV"),
    ("WITH '//' AS x LOAD CSV FROM 'file:///proc/self/environ' AS l RETURN l", "LoadCSV"),
    ("WITH '/*' AS x LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l, '*/' AS y", "LoadCSV"),
    ("WITH \"it\\\"s\" AS x LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l", "LoadCSV"),
    ("LOAD/* a comment */CSV FROM 'file:///etc/passwd' AS l RETURN l", "LoadCSV"),
    ("LOAD // a line comment\n CSV FROM 'file:///etc/passwd' AS l RETURN l", "LoadCSV"),
    ("LOAD\u00a0CSV FROM 'file:///etc/passwd' AS l RETURN l", "LoadCSV"),
    ("LOAD CSV WITH HEADERS FROM 'http://127.0.0.1:7474/' AS l RETURN l", "LoadCSV"),
    ("LOAD CSV FROM 'file:///etc/passwd' AS l FIELDTERMINATOR ':' RETURN l[0]", "LoadCSV"),
    ("WITH 'fi' + 'le:///etc/passwd' AS u LOAD CSV FROM u AS l RETURN l", "LoadCSV"),
    ("CALL { LOAD CSV FROM 'http://169.254.169.254/latest/meta-data/' AS l RETURN l } RETURN l", "LoadCSV"),
    ("MATCH (s:Subject) RETURN s.uid AS l UNION LOAD CSV FROM 'file:///etc/hosts' AS l RETURN l", "LoadCSV"),
    ("CYPHER runtime=slotted LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l", "LoadCSV"),
    ("CYPHER 5 LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l", "LoadCSV"),
    # administration commands: server configuration, other callers' queries and parameters, killing them
    ("SHOW SETTINGS", "ShowSettings"),
    ("show settings yield name, value where name contains 'security' return name, value", "ShowSettings"),
    ("/* comment first */ SHOW SETTINGS", "ShowSettings"),
    ("SHOW TRANSACTIONS", "ShowTransactions"),
    ("SHOW TRANSACTIONS YIELD currentQuery, parameters RETURN currentQuery, parameters", "ShowTransactions"),
    ("TERMINATE TRANSACTION 'neo4j-transaction-1'", "TerminateTransactions"),
    ("TERMINATE TRANSACTIONS $ids", "TerminateTransactions"),
    ("SHOW PROCEDURES", "ShowProcedures"),
    ("SHOW FUNCTIONS", "ShowFunctions"),
    ("SHOW INDEXES", "ShowIndexes"),
    ("SHOW CONSTRAINTS", "ShowConstraints"),
    ("SHOW DATABASES", "AdministrationCommand"),
    ("SHOW USERS", "AdministrationCommand"),
    ("SHOW CURRENT USER", "AdministrationCommand"),
    # procedures not on the list, however the namespace is spelled
    ("CALL dbms.listConfig()", "dbms.listConfig"),
    ("CALL `dbms`.listConfig()", "dbms.listConfig"),
    ("CALL `dbms`.`listConfig`() YIELD name, value RETURN name, value", "dbms.listConfig"),
    ("CALL dbms . listConfig()", "dbms.listConfig"),
    ("CALL dbms.listConnections()", "dbms.listConnections"),
    ("CALL dbms.components()", "dbms.components"),
    ("CALL dbms.info()", "dbms.info"),
    ("CALL dbms.killConnections(['bolt-1'])", "dbms.killConnections"),
    ("MATCH (s:Subject) CALL dbms.listConfig() YIELD name RETURN s, name", "dbms.listConfig"),
    ("CALL { CALL dbms.listConfig() YIELD name RETURN name } RETURN name", "dbms.listConfig"),
    ("CALL db.clearQueryCaches()", "db.clearQueryCaches"),
    ("CALL db.createLabel('Evil')", "db.createLabel"),
    ("CALL db.stats.retrieve('GRAPH COUNTS')", "db.stats.retrieve"),
    ("CALL db.awaitIndexes(300)", "db.awaitIndexes"),
    ("CALL tx.setMetaData({who: 'someone else'})", "tx.setMetaData"),
    # batched transactions (write in many commits, outside the read transaction's guarantee)
    ("UNWIND [1, 2] AS x CALL (x) { RETURN x AS y } IN TRANSACTIONS RETURN y", "TransactionApply"),
    ("UNWIND [1] AS x CALL { WITH x RETURN x AS y } IN TRANSACTIONS OF 1 ROWS ON ERROR CONTINUE RETURN y",
     "TransactionApply"),
    ("UNWIND [1] AS x CALL (x) { RETURN x AS y } IN CONCURRENT TRANSACTIONS RETURN y", "TransactionApply"),
)  # fmt: skip
# Never planned (the server rejects them before a plan exists): a 4xx, nothing run.
UNPLANNABLE = (
    "CALL apoc.load.json('file:///etc/passwd')",
    "CALL apoc.cypher.runWrite('CREATE (:Evil)', {})",
    "CALL DBMS.LISTCONFIG()",
    "CALL dbms.showCurrentUser()",
    "CALL `dbms.listConfig`()",
    "USE system SHOW USERS",
    "USE system MATCH (n) RETURN n",
    "CREATE DATABASE evil",
    "STOP DATABASE neo4j",
    "ALTER DATABASE neo4j SET ACCESS READ ONLY",
    "MATCH (n) RETURN n; LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l",
    "PROFILE LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l",
)


def test_writes_are_refused_from_the_plan(cypher_client: TestClient, graph: Store) -> None:
    for query in WRITES:
        response = _post(cypher_client, query)
        assert response.status_code == 403, (query, response.text)
        error = response.json()["error"]
        assert error["code"] == "refused" and "is not allowed" in error["message"], (query, error)
    rows = graph.read("MATCH (s:Subject) RETURN count(s) AS n, collect(s.name) AS names")
    assert rows[0]["n"] == 6 and "x" not in rows[0]["names"]
    assert graph.read("MATCH (n) WHERE n.uid STARTS WITH 'evil' OR n:Evil RETURN count(n) AS n") == [{"n": 0}]


def test_escapes_are_refused_naming_the_operator(cypher_client: TestClient) -> None:
    for query, named in ESCAPES:
        response = _post(cypher_client, query, {"ids": ["neo4j-transaction-1"]} if "$ids" in query else None)
        assert response.status_code == 403, (query, response.text)
        error = response.json()["error"]
        assert error["code"] == "refused" and named in error["message"], (query, error)


def test_unplannable_queries_are_client_errors(cypher_client: TestClient) -> None:
    for query in UNPLANNABLE:
        response = _post(cypher_client, query)
        assert 400 <= response.status_code < 500, (query, response.text)
        assert "rows" not in response.json()


def test_allowed_reads_run(cypher_client: TestClient) -> None:
    """The allow-list is not a wall: schema reads, full-text search, subqueries and paths pass."""
    reads = (
        "CALL db.labels() YIELD label RETURN count(label) AS n",
        "CALL db.relationshipTypes() YIELD relationshipType RETURN count(*) AS n",
        "CALL db.index.fulltext.queryNodes('subject_names', 'widgets') YIELD node RETURN node.uid AS uid",
        "MATCH (s:Subject) WHERE EXISTS { (s)-[:LEGAL_REP_OF]-() } RETURN count(s) AS n",
        "MATCH (s:Subject) RETURN s.uid AS uid, COUNT { (s)--() } AS d ORDER BY d DESC, uid LIMIT 1",
        "MATCH p = shortestPath((a:Subject {uid: 'uscc:HELD'})-[*..4]-(b:Subject {uid: 'uscc:TWIN'})) "
        "RETURN length(p) AS n",
        "MATCH (a:Subject {uid: 'uscc:RING'}) OPTIONAL MATCH (a)-[r]->(b) RETURN count(r) AS n",
        "MATCH (s:Subject {uid: 'uscc:RING'}) CALL (s) { MATCH (s)--(x) RETURN count(x) AS n } RETURN n",
        "RETURN 'LOAD CSV FROM file:///etc/passwd; CALL dbms.listConfig(); SHOW SETTINGS' AS text",
    )
    for query in reads:
        response = _post(cypher_client, query)
        assert response.status_code == 200, (query, response.text)
        assert response.json()["rows"], query


def test_byte_cap_is_a_413(cypher_client: TestClient) -> None:
    big = "UNWIND range(1, 3) AS x RETURN x, reduce(s = '', i IN range(1, 1000) | s + 'x') AS pad"
    response = _post(cypher_client, big)
    assert response.status_code == 413, response.text
    error = response.json()["error"]
    assert error["code"] == "result_too_large" and error["detail"]["limit_bytes"] == 2000
    assert error["detail"]["rows_before_limit"] == 1
    assert _post(cypher_client, "UNWIND range(1, 3) AS x RETURN x, 'short' AS pad").status_code == 200


def test_database_client_errors_are_4xx(cypher_client: TestClient) -> None:
    for query in ("USE nosuchdatabase MATCH (n) RETURN n", "RETURN 1/0 AS x", "RETURN toInteger([1]) AS x"):
        response = _post(cypher_client, query)
        assert 400 <= response.status_code < 500, (query, response.text)
        assert response.json()["error"]["detail"]["neo4j"].startswith("Neo.ClientError"), query


def test_row_cap_truncates(cypher_client: TestClient) -> None:
    body = _post(cypher_client, "UNWIND range(1, 10) AS x RETURN x").json()
    assert [r["x"] for r in body["rows"]] == [1, 2, 3]
    assert body["truncated"] is True and body["row_count"] == 3
    exact = _post(cypher_client, "UNWIND range(1, 3) AS x RETURN x").json()
    assert exact["truncated"] is False


def test_timeout_stops_a_slow_query(cypher_client: TestClient) -> None:
    slow = "UNWIND range(1, 2000000000) AS x WITH x WHERE x % 7919 = -1 RETURN count(x) AS n"
    response = _post(cypher_client, slow)
    assert response.status_code == 408, response.text
    assert response.json()["error"]["code"] == "query_timeout"


def test_bad_queries_are_clear_400s(cypher_client: TestClient) -> None:
    response = _post(cypher_client, "MATCH (n RETURN n")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "cypher_error" and error["detail"]["neo4j"].startswith("Neo.ClientError")
    assert _post(cypher_client, "RETURN $missing AS x").status_code == 400
    assert cypher_client.post("/cypher", json={"query": ""}, headers=ANALYST).status_code == 422
    assert cypher_client.post("/cypher", json={"params": {}}, headers=ANALYST).status_code == 422
