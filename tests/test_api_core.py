"""The API's own endpoints against a real Neo4j: search, detail, history, network, errors, roles, masking."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.masking import mask_name
from api.search_text import terms
from graph.settings import Settings
from graph.store import Store
from queries.catalogue import run_named
from queries.catalogue.neighbourhood import SUBJECT_NETWORK_TYPES
from tests.api_fixtures import HEADERS, api_settings, client, graph

__all__ = ["client", "graph"]


def _error(body: dict[str, object]) -> dict[str, object]:
    error = body["error"]
    assert isinstance(error, dict)
    assert set(error) == {"code", "message", "detail"}
    return error


def test_health_and_ready(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    response = client.get("/ready")
    assert response.status_code == 200
    assert response.json()["status"] == "ready"


def test_search_chinese_latin_uid_and_code(client: TestClient) -> None:
    hits = client.get("/search", params={"q": "华为"}).json()["items"]
    assert [h["uid"] for h in hits] == ["uscc:RING"]
    assert hits[0]["level"] == "D"  # the latest assessment, not the older B
    latin = client.get("/search", params={"q": "widgets"}).json()["items"]
    assert [h["uid"] for h in latin] == ["uscc:HELD"]
    alias = client.get("/search", params={"q": "ring tech"}).json()["items"]
    assert alias[0]["uid"] == "uscc:RING"
    by_code = client.get("/search", params={"q": "91110108MA01ABCD1X"}).json()["items"]
    assert by_code[0]["uid"] == "uscc:RING"
    by_uid = client.get("/search", params={"q": "uscc:CLEAN"}).json()["items"]
    assert by_uid[0]["uid"] == "uscc:CLEAN"


@pytest.mark.parametrize("text", ['AND (" OR', "name:x*", "a && b || !c", "\\", "{[}]", "~~^"])
def test_search_survives_lucene_syntax(client: TestClient, text: str) -> None:
    response = client.get("/search", params={"q": text})
    assert response.status_code == 200, response.text
    assert isinstance(response.json()["items"], list)


@pytest.mark.parametrize("text", ['AND (" OR', "name:x*", "a && b || !c", "x:(y)", "{[}]", "~~^ 张"])
def test_search_terms_carry_no_query_syntax(text: str) -> None:
    query = terms(text) or ""
    assert all(word.rstrip("*~1").isalnum() for word in query.split()), query
    assert "AND" not in query and "OR" not in query.split()


def test_subject_detail_and_404(client: TestClient) -> None:
    body = client.get("/subjects/uscc:RING", headers=HEADERS["investigator"]).json()
    assert body["kind"] == "company"
    assert body["level"] == "D"
    assert [v["behaviour_code"] for v in body["violations"]] == ["CN_MALICIOUS_TM"]
    assert body["counts"]["trademarks"] == 1
    assert body["counts"]["ties"] == 2  # legal rep + shareholding
    agency = client.get("/subjects/agency:A1").json()
    assert agency["kind"] == "agency" and agency["counts"]["represented"] == 1
    missing = client.get("/subjects/uscc:NOPE")
    assert missing.status_code == 404
    assert _error(missing.json())["code"] == "not_found"


def test_history_newest_first(client: TestClient) -> None:
    body = client.get("/history/uscc:RING").json()
    assert [a["level"] for a in body["items"]] == ["D", "B"]
    assert client.get("/history/uscc:HELD").json()["items"] == []
    assert client.get("/history/uscc:NOPE").status_code == 404


def test_network_depths(client: TestClient) -> None:
    one = client.get("/network/uscc:HELD", params={"depth": 1}, headers=HEADERS["admin"]).json()
    ids = {n["id"] for n in one["nodes"]}
    assert ids == {"uscc:HELD", "uscc:RING", "person:P1"}
    two = client.get("/network/uscc:HELD", params={"depth": 2}, headers=HEADERS["admin"]).json()
    ids2 = {n["id"] for n in two["nodes"]}
    # the ring's violation, the person's phone and the company sharing it, two hops out
    assert {"violation:V1", "phone:01088881234", "uscc:TWIN"} <= ids2
    assert "uscc:CLEAN" not in ids2
    violation = next(n for n in two["nodes"] if n["id"] == "violation:V1")
    assert violation["in_force"] is True
    rels = {(e["source"], e["target"], e["rel"]) for e in two["edges"]}
    assert ("uscc:RING", "uscc:HELD", "SHAREHOLDER_OF") in rels
    capped = client.get("/network/uscc:HELD", params={"depth": 3, "max_nodes": 2}, headers=HEADERS["admin"]).json()
    assert len(capped["nodes"]) == 2 and capped["truncated"] is True
    assert client.get("/network/uscc:NOPE").status_code == 404


def test_network_is_the_catalogue_neighbourhood(client: TestClient, graph: Store) -> None:
    drawn = client.get("/network/uscc:HELD", params={"depth": 2}, headers=HEADERS["admin"]).json()
    raw = {"uid": "uscc:HELD", "depth": 2, "max_nodes": 250, "subject_hops": True, "per_node": 40, "per_point": 15}
    found = run_named(graph, "neighbourhood", {**raw, "types": [str(t) for t in SUBJECT_NETWORK_TYPES]})[0]
    assert [n["id"] for n in drawn["nodes"]] == [n["uid"] for n in found["nodes"]]
    assert {(e["source"], e["target"], e["rel"]) for e in drawn["edges"]} == {
        (lk["start"], lk["end"], lk["type"]) for lk in found["links"]
    }


def test_validation_errors_have_the_error_shape(client: TestClient) -> None:
    response = client.get("/network/uscc:HELD", params={"depth": 99})
    assert response.status_code == 422
    error = _error(response.json())
    assert error["code"] == "invalid_request"
    assert isinstance(error["detail"], list) and error["detail"][0]["loc"][-1] == "depth"
    assert _error(client.get("/no/such/route").json())["code"] == "not_found"


def test_unknown_key_is_401(client: TestClient) -> None:
    response = client.get("/search", params={"q": "x"}, headers={"X-API-Key": "wrong"})
    assert response.status_code == 401
    assert _error(response.json())["code"] == "unauthorized"


def test_public_sees_personal_identifiers_masked(client: TestClient) -> None:
    public = client.get("/subjects/person:P1").json()
    assert public["properties"]["id_number"] == "***"
    assert public["properties"]["birth_date"] == "***"
    assert public["name"] == "张**"
    assert "110101199001011234" not in client.get("/subjects/person:P1").text
    full = client.get("/subjects/person:P1", headers=HEADERS["investigator"]).json()
    assert full["properties"]["id_number"] == "110101199001011234"
    assert full["name"] == "张三丰"
    net = client.get("/network/uscc:TWIN", params={"depth": 2})
    assert "01088881234" not in net.text and "zhang@example.com" not in net.text and "张三丰" not in net.text
    ids = {n["id"] for n in net.json()["nodes"]}
    phones = [i for i in ids if i.startswith("phone:")]
    assert len(phones) == 1 and phones[0].startswith("phone:•••")  # a keyed pseudonym of the legacy uid
    assert {e["target"] for e in net.json()["edges"] if e["rel"] == "USES_PHONE"} == set(phones)
    company = client.get("/subjects/uscc:RING").json()  # company names and codes are public registry data
    assert company["name"] == "华为测试科技有限公司"
    assert company["properties"]["credit_code"] == "91110108MA01ABCD1X"


def test_mask_name_keeps_first_letters() -> None:
    assert mask_name("John Smith") == "J*** S****"
    assert mask_name("李") == "李"


def test_api_keys_setting_parses_pairs() -> None:
    parsed = Settings.model_validate({"IPCREDIT_API_KEYS": "a:admin, b:Analyst,c:public"})
    assert parsed.api_keys == {"a": "admin", "b": "analyst", "c": "public"}
    with pytest.raises(ValueError, match="key:role"):
        Settings.model_validate({"IPCREDIT_API_KEYS": "nocolon"})
    with pytest.raises(ValueError):
        Settings.model_validate({"IPCREDIT_API_KEYS": "k:boss"})


def test_request_bodies_over_the_limit_are_413(graph: Store) -> None:
    with TestClient(create_app(api_settings(max_body_bytes=2000), store=graph)) as small:
        big = {"uids": ["uscc:RING"] * 400}
        declared = small.post("/check", json=big)
        assert declared.status_code == 413 and declared.json()["error"]["code"] == "too_large"

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
            yield b'{"uids": ['
            for _ in range(400):
                yield b'"uscc:RING",'
            yield b'"uscc:RING"]}'

        streamed = small.post("/check", content=chunks(), headers={"Content-Type": "application/json"})
        assert streamed.status_code == 413 and streamed.json()["error"]["detail"]["limit_bytes"] == 2000
        assert small.post("/check", json={"uids": ["uscc:RING"]}).status_code == 200


def test_the_objects_alive_at_startup_are_kept_from_the_collector_for_the_apps_life(graph: Store) -> None:
    """A full collection then scans only what requests made (it stalled every request for 120-210 ms)."""
    assert gc.get_freeze_count() == 0
    with TestClient(create_app(api_settings(), store=graph)) as running:
        assert running.get("/health").status_code == 200
        assert gc.get_freeze_count() > 10_000  # modules, models and the app itself
    assert gc.get_freeze_count() == 0  # given back at shutdown: a process that makes many apps keeps none
