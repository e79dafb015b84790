"""The bulk path on a temporary local instance: Neo4j's importer writes what the transactional path would."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from graph.local import LocalNeo4j, free_port
from graph.schema import LINK_KINDS, NODE_KINDS
from graph.settings import Settings, get_settings
from graph.store import Store
from loaders.bulk import BulkImportError, bulk_load, link_header, node_header, write_import_files
from loaders.formats import reader_for
from loaders.pipeline import load
from loaders.rows import RejectsWriter
from loaders.seen import Seen
from tests.test_load_canonical import DATASET, LINKS, NODES, check_graph, graph_snapshot, write_csv


@pytest.fixture
def small() -> Settings:
    return get_settings().model_copy(
        update={"local_heap": "512m", "local_pagecache": "128m", "local_tx_memory": "256m", "neo4j_uri": None}
    )


@pytest.fixture
def instance(tmp_path: Path, small: Settings) -> Iterator[LocalNeo4j]:
    local = LocalNeo4j(tmp_path / "neo4j", free_port(), settings=small)
    try:
        yield local
    finally:
        local.stop()


def test_headers_come_from_the_schema_kinds() -> None:
    company = node_header(NODE_KINDS["company"])
    assert company[:2] == ["uid:ID(Subject)", ":LABEL"]
    assert "registered_on:date" in company and "aliases:string[]" in company and "loaded_at:datetime" in company
    officer = link_header(LINK_KINDS["officer"])
    assert officer[:3] == [":START_ID(Subject)", ":END_ID(Subject)", ":TYPE"] and officer[-1] == "link_key"
    assert link_header(LINK_KINDS["committed"])[1] == ":END_ID(Violation)"


def test_bulk_import_then_transactional_reload_is_unchanged(
    instance: LocalNeo4j, small: Settings, tmp_path: Path
) -> None:
    dangling = {**DATASET, "ties": [*DATASET["ties"], {"kind": "branch", "start_uid": "t-p:1", "end_uid": "ghost:9"}]}
    folder = write_csv(tmp_path / "data", dangling)
    rejects = tmp_path / "rejects.jsonl"
    summary = bulk_load(reader_for("csv")(folder), rejects_path=rejects, instance=instance, settings=small)
    total = summary.total
    assert (total.read, total.loaded, total.unchanged, total.rejected) == (NODES + LINKS + 1, NODES + LINKS - 1, 1, 1)
    assert "dangling reference: no end ghost:9" in rejects.read_text()
    assert summary.possible_duplicates == 1
    uri = instance.running_uri()
    assert uri is not None
    with Store.connect(small, uri=uri) as store:
        check_graph(store)
        before = graph_snapshot(store)
        constraints = store.read("SHOW CONSTRAINTS YIELD name RETURN count(*) AS n")[0]["n"]
        assert constraints > 0  # init_schema ran after the import
        again = load(store, reader_for("csv")(folder), rejects_path=tmp_path / "r2.jsonl", batch_size=100)
        assert again.total.loaded == 0 and again.total.unchanged == NODES + LINKS  # same hashes, same values
        assert graph_snapshot(store) == before
    with pytest.raises(BulkImportError, match="needs an empty database"):
        bulk_load(reader_for("csv")(folder), rejects_path=None, instance=instance, settings=small)


def test_bulk_refuses_an_external_server(small: Settings) -> None:
    external = small.model_copy(update={"neo4j_uri": "bolt://db.example.org:7687"})
    with pytest.raises(BulkImportError, match="only on the local Neo4j"):
        bulk_load(iter(()), rejects_path=None, settings=external)


@pytest.mark.parametrize("memory_keys", [500_000, 2], ids=["in-memory", "spilled-to-sqlite"])
def test_import_files_settle_repeats_and_dangling_links_without_neo4j(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, memory_keys: int
) -> None:
    monkeypatch.setattr(Seen, "MEMORY_KEYS", memory_keys)
    last = DATASET["subjects"][-1]  # read after the in-memory keys are used up when spilled
    repeated = {
        **DATASET,
        "subjects": [*DATASET["subjects"], dict(last), {**last, "name": f"{last['name']} (renamed)"}],
        "ties": [*DATASET["ties"], {"kind": "branch", "start_uid": last["uid"], "end_uid": "ghost:1"}],
    }
    folder = write_csv(tmp_path / "data", repeated)
    rejects_file = tmp_path / "rejects.jsonl"
    with rejects_file.open("w", encoding="utf-8") as fh:
        summary, node_files, link_files = write_import_files(
            reader_for("csv")(folder), tmp_path / "import", RejectsWriter(fh), datetime.now(UTC)
        )
    repeats = summary.count(last["kind"])
    assert (repeats.unchanged, repeats.rejected) == (1, 1)  # the same row again; then other content
    assert summary.count("branch").rejected == 1
    assert all(count.balanced() for count in summary.kinds.values())
    reasons = [json.loads(line)["reason"] for line in rejects_file.read_text().splitlines()]
    assert len(reasons) == 2 and "dangling reference: no end ghost:1 in the input" in reasons
    first_line = len(DATASET["subjects"]) + 1  # the header is line 1
    assert any(f"conflicts with line {first_line} of " in r and "(the first is kept)" in r for r in reasons)
    assert (tmp_path / "import" / "nodes.sqlite").exists() == (memory_keys == 2)
    assert (tmp_path / "import" / f"nodes_{last['kind']}.csv").read_text().count(last["uid"]) == 1
    written = 0
    for file in [*node_files, *link_files]:
        with file.open(encoding="utf-8", newline="") as fh:
            written += sum(1 for _ in csv.reader(fh)) - 1  # the header
    assert written == sum(count.loaded for count in summary.kinds.values()) == NODES + LINKS - 1  # a shared phone
