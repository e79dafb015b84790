"""The investigator pages beyond drawing: HTML errors for pages (JSON for the API), the network as of a
date, a layout seed that depends only on the sub-graph, chains through their contact point, the click
expansion (masked for the public), the path form by name and agency filing profiles."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

from api import viz
from api.network_as_of import as_of
from api.routes.pages import chain_network
from api.schemas import GraphEdge, GraphNode, Network
from tests.api_fixtures import HEADERS, client, graph

__all__ = ["client", "graph"]


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/ui/subject/uscc:NOPE", 404, "not_found"),
        ("/ui/nothing-here", 404, "not_found"),
        ("/ui/subject/uscc:HELD?depth=9", 422, "invalid_request"),
        ("/ui/chains/uscc:HELD?as_of=June", 422, "invalid_request"),
    ],
)
def test_pages_answer_errors_as_html_the_api_as_json(client: TestClient, path: str, status: int, code: str) -> None:
    page = client.get(path, headers={"accept": "text/html,application/xhtml+xml"})
    assert page.status_code == status and page.headers["content-type"].startswith("text/html")
    assert f'<code id="error-code">{code}</code>' in page.text and f'<h1 class="error-title">{status}' in page.text
    program = client.get(path, headers={"accept": "application/json"})
    assert program.status_code == status and program.json()["error"]["code"] == code
    api = client.get("/subjects/uscc:NOPE", headers={"accept": "text/html"})
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"


def test_a_page_during_an_outage_is_an_html_503(client: TestClient) -> None:
    client.app.state.database_down.mark()  # type: ignore[attr-defined]
    page = client.get("/ui/subject/uscc:HELD", headers={"accept": "text/html"})
    assert page.status_code == 503 and "database_unavailable" in page.text and page.headers["retry-after"]


def _dated() -> Network:
    return Network(
        root="c:1",
        depth=2,
        nodes=[
            GraphNode(id="c:1", label="Root", kind="company"),
            GraphNode(id="c:2", label="Old partner", kind="company"),
            GraphNode(id="c:3", label="New partner", kind="company"),
            GraphNode(id="c:4", label="Via new", kind="company"),
            GraphNode(
                id="v:1",
                label="R",
                kind="violation",
                in_force=True,
                properties={"decided_on": "2025-01-01", "expires_on": "2025-12-31"},
            ),
            GraphNode(id="v:2", label="R2", kind="violation", in_force=True, properties={"decided_on": "2026-03-01"}),
        ],
        edges=[
            GraphEdge(
                source="c:2",
                target="c:1",
                rel="SHAREHOLDER_OF",
                properties={"since": "2020-01-01", "until": "2025-06-01"},
            ),
            GraphEdge(source="c:3", target="c:1", rel="SHAREHOLDER_OF", properties={"since": "2025-03-01"}),
            GraphEdge(source="c:4", target="c:3", rel="SHAREHOLDER_OF"),
            GraphEdge(source="c:1", target="v:1", rel="COMMITTED"),
            GraphEdge(source="c:1", target="v:2", rel="COMMITTED"),
        ],
    )


def test_the_network_as_of_a_date() -> None:
    early = as_of(_dated(), date(2024, 6, 1), ["c:1"])
    assert {n.id for n in early.nodes} == {"c:1", "c:2"}  # the later tie, its far end, both records gone
    mid = as_of(_dated(), date(2025, 7, 1), ["c:1"])
    assert {n.id for n in mid.nodes} == {"c:1", "c:3", "c:4", "v:1"}  # c:2's tie ended in June
    late = as_of(_dated(), date(2026, 6, 1), ["c:1"])
    assert {n.id: n.in_force for n in late.nodes if n.kind == "violation"} == {"v:1": False, "v:2": True}


def test_network_route_takes_as_of(client: TestClient) -> None:
    now = {n["id"] for n in client.get("/network/uscc:HELD").json()["nodes"]}
    before = {n["id"] for n in client.get("/network/uscc:HELD", params={"as_of": "2025-01-01"}).json()["nodes"]}
    assert "violation:V1" in now and "violation:V1" not in before  # decided 2025-06-01
    page = client.get("/ui/subject/uscc:HELD", params={"as_of": "2025-01-01", "lang": "en"})
    assert page.status_code == 200 and 'value="2025-01-01"' in page.text and "as of 2025-01-01" in page.text


def test_layout_seed_depends_on_the_sub_graph_only() -> None:
    assert viz.layout_seed(["a", "b", "c"]) == viz.layout_seed(["c", "a", "b", "a"])
    assert viz.layout_seed(["a", "b", "c"]) != viz.layout_seed(["a", "b", "d"])
    nodes, _edges = viz.vis_data(viz.to_networkx(_dated()))
    assert [n["id"] for n in nodes] == sorted(n["id"] for n in nodes)


def test_a_suspected_step_is_drawn_through_its_contact_point() -> None:
    chain = {
        "path": ["c:1", "c:2"],
        "offender_uid": "c:2",
        "steps": [{"type": "USES_PHONE", "start": "c:1", "end": "c:2", "via": "phone:h.ab", "sharers": 2}],
        "violation": {"uid": "v:1", "behaviour_code": "X"},
    }
    drawn = chain_network("c:1", [chain], [GraphNode(id=u, label=u, kind="company") for u in ("c:1", "c:2")])
    assert {n.id: n.kind for n in drawn.nodes}["phone:h.ab"] == "phone"
    assert {(e.source, e.target) for e in drawn.edges} == {("c:1", "phone:h.ab"), ("c:2", "phone:h.ab"), ("c:2", "v:1")}


def test_expansion_is_drawn_like_the_page_and_masked(client: TestClient) -> None:
    public = client.get("/ui/expand/uscc:HELD").json()
    ids = {n["id"] for n in public["nodes"]}
    assert {"uscc:HELD", "uscc:RING", "person:P1"} <= ids
    person = next(n for n in public["nodes"] if n["id"] == "person:P1")
    assert person["label"] == "张**" and "张三丰" not in str(public) and "110101199001011234" not in str(public)
    assert person["tooltip"].startswith("张**") and {"shape", "color", "value", "font"} <= set(person)
    staff = client.get("/ui/expand/uscc:HELD", headers=HEADERS["investigator"]).json()
    assert next(n for n in staff["nodes"] if n["id"] == "person:P1")["label"] == "张三丰"
    assert client.get("/ui/expand/uscc:NOPE", headers={"accept": "application/json"}).status_code == 404


def test_path_form_takes_a_name_and_offers_the_other_matches(client: TestClient) -> None:
    page = client.get("/ui/paths", params={"from": "uscc:HELD", "to": "Twin Phone", "lang": "en"})
    assert page.status_code == 200 and "Twin Phone Trading" in page.text and "3 hops" in page.text
    subject = client.get("/ui/subject/uscc:HELD")
    assert 'id="path-form"' in subject.text and 'name="from" value="uscc:HELD"' in subject.text
    missing = client.get("/ui/paths", params={"from": "uscc:HELD", "to": "nothing like this"})
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]


def test_agency_page_shows_its_filing_profile(client: TestClient) -> None:
    page = client.get("/ui/subject/agency:A1")
    assert page.status_code == 200 and "Filing profile" in page.text
    assert "filings handled: 1" in page.text and "tied to a record in force: 1 (100%)" in page.text
