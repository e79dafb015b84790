"""The bulk path's worker processes change nothing: the same import files, rejects file and graph as one
process, on a small input with planted bad rows cut into many chunks."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from graph.local import LocalNeo4j, free_port
from graph.settings import Settings, get_settings
from graph.store import Store
from loaders import bulk_pool
from loaders.bulk import bulk_load, write_import_files
from loaders.canonical import CanonicalReader
from loaders.formats import reader_for
from loaders.rows import LoadSummary, RejectsWriter
from tests.test_load_canonical import CODE_A, DATASET, graph_snapshot, write_csv

LOADED_AT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
PERSONS = [{"kind": "person", "uid": f"t-px:{i}", "name": f"Person {i}", "birth_date": "1970-01-01"} for i in range(30)]
PLANTED: dict[str, list[dict[str, Any]]] = {
    **DATASET,
    "subjects": [
        *DATASET["subjects"],
        *PERSONS,
        {"kind": "company", "uid": "uscc:91110108MA01ABCDX", "name": "Bad Code Ltd"},  # check character wrong
        {**PERSONS[3], "name": "Person 3 renamed"},  # the same uid with other content: rejected
        dict(PERSONS[4]),  # the same record again: unchanged
        {"kind": "robot", "uid": "t-r:1", "name": "R2"},
    ],
    "ties": [
        *DATASET["ties"],
        *({"kind": "officer", "start_uid": p["uid"], "end_uid": "t-co:2", "role": "director"} for p in PERSONS),
        {"kind": "branch", "start_uid": "t-px:1", "end_uid": "ghost:7"},  # dangling
        {"kind": "shareholder", "start_uid": "t-px:2", "end_uid": f"uscc:{CODE_A}", "ratio": "lots"},
        {"kind": "officer", "start_uid": "t-px:5", "end_uid": "t-co:2", "role": "director", "since": "2001-01-01"},
    ],
}


def _planted(folder: Path) -> Path:
    write_csv(folder, PLANTED)
    with (folder / "ties.csv").open("ab") as fh:  # a broken quote, then bytes that are not UTF-8
        fh.write(b'"officer,t-px:6,t-co:2\n')
        fh.write(b"t-co:2,officer,,director,,t-px:7\xff\xfe\n")  # end_uid,kind,ratio,role,since,start_uid
    return folder


def _write(items: Any, out: Path) -> tuple[LoadSummary, dict[str, bytes]]:
    with (out / "rejects.jsonl").open("w", encoding="utf-8") as fh:
        summary, node_files, link_files = write_import_files(items, out / "import", RejectsWriter(fh), LOADED_AT)
    files = {f.name: f.read_bytes() for f in [*node_files, *link_files]}
    return summary, {**files, "rejects.jsonl": (out / "rejects.jsonl").read_bytes()}


def test_workers_write_the_same_import_files_and_rejects(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk_pool, "CHUNK_ROWS", 3)  # many chunks, several in flight per worker
    folder = _planted(tmp_path / "data")
    reader = reader_for("csv")
    assert isinstance(reader, CanonicalReader)
    outputs = {}
    for name, items in {
        "items": reader(folder),  # the sequential path every reader takes
        "one": bulk_pool.prepared_rows(reader, [folder], LOADED_AT, workers=1),
        "two": bulk_pool.prepared_rows(reader, [folder], LOADED_AT, workers=2),
    }.items():
        (tmp_path / name).mkdir()
        outputs[name] = _write(items, tmp_path / name)
    (summary, files), (one_summary, one_files), (two_summary, two_files) = outputs.values()
    assert files == one_files == two_files  # byte for byte
    assert summary.kinds == one_summary.kinds == two_summary.kinds
    rejects = [json.loads(line) for line in files["rejects.jsonl"].decode().splitlines()]
    reasons = " | ".join(r["reason"] for r in rejects)
    planted = ("credit code must be", "conflicts with line", "dangling reference: no end ghost:7", "ratio", "robot")
    assert all(reason in reasons for reason in planted), reasons
    assert any("not valid utf-8" in r["reason"] for r in rejects)
    assert len(rejects) == summary.total.rejected >= 7
    # the ties that named t-co:2 reach the company under its credit-code uid, across processes
    assert b"t-px:9,uscc:" in two_files["links_officer.csv"] and b",t-co:2," not in two_files["links_officer.csv"]


@pytest.fixture
def small() -> Settings:
    return get_settings().model_copy(
        update={"local_heap": "512m", "local_pagecache": "128m", "local_tx_memory": "256m", "neo4j_uri": None}
    )


def test_workers_load_the_same_graph(tmp_path: Path, small: Settings) -> None:
    folder = _planted(tmp_path / "data")
    reader = reader_for("csv")
    assert isinstance(reader, CanonicalReader)
    graphs = []
    for workers in (1, 2):
        instance = LocalNeo4j(tmp_path / f"neo4j-{workers}", free_port(), settings=small)
        try:
            rows = bulk_pool.prepared_rows(reader, [folder], LOADED_AT, workers=workers)
            rejects = tmp_path / f"rejects-{workers}.jsonl"
            bulk_load(rows, rejects_path=rejects, instance=instance, settings=small, loaded_at=LOADED_AT)
            uri = instance.running_uri()
            assert uri is not None
            with Store.connect(small, uri=uri) as store:
                graphs.append((graph_snapshot(store), rejects.read_bytes()))
        finally:
            instance.stop()
    assert graphs[0] == graphs[1]
    assert len(graphs[0][0][0]) > len(PERSONS) and graphs[0][1]
