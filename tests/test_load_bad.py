"""The bad-input corpus (tests/data/bad/): every record is loaded correctly or rejected with its reason.

Never a crash, and read = loaded + unchanged + rejected for every kind, in every case.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from graph.model import Person
from graph.settings import get_settings
from graph.store import Store
from loaders.formats import reader_for
from loaders.pipeline import Loader, load
from loaders.rows import LoadSummary, RejectsWriter

BAD = Path(__file__).resolve().parent / "data" / "bad"


def run(store: Store, fmt: str, path: Path, rejects: Path) -> tuple[LoadSummary, list[dict[str, Any]]]:
    summary = load(store, reader_for(fmt)(path), rejects_path=rejects, batch_size=2)
    lines = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    for name, count in summary.kinds.items():
        assert count.read == count.loaded + count.unchanged + count.rejected, name
    assert len(lines) == summary.total.rejected
    for line in lines:
        assert set(line) == {"source", "file", "ref", "kind", "reason", "raw"} and line["reason"]
    return summary, lines


# case, format, (read, loaded, unchanged, rejected), reasons that must appear in the rejects file
CASES: list[tuple[str, str, tuple[int, int, int, int], list[str]]] = [
    ("truncated", "csv", (5, 1, 0, 4), ["(truncated row?)", "10 fields where the header has 7", "malformed CSV"]),
    (
        "malformed",
        "jsonl",
        (8, 1, 0, 7),
        ["malformed JSON", "must be an object", "subject kind must be one of", "colour: Extra inputs", "name: Field"],
    ),
    ("dates", "csv", (9, 3, 0, 6), ["2023-02-30", "date out of range: 1700-01-01", "decided_on: Field required"]),
    ("codes", "csv", (6, 1, 0, 5), ["fails its check character", "name different companies", "a person cannot"]),
    ("dangling", "csv", (8, 0, 0, 8), ["dangling reference: no start ghost:1 and no end ghost:2", "less than or eq"]),
    ("duplicates", "csv", (4, 1, 2, 1), ["conflicts with line 2"]),
    ("unterminated", "csv", (10, 8, 0, 2), ["a quoted field is never closed (line 4 is a row of its own)"]),
    ("conflicts", "csv", (6, 3, 1, 2), ["conflicts with line 2", "the first is kept"]),
    ("verbatim", "jsonl", (7, 6, 0, 1), ["control characters"]),
    ("periods", "csv", (6, 6, 0, 0), []),
    ("hostile", "jsonl", (5, 4, 0, 1), ["control characters"]),
    ("empty", "csv", (0, 0, 0, 0), []),
    ("empty", "jsonl", (0, 0, 0, 0), []),
    ("encoding", "csv", (3, 2, 0, 1), ["not valid gb18030"]),
    ("contacts", "csv", (4, 0, 0, 4), ["not a phone number", "not an email address", "subject_uid is required"]),
]


@pytest.mark.parametrize(("case", "fmt", "expected", "reasons"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_bad_input_case(
    store: Store, tmp_path: Path, case: str, fmt: str, expected: tuple[int, int, int, int], reasons: list[str]
) -> None:
    summary, rejects = run(store, fmt, BAD / case, tmp_path / "rejects.jsonl")
    total = summary.total
    assert (total.read, total.loaded, total.unchanged, total.rejected) == expected
    text = json.dumps(rejects, ensure_ascii=False)
    for reason in reasons:
        assert reason in text
    for reject in rejects:
        assert Path(reject["file"]).parent == BAD / case and reject["ref"].isdigit()


def test_dangling_links_leave_no_trace(store: Store, tmp_path: Path) -> None:
    run(store, "csv", BAD / "dangling", tmp_path / "r.jsonl")
    assert store.read("MATCH (n) WHERE NOT n:SchemaMigration RETURN count(n) AS n") == [{"n": 0}]


def test_codes_normalised_to_one_company(store: Store, tmp_path: Path) -> None:
    run(store, "csv", BAD / "codes", tmp_path / "r.jsonl")
    rows = store.read("MATCH (c:Company) RETURN c.uid AS uid, c.credit_code AS code, c.name AS name")
    assert rows == [{"uid": "uscc:91110108MA01ABCDEN", "code": "91110108MA01ABCDEN", "name": "Lower Case Valid"}]


def test_duplicates_first_version_kept_the_other_rejected(store: Store, tmp_path: Path) -> None:
    _, rejects = run(store, "csv", BAD / "duplicates", tmp_path / "r.jsonl")
    assert store.read("MATCH (c:Company) RETURN c.name AS name") == [{"name": "Twice Ltd"}]
    [conflict] = rejects
    assert conflict["ref"] == "5" and conflict["raw"]["kept"]["properties"]["name"] == "Twice Ltd"
    assert conflict["raw"]["rejected"]["name"] == "Twice Ltd Renamed"


def test_hostile_strings_stored_verbatim_and_harmless(store: Store, tmp_path: Path) -> None:
    run(store, "jsonl", BAD / "hostile", tmp_path / "r.jsonl")
    names = {r["name"] for r in store.read("MATCH (s:Subject) RETURN s.name AS name")}
    assert names == {
        "'}) DETACH DELETE n //",
        "<script>alert('x')</script>",
        '"; MATCH (n) DETACH DELETE n; //',
        "Robert'); DROP TABLE students;--",
    }
    aliases = store.read("MATCH (s {uid: 'bad-p:52'}) RETURN s.aliases AS a")
    assert aliases == [{"a": ["${jndi:ldap://x}", "{{label}}"]}]


def test_enormous_fields_rejected_and_truncated_in_rejects(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "huge"
    folder.mkdir()
    big = "名" * 1_000_000
    (folder / "subjects.csv").write_text(
        f"kind,uid,name\ncompany,t-c:big,{big}\nperson,t-p:ok,Fine\nperson,t-p:{'x' * 400},Long Uid\n",
        encoding="utf-8",
    )
    (folder / "violations.jsonl").write_text("")
    summary, rejects = run(store, "csv", folder, tmp_path / "r.jsonl")
    assert (summary.total.loaded, summary.total.rejected) == (1, 2)
    assert any("name: Value should have at most 500" in r["reason"] for r in rejects)
    raw_text = (tmp_path / "r.jsonl").read_text(encoding="utf-8")
    assert len(raw_text) < 20_000 and "truncated, 1000000 characters" in raw_text


def test_failed_batch_is_bisected_to_the_bad_row(store: Store, tmp_path: Path) -> None:
    """A row the server refuses (here a map-valued property, which no validated record can produce) is
    isolated by bisection and rejected with the server's message; the other rows of its batch load."""
    path = tmp_path / "rejects.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        loader = Loader(store, RejectsWriter(fh), batch_size=100)
        for i in range(9):
            loader.feed(Person(uid=f"t-p:{i}", name=f"P {i}", source="test", source_ref=f"f.csv:{i + 2}"))
        entry = loader._nodes["person"]["t-p:4"]
        entry.row["props"] = {**entry.row["props"], "nationality": {"not": "storable"}}
        summary = loader.finish()
    assert (summary.kinds["person"].loaded, summary.kinds["person"].rejected) == (8, 1)
    reject = json.loads(path.read_text(encoding="utf-8"))
    assert reject["ref"] == "6" and reject["file"] == "f.csv" and "database refused it" in reject["reason"]
    assert store.read("MATCH (p:Person) RETURN count(p) AS n") == [{"n": 8}]


