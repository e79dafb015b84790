"""The HTTP side of supervision by level: commitments (refused with reasons, recorded, verified, listed),
measures (listed, feedback, per-department CSV), agency cycles (run by admins, published); roles."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from credit.classify import classify_all
from credit.evaluate import today
from graph.store import Store
from tests.api_fixtures import HEADERS, client, graph

__all__ = ["client", "graph"]

INV, ADM = HEADERS["investigator"], HEADERS["admin"]


def commitment(uid: str) -> dict[str, str]:
    return {
        "subject_uid": uid,
        "matter": "priority examination",
        "text": "承诺材料真实",
        "due_by": "2030-01-01",
        "office": "市局",
    }


def test_commitments_over_http(client: TestClient) -> None:
    assert client.post("/commitments", json=commitment("uscc:CLEAN")).status_code in (401, 403)
    refused = client.post("/commitments", json=commitment("uscc:RING"), headers=INV)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "commitment_refused"
    assert any("violation:V1" in r for r in refused.json()["error"]["detail"]["reasons"])
    assert client.post("/commitments", json=commitment("uscc:NOPE"), headers=INV).status_code == 404

    made = client.post("/commitments", json=commitment("uscc:CLEAN"), headers=INV).json()
    body = {"outcome": "broken", "reason": "not met", "by": "officer"}
    assert client.post(f"/commitments/{made['uid']}/verify", json=body, headers=INV).status_code == 403
    done = client.post(f"/commitments/{made['uid']}/verify", json=body, headers=ADM)
    assert done.status_code == 200 and done.json()["behaviour_code"] == "CN_COMMITMENT_BROKEN"
    assert client.post(f"/commitments/{made['uid']}/verify", json=body, headers=ADM).status_code == 409
    listed = client.get("/commitments", params={"subject": "uscc:CLEAN"}, headers=INV).json()
    assert listed["total"] == 1 and listed["items"][0]["status"] == "broken"
    assert listed["items"][0]["record_uid"] == done.json()["violation_uid"]
    report = client.get("/report/uscc:CLEAN", headers=INV).json()
    assert [c["uid"] for c in report["commitments"]] == [made["uid"]]
    assert "text" not in report["commitments"][0]  # the promise itself stays with the staff list
    page = client.get("/ui/report/uscc:CLEAN", params={"lang": "en"}, headers=INV).text
    assert "Credit commitments" in page and "priority examination" in page and done.json()["violation_uid"] in page


def test_measures_and_agency_cycle_over_http(client: TestClient, graph: Store) -> None:
    classify_all(graph, today())
    assert client.get("/measures").status_code in (401, 403)
    page = client.get("/measures", params={"subject": "uscc:RING", "active": "true"}, headers=INV).json()
    assert page["total"] == 4 and {m["level"] for m in page["items"]} == {"D"}
    target = next(m for m in page["items"] if m["department"] == "awards")
    wrong = client.post(
        f"/measures/{target['uid']}/feedback", json={"department": "ip-office", "text": "x"}, headers=INV
    )
    assert wrong.status_code == 409
    assert (
        client.post("/measures/measure:none/feedback", json={"department": "a", "text": "x"}, headers=INV).status_code
        == 404
    )
    ok = client.post(
        f"/measures/{target['uid']}/feedback", json={"department": "awards", "text": "已取消评奖资格"}, headers=INV
    )
    assert ok.status_code == 200
    exported = client.get("/measures.csv", params={"department": "awards"}, headers=INV)
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [(r["uid"], r["feedback"].split(": ", 1)[1]) for r in rows] == [(target["uid"], "已取消评奖资格")]

    period = today().year
    assert client.post("/agencies/cycles", json={"period": period}, headers=INV).status_code == 403
    run = client.post("/agencies/cycles", json={"period": period}, headers=ADM)
    assert run.status_code == 200 and [e["agency_uid"] for e in run.json()["entries"]] == ["agency:A1"]
    assert client.get(f"/agencies/cycles/{period}").json()["entries"] == run.json()["entries"]
    assert client.get("/agencies/cycles/2001").status_code == 404  # a year never run
    for year in ("1999", "2101", "-1", str(2**63), "9" * 40):  # outside the years a cycle may name
        assert client.get(f"/agencies/cycles/{year}").status_code == 422, year
    listed = client.get("/lists/agency-cycle").json()
    assert [(e["subject_uid"], e["basis"][0]["code"]) for e in listed["entries"]] == [
        ("agency:A1", run.json()["entries"][0]["level"])
    ]
