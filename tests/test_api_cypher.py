"""Analyst Cypher over HTTP: roles, read-only enforcement by the server, timeout, row cap, clear errors."""

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
    settings = api_settings(cypher_timeout_s=1.0, cypher_max_rows=3)
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


def test_writes_are_refused_by_the_server(cypher_client: TestClient, graph: Store) -> None:
    for query in (
        "CREATE (:Subject {uid: 'evil:1'})",
        "MATCH (s:Subject) DETACH DELETE s",
        "MATCH (s:Subject {uid: 'uscc:RING'}) SET s.name = 'x'",
        "MERGE (x:Subject {uid: 'evil:2'}) RETURN x",
    ):
        response = _post(cypher_client, query)
        assert response.status_code == 403, (query, response.text)
        assert response.json()["error"]["code"] == "write_refused"
    rows = graph.read("MATCH (s:Subject) RETURN count(s) AS n, collect(s.name) AS names")
    assert rows[0]["n"] == 6 and "x" not in rows[0]["names"]


def test_outside_access_refused(cypher_client: TestClient) -> None:
    for query in ("LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line", "CALL dbms.listConfig()"):
        response = _post(cypher_client, query)
        assert response.status_code == 403 and response.json()["error"]["code"] == "refused"
    # the words inside a string literal are data, not a clause
    assert _post(cypher_client, "RETURN 'LOAD CSV' AS text").json()["rows"] == [{"text": "LOAD CSV"}]


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
