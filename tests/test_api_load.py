"""`POST /load`: admins only, clear 422s for bad input, the summary back, and an audit event."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api_fixtures import HEADERS, client, graph
from tests.conftest import SHARED_DATA

__all__ = ["client", "graph"]
SAMPLE = SHARED_DATA / "tipo-trademarks" / "TmarkAppl_100000001.xml"


def test_load_is_admin_only_validated_and_audited(client: TestClient) -> None:
    body = {"format": "tipo-xml", "paths": [str(SAMPLE)]}
    assert client.post("/load", json=body, headers=HEADERS["analyst"]).status_code == 403
    missing = client.post(
        "/load", json={"format": "tipo-xml", "paths": ["/no/such/file.xml"]}, headers=HEADERS["admin"]
    )
    assert missing.status_code == 422 and "no such file" in missing.json()["error"]["message"]
    unknown = client.post("/load", json={"format": "nope", "paths": [str(SAMPLE)]}, headers=HEADERS["admin"])
    assert unknown.status_code == 422
    done = client.post("/load", json=body, headers=HEADERS["admin"])
    assert done.status_code == 200, done.text
    total = done.json()["total"]
    assert total["loaded"] > 0 and total["read"] == total["loaded"] + total["unchanged"] + total["rejected"]
    again = client.post("/load", json=body, headers=HEADERS["admin"]).json()["total"]
    assert again["loaded"] == 0 and again["unchanged"] == total["loaded"] + total["unchanged"]  # idempotent
    actions = [e["action"] for e in client.get("/audit", headers=HEADERS["admin"]).json()["events"]]
    assert actions.count("load") == 2 and actions.count("load_started") == 2