@pytest.fixture
def cli_env(store: Store, neo4j_uri: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("NEO4J_URI", neo4j_uri)
    get_settings.cache_clear()
    yield store
    get_settings.cache_clear()


def test_cli_load_json_and_exit_status(cli_env: Store, tmp_path: Path) -> None:
    from api.cli import app

    runner = CliRunner()
    rejects = tmp_path / "rej.jsonl"
    done = runner.invoke(app, ["load", "csv", str(BAD / "codes"), "--rejects", str(rejects), "--json"])
    assert done.exit_code == 0, done.output
    payload = json.loads(done.stdout)
    assert payload["total"] == {"read": 6, "loaded": 1, "unchanged": 0, "repeated": 0, "rejected": 5}
    assert len(rejects.read_text().splitlines()) == 5
    table = runner.invoke(app, ["load", "csv", str(BAD / "codes"), "--rejects", str(rejects)])
    assert table.exit_code == 0 and "unchanged" in table.stdout
    everything_rejected = runner.invoke(app, ["load", "csv", str(BAD / "contacts"), "--rejects", str(rejects)])
    assert everything_rejected.exit_code == 1
    empty = runner.invoke(app, ["load", "csv", str(BAD / "empty"), "--rejects", str(rejects), "--json"])
    assert empty.exit_code == 1 and json.loads(empty.stdout)["total"]["read"] == 0
    assert runner.invoke(app, ["load", "xml", str(BAD)]).exit_code == 2
    assert runner.invoke(app, ["load", "csv", str(tmp_path / "missing")]).exit_code == 2
    assert runner.invoke(app, ["load", "csv", str(BAD / "codes"), "--encoding", "latin-9"]).exit_code == 2
