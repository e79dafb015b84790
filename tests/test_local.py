"""The local Neo4j: the right version, several instances at once, clean stop, clear errors."""

from __future__ import annotations

import socket
from pathlib import Path

import psutil
import pytest
from typer.testing import CliRunner

from api.cli import app
from graph.local import LAUNCHER_CLASS, LocalNeo4j, LocalNeo4jError, free_port
from graph.store import Store
from queries.statements import cypher


def _launchers_for(data_dir: Path) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = proc.info["cmdline"] or []
        if LAUNCHER_CLASS in cmdline and str(data_dir.resolve()) in cmdline:
            found.append(proc)
    return found


def test_session_server_is_neo4j_5_26(session_store: Store) -> None:
    components = session_store.read(cypher("admin/components"))
    kernel = next(c for c in components if c["name"] == "Neo4j Kernel")
    assert kernel["version"].startswith("5.26.")


def test_second_instance_runs_beside_the_first_and_stops_cleanly(tmp_path: Path, session_store: Store) -> None:
    instance = LocalNeo4j(tmp_path / "second", free_port())
    uri = instance.start()
    try:
        assert instance.state() is not None
        with Store.connect(uri=uri) as other:
            other.write("CREATE (:Subject {uid: 'only-here'})")
            assert other.read("MATCH (n:Subject {uid: 'only-here'}) RETURN count(n) AS c") == [{"c": 1}]
        # the session's own instance does not see the other one's data
        assert session_store.read("MATCH (n:Subject {uid: 'only-here'}) RETURN count(n) AS c") == [{"c": 0}]
        assert instance.start() == uri  # starting again finds the running instance
        assert len(_launchers_for(tmp_path / "second")) == 1
    finally:
        assert instance.stop()
    assert instance.state() is None
    assert _launchers_for(tmp_path / "second") == []
    assert not instance.stop()  # nothing left to stop

    result = CliRunner().invoke(app, ["db", "status", "--data", str(tmp_path / "second")])
    assert result.exit_code == 3
    assert "not running" in result.output


def test_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        with pytest.raises(LocalNeo4jError, match=f"port {port}"):
            LocalNeo4j(tmp_path / "busy", port).start()
    assert _launchers_for(tmp_path / "busy") == []


def test_stale_state_file_is_ignored(tmp_path: Path) -> None:
    instance = LocalNeo4j(tmp_path / "stale", free_port())
    instance.data_dir.mkdir(parents=True)
    instance.state_file.write_text(
        '{"pid": 1, "port": 1, "uri": "bolt://127.0.0.1:1", "started_at": "2026-01-01T00:00:00Z"}'
    )
    assert instance.state() is None
    assert not instance.state_file.exists()


def test_server_refuses_outside_access_itself(session_store: Store) -> None:
    """Defence in depth: even a query that reached the server directly cannot read files or fetch URLs."""
    from neo4j.exceptions import ClientError

    port = session_store.driver.get_server_info().address[1]
    attempts = {
        "file:///etc/passwd": "allow_csv_import_from_file_urls",
        "file:///proc/self/environ": "allow_csv_import_from_file_urls",
        f"http://127.0.0.1:{port}/": "blocked",
        "http://[::1]/": "blocked",
        "http://169.254.169.254/latest/meta-data/": "blocked",
    }
    for url, why in attempts.items():
        with pytest.raises(ClientError, match=why):
            session_store.read("LOAD CSV FROM $url AS line RETURN line", {"url": url})
