"""Credit endpoints over the hand-built graph: checks, batch limits, chains, catalogue queries, reports,
the objection/repair workflow with roles and audit, and public masking of their results."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import anyio.to_thread
import pytest
from fastapi.testclient import TestClient

from tests.api_fixtures import HEADERS, client, graph

__all__ = ["client", "graph"]
ADMIN, INV = HEADERS["admin"], HEADERS["investigator"]


def test_check_levels_and_evidence(client: TestClient) -> None:
    ring = client.get("/check/uscc:RING", headers=INV).json()
    assert ring["level"] == "D"  # a serious record in force forces the veto level
    assert [r["violation_uid"] for r in ring["records"]] == ["violation:V1"]
    held = client.get("/check/uscc:HELD", headers=INV).json()
    assert held["chains"], "the held company is tied to the offender"
    assert {c["chain"]["offender_uid"] for c in held["chains"]} == {"uscc:RING"}
    assert held["score"] < held["base_score"]
    clean = client.get("/check/uscc:CLEAN", headers=INV).json()
    assert clean["chains"] == [] and clean["records"] == []
    assert clean["level"] in ("A+", "A", "B")
    missing = client.get("/check/uscc:NOPE")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_batch_check_and_its_limit(client: TestClient) -> None:
    body = client.post("/check", json={"uids": ["uscc:RING", "uscc:CLEAN", "uscc:NOPE"]}).json()
    by_uid = {r["uid"]: r for r in body["items"]}
    assert by_uid["uscc:RING"]["evaluation"]["level"] == "D"
    assert by_uid["uscc:NOPE"]["found"] is False
    too_many = client.post("/check", json={"uids": [f"uscc:X{i}" for i in range(6)]})  # the test limit is 5
    assert too_many.status_code == 422
    error = too_many.json()["error"]
    assert error["code"] == "batch_too_large" and error["detail"] == {"given": 6, "limit": 5}
    assert "IPCREDIT_BATCH_LIMIT" in error["message"]
    assert client.post("/check", json={"uids": []}).status_code == 422


def test_chains_related_controllers_suspected(client: TestClient) -> None:
    chains = client.get("/chains/uscc:HELD", headers=INV).json()["items"]
    assert chains and all(c["violation"]["uid"] == "violation:V1" for c in chains)
    assert client.get("/chains/uscc:NOPE").status_code == 404
    related = {r["uid"] for r in client.get("/related/uscc:HELD", headers=INV).json()["items"]}
    assert {"uscc:RING", "person:P1"} <= related and "uscc:CLEAN" not in related
    owners = client.get("/controllers/uscc:HELD", headers=INV).json()["items"]
    assert [(o["uid"], round(o["ratio"], 2)) for o in owners] == [("uscc:RING", 0.6)]
    suspected = client.get("/suspected/uscc:TWIN", headers=INV).json()
    assert [r["uid"] for r in suspected["related"]] == ["person:P1"]
    assert client.get("/related/uscc:HELD", params={"types": "NOT_A_TIE"}).status_code == 422


def test_paths_between_two_parties(client: TestClient) -> None:
    params = {"from": "uscc:HELD", "to": "uscc:TWIN"}
    none = client.get("/paths", params=params).json()
    assert none["hops"] is None  # only a shared phone joins them
    via_contact = client.get("/paths", params={**params, "include_contacts": True}).json()
    assert via_contact["hops"] is not None
    assert via_contact["nodes"][0]["uid"] == "uscc:HELD" and via_contact["nodes"][-1]["uid"] == "uscc:TWIN"
    assert client.get("/paths", params={"from": "uscc:HELD", "to": "uscc:NOPE"}).status_code == 404


def test_agency_profile(client: TestClient) -> None:
    profile = client.get("/profile/agency:A1").json()
    assert profile["kind"] == "agency" and profile["filings"] == 1 and profile["flagged_filings"] == 1
    not_agency = client.get("/profile/uscc:CLEAN")
    assert not_agency.status_code == 404 and not_agency.json()["error"]["code"] == "not_an_agency"


def test_report_json_and_page(client: TestClient) -> None:
    report = client.get("/report/uscc:RING", headers=INV).json()
    assert report["evaluation"]["level"] == "D"
    assert {h["level"] for h in report["history"]} == {"D", "B"}
    page = client.get("/ui/report/uscc:RING")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "CN_MALICIOUS_TM" in page.text and "华为测试科技有限公司" in page.text
    assert client.get("/report/uscc:NOPE").status_code == 404


def test_named_queries(client: TestClient) -> None:
    names = {q["name"] for q in client.get("/queries").json()["items"]}
    assert {"related_parties", "path", "risk_scan", "controllers"} <= names
    scan = client.post("/queries/risk_scan", json={"uids": ["uscc:RING", "uscc:HELD"]}, headers=INV).json()
    rows = {r["uid"]: r for r in scan["result"]}
    assert rows["uscc:RING"]["own"] == 1 and rows["uscc:HELD"]["surrounding"] >= 1
    assert client.post("/queries/no_such_query", json={}).status_code == 404
    bad = client.post("/queries/related_parties", json={"uid": "uscc:HELD", "k": 99})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_params"


def test_public_masking_of_catalogue_results(client: TestClient) -> None:
    related = client.get("/related/uscc:HELD").json()["items"]
    person = next(r for r in related if r["uid"] == "person:P1")
    assert person["name"] == "张**"
    suspected = client.get("/suspected/uscc:TWIN")
    assert "张三丰" not in suspected.text and "01088881234" not in suspected.text
    assert suspected.json()["related"][0]["name"] == "张**"
    assert "张三丰" in client.get("/suspected/uscc:TWIN", headers=INV).text


def test_objection_workflow_roles_and_audit(client: TestClient) -> None:
    body = {"violation_uid": "violation:V1", "reason": "the mark was ours", "by": "Li Lei"}
    assert client.post("/objections", json=body).status_code == 403  # public may not write
    filed = client.post("/objections", json=body, headers=INV)
    assert filed.status_code == 200, filed.text
    objection = filed.json()["objection_uid"]
    assert client.get("/check/uscc:RING").json()["level"] != "D"  # suspended while pending
    resolve = {"outcome": "rejected", "reason": "evidence insufficient"}
    assert client.post(f"/objections/{objection}/resolve", json=resolve, headers=INV).status_code == 403
    done = client.post(f"/objections/{objection}/resolve", json=resolve, headers=ADMIN)
    assert done.status_code == 200, done.text
    assert client.get("/check/uscc:RING").json()["level"] == "D"  # the effect is back
    again = client.post(f"/objections/{objection}/resolve", json=resolve, headers=ADMIN)
    assert again.status_code == 409
    assert client.post("/objections/objection:nope/resolve", json=resolve, headers=ADMIN).status_code == 404
    refused = client.post("/repairs", json={"violation_uid": "violation:V1", "reason": "done"}, headers=ADMIN)
    assert refused.status_code == 409 and refused.json()["error"]["detail"]["reasons"]
    assert (
        client.post("/repairs", json={"violation_uid": "violation:V1", "reason": "x"}, headers=INV).status_code == 403
    )
    assert client.get("/audit", headers=INV).status_code == 403
    events = client.get("/audit", params={"target": "violation:V1"}, headers=ADMIN).json()["items"]
    actors = " ".join(e["actor"] or "" for e in events)
    assert len(events) >= 3 and "investigator:key-" in actors and "admin:key-" in actors and "Li Lei" in actors
    assert "inv-key" not in actors  # the key itself is never stored


def test_a_check_takes_one_thread_pool_hop(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the check's graph read runs in the thread pool (and, for the public, the masking's look-up of
    persons): a dependency that does no I/O is `async`, and so is the route, as a plain `def` one (or
    its answer's validation) costs a hop and a thread switch on every request."""
    hops: list[str] = []
    run_sync = anyio.to_thread.run_sync

    async def counted(func: Callable[..., object], *args: object, **kwargs: Any) -> object:
        hops.append((func.func if isinstance(func, functools.partial) else func).__name__)
        return await run_sync(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    assert client.get("/check/uscc:HELD", headers=INV).status_code == 200
    assert hops == ["check_many"]
    hops.clear()
    assert client.get("/check/uscc:HELD?live=true").status_code == 200
    assert hops == ["check_many", "public_view"]
