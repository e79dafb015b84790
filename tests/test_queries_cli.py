"""`ipcredit query` and `ipcredit cypher` against the test database, through typer's runner."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from api.cli import app
from credit.policy import default_policy
from graph.settings import get_settings
from graph.store import Store

GRAPH = """
CREATE (a:Subject:Person {uid: 't:a', name: 'A'}), (b:Subject:Company {uid: 't:b', name: 'B'}),
       (c:Subject:Company {uid: 't:c', name: 'C'}), (d:Subject:Person {uid: 't:d', name: 'D'})
CREATE (a)-[:LEGAL_REP_OF]->(b), (b)-[:SHAREHOLDER_OF {ratio: 0.5}]->(c), (d)-[:SHAREHOLDER_OF {ratio: 0.4}]->(c)
"""


@pytest.fixture
def cli(store: Store, neo4j_uri: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    store.write(GRAPH)
    monkeypatch.setenv("NEO4J_URI", neo4j_uri)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_query_lists_the_catalogue(cli: CliRunner) -> None:
    for args in (["query"], ["query", "list"]):
        result = cli.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert "related_parties" in result.output and "controllers" in result.output


def test_query_runs_with_validated_params(cli: CliRunner) -> None:
    result = cli.invoke(
        app, ["query", "related_parties", "-p", "uid=t:a", "-p", "k=2", "-p", "types=LEGAL_REP_OF", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    assert [(r["uid"], r["hops"]) for r in json.loads(result.stdout)] == [("t:b", 1)]
    both = cli.invoke(
        app,
        [
            "query",
            "related_parties",
            "-p",
            "uid=t:a",
            "-p",
            "k=2",
            "-p",
            "types=LEGAL_REP_OF,SHAREHOLDER_OF",
            "-f",
            "csv",
        ],
    )
    assert both.exit_code == 0, both.output
    assert [(r["uid"], r["hops"]) for r in csv.DictReader(io.StringIO(both.stdout))] == [("t:b", "1"), ("t:c", "2")]


def test_query_fills_the_policy_threshold(cli: CliRunner) -> None:
    # C is held 0.5 by B (held by nobody: its legal rep holds no shares) and 0.4 by person D
    threshold = default_policy().controller.threshold
    result = cli.invoke(app, ["query", "controllers", "-p", "uid=t:c", "-f", "json"])
    assert result.exit_code == 0, result.output
    expected = {uid for uid, ratio in (("t:b", 0.5), ("t:d", 0.4)) if ratio >= threshold}
    assert {r["uid"] for r in json.loads(result.stdout)} == expected
    given = cli.invoke(app, ["query", "controllers", "-p", "uid=t:c", "-p", "threshold=0.45", "-f", "json"])
    assert [r["uid"] for r in json.loads(given.stdout)] == ["t:b"]


def test_query_refuses_bad_input(cli: CliRunner) -> None:
    unknown = cli.invoke(app, ["query", "drop_all"])
    assert unknown.exit_code == 2 and "no query 'drop_all'" in unknown.output
    bad_k = cli.invoke(app, ["query", "related_parties", "-p", "uid=t:a", "-p", "k=99"])
    assert bad_k.exit_code == 2 and "k" in bad_k.output
    bad_type = cli.invoke(app, ["query", "related_parties", "-p", "uid=t:a", "-p", "types=Subject)-[:X]->(n"])
    assert bad_type.exit_code == 2
    no_eq = cli.invoke(app, ["query", "related_parties", "-p", "uid"])
    assert no_eq.exit_code == 2 and "key=value" in no_eq.output
    nobody = cli.invoke(app, ["query", "related_parties", "-p", "uid=t:nobody"])
    assert nobody.exit_code == 2 and "t:nobody" in nobody.output


def test_cypher_reads_in_each_format(cli: CliRunner) -> None:
    stmt = "MATCH (s:Subject) WHERE s.uid IN $uids RETURN s.uid AS uid, s.name AS name ORDER BY uid"
    as_json = cli.invoke(app, ["cypher", stmt, "-p", 'uids=["t:a","t:c"]', "-f", "json"])
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.stdout) == [{"uid": "t:a", "name": "A"}, {"uid": "t:c", "name": "C"}]
    as_csv = cli.invoke(app, ["cypher", stmt, "-p", 'uids=["t:b"]', "--format", "csv"])
    assert as_csv.stdout.splitlines() == ["uid,name", "t:b,B"]
    as_table = cli.invoke(app, ["cypher", "MATCH (s:Subject) RETURN count(s) AS n"])
    assert as_table.exit_code == 0 and "4" in as_table.stdout


def test_cypher_refuses_a_write(cli: CliRunner, store: Store) -> None:
    result = cli.invoke(app, ["cypher", "CREATE (:Subject {uid: 't:new'}) RETURN 1"])
    assert result.exit_code != 0
    assert "refused: operator Create is not allowed" in result.output
    assert store.read("MATCH (s:Subject {uid: 't:new'}) RETURN s") == []
    delete = cli.invoke(app, ["cypher", "MATCH (n) DETACH DELETE n"])
    assert delete.exit_code != 0
    assert store.read("MATCH (s:Subject) RETURN count(s) AS n") == [{"n": 4}]


def test_cypher_row_cap_and_errors(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPCREDIT_CYPHER_MAX_ROWS", "2")
    get_settings.cache_clear()
    capped = cli.invoke(app, ["cypher", "UNWIND range(1, 10) AS i RETURN i", "-f", "json"])
    assert capped.exit_code == 0
    assert json.loads(capped.stdout) == [{"i": 1}, {"i": 2}]
    assert "stopped at 2 rows" in capped.stderr
    syntax = cli.invoke(app, ["cypher", "MATCH (n RETURN n"])
    assert syntax.exit_code == 1 and "failed" in syntax.output


def test_tables_show_nested_values_as_tables_not_json(cli: CliRunner) -> None:
    stmt = (
        "RETURN {level: 'D', score: 41} AS facts, [{uid: 't:a', hops: 1}, {uid: 't:b', hops: 2}] AS path, "
        "['x', 'y'] AS names"
    )
    table = cli.invoke(app, ["cypher", stmt])
    assert table.exit_code == 0, table.output
    for blob in ('{"', "[{", '["', "{'", "[{'"):
        assert blob not in table.stdout
    for shown in ("level", "score", "41", "t:a", "t:b", "hops", "x", "y"):
        assert shown in table.stdout
    as_json = cli.invoke(app, ["cypher", stmt, "-f", "json"])
    assert json.loads(as_json.stdout)[0]["path"][1] == {"uid": "t:b", "hops": 2}
