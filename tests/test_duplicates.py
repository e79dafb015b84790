"""The review of the loader's POSSIBLE_SAME_AS candidates on the real USPTO sample (inventors named on
several patents of one file): the queue, merge keeping every tie and record, distinct never proposed
again on reload, and the audit events."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.store import Store
from loaders.adapters.uspto import read_uspto
from loaders.pipeline import load
from tests.api_fixtures import HEADERS, api_settings
from tests.conftest import SHARED_DATA

USPTO = SHARED_DATA / "uspto-grants" / "xml" / "ipg120327.196.xml"


def _load(store: Store, tmp_path: Path) -> None:
    load(store, read_uspto(USPTO), rejects_path=tmp_path / "rejects.jsonl", batch_size=2000)


@pytest.fixture
def client(store: Store, tmp_path: Path) -> Iterator[TestClient]:
    _load(store, tmp_path)
    with TestClient(create_app(api_settings(), store=store)) as test_client:
        yield test_client


def _queue(client: TestClient, **params: Any) -> Any:
    response = client.get("/duplicates", params=params, headers=HEADERS["investigator"])
    assert response.status_code == 200, response.text
    return response.json()


def _ties(store: Store, uid: str) -> list[tuple[str, str, str]]:
    rows = store.read(
        "MATCH (n:Subject {uid: $uid})-[r]-(o) WHERE type(r) <> 'POSSIBLE_SAME_AS' "
        "RETURN type(r) AS t, CASE WHEN startNode(r) = n THEN 'out' ELSE 'in' END AS d, o.uid AS o",
        {"uid": uid},
    )
    return sorted((r["t"], r["d"], r["o"]) for r in rows)


def test_queue_is_paged_and_needs_a_key(client: TestClient, store: Store) -> None:
    stored = store.read("MATCH ()-[r:POSSIBLE_SAME_AS]->() RETURN count(r) AS n")[0]["n"]
    first = _queue(client, limit=2)
    assert stored > 2 and first["total"] >= 2 and len(first["items"]) == 2
    second = _queue(client, offset=2, limit=2)
    assert {p["left"]["uid"] + p["right"]["uid"] for p in first["items"]}.isdisjoint(
        {p["left"]["uid"] + p["right"]["uid"] for p in second["items"]}
    )
    pair = first["items"][0]
    assert pair["left"]["name"] == pair["right"]["name"] and pair["reasons"][0]["reason"]
    assert client.get("/duplicates").status_code == 403  # public


def test_merge_keeps_every_tie_and_record(client: TestClient, store: Store) -> None:
    pair = _queue(client, limit=1)["items"][0]
    keep, gone = pair["left"]["uid"], pair["right"]["uid"]
    before = _ties(store, keep) + _ties(store, gone)
    refs = store.read("MATCH (n:Subject) WHERE n.uid IN [$a, $b] RETURN n.source_ref AS r", {"a": keep, "b": gone})
    body = {"other": gone, "decision": "merge", "reason": "same inventor, same city", "by": "Li Analyst"}
    assert client.post(f"/duplicates/{keep}/decide", json=body, headers=HEADERS["investigator"]).status_code == 403
    response = client.post(f"/duplicates/{keep}/decide", json=body, headers=HEADERS["analyst"])
    assert response.status_code == 200, response.text
    result = response.json()
    after = _ties(store, keep)
    # every tie of both now on the survivor, same types, directions and other ends (plus the audit link)
    expected = sorted(t if t[2] not in (keep, gone) else (t[0], t[1], keep) for t in before)
    assert [t for t in after if t[0] != "ABOUT" and t[0] != "OF"] == [t for t in expected if t[0] != "OF"]
    assert store.read("MATCH (n:Subject {uid: $u}) RETURN n", {"u": gone}) == []
    node = store.read("MATCH (n:Subject {uid: $u}) RETURN n.merged_uids AS m, n.source_ref AS r", {"u": keep})[0]
    assert node["m"] == [gone] and node["r"] in {r["r"] for r in refs}
    moved = store.read(
        "MATCH (:Subject {uid: $u})-[r {merged_from: $g}]-() RETURN count(r) AS n", {"u": keep, "g": gone}
    )
    assert moved[0]["n"] == result["relationships_moved"] > 0
    resolved = client.get(f"/resolve/{gone}", headers=HEADERS["investigator"]).json()
    assert resolved["resolved_uid"] == keep
    events = client.get("/audit", params={"target": gone}, headers=HEADERS["admin"]).json()["items"]
    assert [e["action"] for e in events] == ["duplicate_merged"]
    assert "Li Analyst" in events[0]["actor"] and gone in events[0]["detail"]
    assert all(p["right"]["uid"] != gone and p["left"]["uid"] != gone for p in _queue(client, limit=200)["items"])


def test_distinct_is_not_proposed_again_on_reload(client: TestClient, store: Store, tmp_path: Path) -> None:
    total = _queue(client)["total"]
    pair = _queue(client, limit=1)["items"][0]
    left, right = pair["left"]["uid"], pair["right"]["uid"]
    body = {"other": right, "decision": "distinct", "reason": "different people"}
    response = client.post(f"/duplicates/{left}/decide", json=body, headers=HEADERS["analyst"])
    assert response.status_code == 200 and response.json()["links_decided"] >= 1
    again = client.post(f"/duplicates/{left}/decide", json=body, headers=HEADERS["admin"])
    assert again.status_code == 409
    _load(store, tmp_path)  # the loader runs its resolution again over the same input
    after = _queue(client, limit=200)
    assert after["total"] == total - 1
    assert all({p["left"]["uid"], p["right"]["uid"]} != {left, right} for p in after["items"])
    events = client.get("/audit", params={"target": left}, headers=HEADERS["admin"]).json()["items"]
    assert [e["action"] for e in events] == ["duplicate_distinct"]


def test_unknown_pairs_are_404(client: TestClient) -> None:
    pair = _queue(client, limit=1)["items"][0]
    for left, other in (("uspto-person:nope", pair["right"]["uid"]), (pair["left"]["uid"], pair["left"]["uid"])):
        body = {"other": other, "decision": "merge", "reason": "x"}
        assert client.post(f"/duplicates/{left}/decide", json=body, headers=HEADERS["admin"]).status_code == 404
    assert client.get("/resolve/uspto-person:nope", headers=HEADERS["admin"]).status_code == 404
