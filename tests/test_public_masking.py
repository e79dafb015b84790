"""The public role receives no personal data: every secret value in the graph, collected with an admin key,
is looked for in every public response of every route in the OpenAPI spec and every HTML page."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from api.app import create_app
from api.masking import mask_name
from api.routes import lists, pages
from credit.classify import classify_all
from credit.register import run as publication_run
from graph.identity import is_opaque
from graph.store import Store
from queries.schema import make_uids_opaque
from tests.api_fixtures import HEADERS, api_settings, graph

__all__ = ["graph"]
ADMIN = HEADERS["admin"]

# Added to the shared graph: a natural person's home address, an agent with a licence, a second person
# with a legacy name-bearing uid, a violation whose description names a person, a business-centre address
# shared by companies only (public registry data), and a stored assessment whose factors quote a name.
EXTRA = """
MATCH (p:Person {uid: 'person:P1'}), (ring:Company {uid: 'uscc:RING'}), (v:Violation {uid: 'violation:V1'}),
      (ag:Agency {uid: 'agency:A1'}), (held:Company {uid: 'uscc:HELD'})
SET v.description = 'Filed by 张三丰 (ID 110101199001011234) on behalf of Ring'
CREATE (home:Address {uid: 'address:北京市朝阳区幸福里7号楼302', value: '北京市朝阳区幸福里7号楼302', source: 't',
        source_ref: '/srv/secret-path/persons.csv:3'})
CREATE (p)-[:LOCATED_AT]->(home)
CREATE (office:Address {uid: 'address:上海市浦东新区世纪大道100号', value: '上海市浦东新区世纪大道100号', source: 't',
        source_ref: 't'})
CREATE (ring)-[:LOCATED_AT]->(office), (held)-[:LOCATED_AT]->(office)
CREATE (agent:Subject:Person:Agent {uid: 'tipo-agent:REC9:kenneth-c-smith', name: 'Kenneth C Smith',
        name_norm: 'kenneth c smith', licence_no: 'L-77', birth_date: date('1971-03-17'),
        source: 't', source_ref: '/srv/secret-path/agents.xml:9'})
CREATE (agent)-[:AGENT_OF]->(ag)
CREATE (mobile:Phone {uid: 'phone:13912345678', value: '13912345678', source: 't', source_ref: 't'})
CREATE (agent)-[:USES_PHONE]->(mobile), (ring)-[:USES_PHONE]->(mobile)
CREATE (ring)-[:COMMITTED]->(:Violation {uid: 'violation:REPAIRED', behaviour_code: 'CN_MALICIOUS_TM',
        decided_on: date('2019-01-01'), status: 'repaired', source: 't', source_ref: 't'})
CREATE (ring)-[:COMMITTED]->(:Violation {uid: 'violation:REVOKED', behaviour_code: 'CN_MALICIOUS_TM',
        decided_on: date('2024-01-01'), status: 'revoked', source: 't', source_ref: 't'})
CREATE (ring)-[:COMMITTED]->(:Violation {uid: 'violation:EXPIRED', behaviour_code: 'CN_MALICIOUS_TM',
        decided_on: date('2018-01-01'), expires_on: date('2020-01-01'), status: 'in_force', source: 't',
        source_ref: 't'})
"""
ENDED = ("violation:REPAIRED", "violation:REVOKED", "violation:EXPIRED")
SECRETS = """
CALL {
  MATCH (p:Person) UNWIND [p.name, p.id_number, toString(p.birth_date), p.uid] + coalesce(p.aliases, []) AS s
  RETURN s
  UNION
  MATCH (c) WHERE c:Phone OR c:Email RETURN c.value AS s
  UNION
  MATCH (c) WHERE c:Phone OR c:Email RETURN c.uid AS s
  UNION
  MATCH (a:Address)<-[:LOCATED_AT]-(:Person) RETURN a.value AS s
  UNION
  MATCH (v:Violation) RETURN v.description AS s
  UNION
  MATCH (n) WHERE n.source_ref CONTAINS '/' RETURN n.source_ref AS s
  UNION
  MATCH (o:Objection) RETURN o.reason AS s
  UNION
  MATCH (e:AuditEvent) UNWIND [e.actor, e.reason] AS s RETURN s
}
RETURN collect(DISTINCT s) AS secrets
"""


def _secrets(client: TestClient) -> set[str]:
    found = client.post("/cypher", json={"query": SECRETS}, headers=ADMIN).json()["rows"][0]["secrets"]
    secrets = {s for s in found if isinstance(s, str) and len(s) >= 3}
    # a person's uid is a secret only while it embeds personal data (opaque uids are what the public sees)
    staff = {"王小明", "Officer Jane Doe"}  # names given in `by` by the people acting
    return {s for s in secrets if not is_opaque(s) and s != "person:P1"} | {"secret-path"} | staff


@pytest.fixture(params=["legacy uids", "migrated uids"])
def public_client(request: pytest.FixtureRequest, graph: Store) -> Iterator[TestClient]:
    graph.write(EXTRA)
    if request.param == "migrated uids":
        assert make_uids_opaque(graph) == 6  # two phones, an email, two addresses, an agent
    classify_all(graph)
    publication_run(graph, date.today())
    with TestClient(create_app(api_settings(), store=graph)) as client:
        objection = client.post(
            "/objections",
            json={"violation_uid": "violation:V1", "reason": "张三丰 says the record is wrong", "by": "王小明"},
            headers=HEADERS["investigator"],
        ).json()
        client.post(
            f"/objections/{objection['objection_uid']}/resolve",
            json={"outcome": "rejected", "reason": "王小明 checked it", "by": "Officer Jane Doe"},
            headers=ADMIN,
        )
        yield client


def _texts(response: Any) -> list[str]:
    text = response.text
    out = [text, html.unescape(text)]
    if response.headers.get("content-type", "").startswith("application/json"):
        out.append(json.dumps(response.json(), ensure_ascii=False))
    return out


def _leaks(response: Any, secrets: set[str], sent: str = "") -> list[str]:
    """The secrets in a response, except those the caller sent itself (a search text, a uid echoed back)."""
    return sorted({s for s in secrets for t in _texts(response) if s in t and s not in sent})


def _requests(client: TestClient, uids: list[str], secrets: set[str]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(method, path, kwargs) for every route of the OpenAPI spec and every page (HTML routes are not in
    the spec), with every subject uid where one is taken."""
    names = [q["name"] for q in client.get("/queries").json()["items"]]
    operations = {path: list(ops) for path, ops in client.app.openapi()["paths"].items()}  # type: ignore[attr-defined]
    for route in [*pages.router.routes, *lists.router.routes]:
        if isinstance(route, APIRoute) and not route.include_in_schema:
            operations[route.path.replace(":path}", "}")] = [m.lower() for m in route.methods or ()]
    for path, methods in operations.items():
        for method in methods:
            if "{uid}" in path:
                for uid in uids:
                    yield method, path.replace("{uid}", uid), {}
            elif "{name}" in path:
                for name in names:
                    for uid in uids:
                        yield method, path.replace("{name}", name), {"json": {"uid": uid}}
            elif "{objection_uid}" in path:
                yield method, path.replace("{objection_uid}", "objection:x"), {"json": {"outcome": "upheld"}}
            elif path in ("/search", "/ui/search"):
                for q in [*secrets, *uids, "张", "Kenneth", "Smith"]:
                    yield method, path, {"params": {"q": q[:200]}}
            elif path in ("/paths", "/ui/paths"):
                for a in uids:
                    yield method, path, {"params": {"from": a, "to": "uscc:TWIN", "include_contacts": True}}
            elif path == "/check" and method == "post":
                yield method, path, {"json": {"uids": uids[:5]}}
                yield method, path, {"json": {"uids": uids[5:]}}
            elif method == "post":
                yield method, path, {"json": {}}
            else:
                yield method, path, {}


