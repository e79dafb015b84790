"""The `ipcredit commitments`, `measures` and `agencies` commands: exit statuses, refusal reasons, the
per-department CSV export and the cycle's summary, against a real Neo4j."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from credit.classify import classify_all
from graph.settings import get_settings
from graph.store import Store
from queries.measures import measures
from tests.test_chains import make_graph

ON = "2026-06-01"


@pytest.fixture
def cli_env(neo4j_uri: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("NEO4J_URI", neo4j_uri)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_cli_commitments_measures_and_cycle(store: Store, cli_env: CliRunner, tmp_path: Path) -> None:
    make_graph(
        store,
        {"t:bad": "Company", "t:ok": "Company", "t:agency": "Company:Agency"},
        violations=[("v:1", "t:bad", "CN_MALICIOUS_TM", "2026-01-01", {})],
    )
    classify_all(store, date.fromisoformat(ON))
    base = ["--matter", "m", "--text", "承诺", "--due-by", "2026-12-31", "--office", "局", "--by", "clerk", "--on", ON]
    refused = cli_env.invoke(app, ["commitments", "record", "--subject", "t:bad", *base])
    assert refused.exit_code == 1 and "serious record(s) in force: v:1" in refused.output
    made = cli_env.invoke(app, ["commitments", "record", "--subject", "t:ok", *base, "--json"])
    assert made.exit_code == 0, made.output
    uid = json.loads(made.stdout)["uid"]
    kept = cli_env.invoke(
        app, ["commitments", "verify", uid, "--outcome", "kept", "--reason", "ok", "--by", "o", "--on", ON]
    )
    assert kept.exit_code == 0 and "POS_COMMITMENT_KEPT" in kept.output
    again = cli_env.invoke(app, ["commitments", "verify", uid, "--outcome", "broken", "--reason", "x", "--by", "o"])
    assert again.exit_code == 1 and "already kept" in again.output

    out = tmp_path / "ip-office.csv"
    exported = cli_env.invoke(app, ["measures", "export", "--department", "ip-office", "-o", str(out)])
    assert exported.exit_code == 0, exported.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    expected = measures(store, department="ip-office", limit=None).items
    assert [r["uid"] for r in rows] == [m.uid for m in expected] and {r["subject_uid"] for r in rows} == {"t:bad"}
    fed = cli_env.invoke(
        app, ["measures", "feedback", rows[0]["uid"], "--department", "awards", "--text", "x", "--by", "d"]
    )
    assert fed.exit_code == 1 and "executed by 'ip-office'" in fed.output

    cycle = cli_env.invoke(app, ["agencies", "evaluate", "--period", "2026", "--as-of", ON, "--json"])
    assert cycle.exit_code == 0, cycle.output
    assert [e["agency_uid"] for e in json.loads(cycle.stdout)["entries"]] == ["t:agency"]
    early = cli_env.invoke(app, ["agencies", "evaluate", "--period", "2027", "--as-of", ON])
    assert early.exit_code == 1 and "starts on 2027-01-01" in early.output
