"""Neo4j goes away while the API runs: `/ready` answers 503 and requests fail with a clean JSON 503;
when Neo4j comes back, both recover by themselves (no restart of the app, no cached broken state).

Uses its own throw-away local Neo4j, never the session's."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from api.app import create_app
from graph.local import LocalNeo4j, free_port
from graph.settings import get_settings
from graph.store import Store
from queries.schema import init_schema
from tests.api_fixtures import api_settings


def _until(client: TestClient, path: str, status: int, seconds: float) -> httpx.Response:
    deadline = time.monotonic() + seconds
    while True:
        response: httpx.Response = client.get(path)
        if response.status_code == status or time.monotonic() > deadline:
            return response
        time.sleep(0.5)


def test_ready_and_requests_follow_neo4j(tmp_path: Path) -> None:
    small = get_settings().model_copy(
        update={"local_heap": "512m", "local_pagecache": "64m", "local_tx_memory": "128m"}
    )
    instance = LocalNeo4j(tmp_path / "neo4j", free_port(), settings=small)
    uri = instance.start()
    try:
        with Store.connect(uri=uri) as store:
            init_schema(store)
            store.write(
                "CREATE (:Subject:Company {uid: 'uscc:OUT', name: 'Outage Test Co', source: 't', source_ref: '1'})"
            )
        settings = api_settings(neo4j_uri=uri, api_db_timeout_s=1.0, api_down_cache_s=30.0)
        with TestClient(create_app(settings)) as client:
            assert client.get("/ready").status_code == 200
            assert client.get("/subjects/uscc:OUT").json()["name"] == "Outage Test Co"

            instance.stop()
            started = time.monotonic()
            down = client.get("/ready")
            assert down.status_code == 503
            assert down.json()["status"] == "unavailable" and "Neo4j" in down.json()["detail"]
            assert time.monotonic() - started < 30, "an outage must be reported promptly"
            for path in ("/subjects/uscc:OUT", "/search?q=outage", "/check/uscc:OUT", "/ready"):
                failed = client.get(path)
                assert failed.status_code == 503, (path, failed.text)
                body = failed.json()
                # answered from the remembered outage, without asking the driver again
                assert "remembered briefly" in (body.get("detail") or body.get("error", {}).get("message", ""))
            assert client.get("/health").status_code == 200  # alive all along

            assert instance.start() == uri  # same port and data folder
            client.app.state.database_down.until = 0.0  # type: ignore[attr-defined]  # the memory has lapsed
            back = _until(client, "/ready", 200, 90)
            assert back.status_code == 200, back.text
            assert client.get("/subjects/uscc:OUT").json()["name"] == "Outage Test Co"
    finally:
        instance.stop()