def test_no_secret_in_any_public_response(public_client: TestClient) -> None:
    secrets = _secrets(public_client)
    assert {"张三丰", "110101199001011234", "13912345678", "Kenneth C Smith", "北京市朝阳区幸福里7号楼302"} <= secrets
    uids = public_client.post(
        "/cypher", json={"query": "MATCH (s:Subject) RETURN s.uid AS uid ORDER BY uid"}, headers=ADMIN
    ).json()["rows"]
    subject_uids = [r["uid"] for r in uids]
    calls = 0
    for method, path, kwargs in _requests(public_client, subject_uids, secrets):
        response = public_client.request(method, path, **kwargs)
        calls += 1
        assert response.status_code < 500, (method, path, response.text[:300])
        sent = path + json.dumps(kwargs, ensure_ascii=False)
        assert not _leaks(response, secrets, sent), (method, path, _leaks(response, secrets, sent))
    assert calls > 200


def test_the_sweep_would_see_a_leak(public_client: TestClient) -> None:
    """The same requests with an investigator key do show the secrets: the sweep looks where they are."""
    secrets = _secrets(public_client)
    seen: set[str] = set()
    for path in ("/subjects/person:P1", "/network/uscc:RING?depth=2", "/report/uscc:RING", "/history/uscc:RING"):
        response = public_client.get(path, headers=HEADERS["investigator"])
        seen.update(_leaks(response, secrets))
    assert {"张三丰", "110101199001011234", "北京市朝阳区幸福里7号楼302", "13912345678"} <= seen


def test_public_view_keeps_what_is_public(public_client: TestClient) -> None:
    net = public_client.get("/network/uscc:RING", params={"depth": 2}).json()
    labels = {n["label"] for n in net["nodes"]}
    assert "上海市浦东新区世纪大道100号" in labels  # a company office: registry data
    assert "华为测试科技有限公司" in labels and mask_name("张三丰") in labels
    phones = [n for n in net["nodes"] if n["kind"] == "phone"]
    assert len(phones) == 2 and len({p["id"] for p in phones}) == 2 and len({p["label"] for p in phones}) == 2
    assert all("•••" in p["label"] for p in phones)  # pseudonyms: two phones stay two nodes


def test_public_search_is_no_oracle_for_names(public_client: TestClient) -> None:
    for q in ("张三丰", "Kenneth C Smith", "Smith", "kenneth"):
        public = public_client.get("/search", params={"q": q}).json()["items"]
        assert not any(h["kind"] in ("person", "agent") for h in public), q
    known = public_client.get("/search", params={"q": "Kenneth Smith"}, headers=HEADERS["investigator"]).json()
    assert any(h["kind"] == "agent" for h in known["items"])


def test_public_sees_only_published_records(public_client: TestClient, graph: Store) -> None:
    paths = (
        "/subjects/uscc:RING",
        "/network/uscc:RING",
        "/check/uscc:RING",
        "/report/uscc:RING",
        "/ui/subject/uscc:RING",
    )
    for path in paths:
        public = public_client.get(path).text
        assert "violation:V1" in public, path
        assert not [u for u in ENDED if u in public], path
    staff = public_client.get("/subjects/uscc:RING", headers=HEADERS["investigator"]).text
    assert all(u in staff for u in ENDED)
    # a record in force but whose publication has not started (no run yet) is not public either
    graph.write("MATCH (v:Violation {uid: 'violation:V1'}) REMOVE v.published_from")
    for path in paths:
        assert "violation:V1" not in public_client.get(path).text, path
    assert "violation:V1" in public_client.get("/subjects/uscc:RING", headers=HEADERS["investigator"]).text
