"""A loader whose database dies mid-load: the summary so far, exit status 2, one line on stderr, no
traceback, and no good row filed as a reject (a lost connection is no row's fault).

The test starts its own local Neo4j (the session's one must survive) and kills it with SIGKILL once the
load has written its first batches.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.local import LocalNeo4j, free_port
from graph.settings import get_settings
from graph.store import Store
from queries.load import count_graph

ROWS = 60_000  # enough that the load is still running when the server is killed
BATCH = 200


@pytest.fixture
def doomed(tmp_path: Path) -> Iterator[LocalNeo4j]:
    if get_settings().neo4j_uri:
        pytest.skip("needs the local Neo4j (it is killed during the test)")
    small = get_settings().model_copy(update={"local_heap": "512m", "local_pagecache": "64m"})
    instance = LocalNeo4j(tmp_path / "neo4j", free_port(), settings=small)
    instance.start()
    try:
        yield instance
    finally:
        instance.stop(timeout=10)


def _subjects(folder: Path) -> Path:
    folder.mkdir()
    with (folder / "subjects.csv").open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["kind", "uid", "name", "country"])
        out.writerows(["company", f"test:c{i}", f"Company {i} Ltd", "CN"] for i in range(ROWS))
    return folder


def _count(uri: str) -> int:
    with Store.connect(uri=uri) as store:
        return count_graph(store).nodes


def test_database_killed_mid_load_exits_2_with_summary_and_one_line(doomed: LocalNeo4j, tmp_path: Path) -> None:
    state = doomed.state()
    assert state is not None
    data = _subjects(tmp_path / "data")
    rejects = tmp_path / "rejects.jsonl"
    env = {**os.environ, "NEO4J_URI": state.uri, "IPCREDIT_SECRET": "outage-test-secret"}
    argv = [str(Path(sys.executable).parent / "ipcredit"), "load", "csv", str(data), "--json"]
    argv += ["--batch-size", str(BATCH), "--rejects", str(rejects)]
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        while _count(state.uri) < BATCH * 3:  # wait until batches are landing (no fixed sleep)
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.2)
        os.kill(state.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 2, (stdout, stderr)
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr and lines[0].startswith("error: the database failed during the load")
    summary = json.loads(stdout)
    count = summary["kinds"]["company"]
    assert summary["interrupted"] and 0 < count["loaded"] < ROWS
    assert count["read"] <= ROWS and count["rejected"] == 0  # no good row filed as a reject
    assert rejects.read_text(encoding="utf-8") == ""
