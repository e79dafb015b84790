"""The visual pages: drawing attributes from the sub-graph, offline HTML (no other host), the pages
served by the app, and `ipcredit viz` writing the same page to a file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api import viz
from api.i18n import Lang
from api.schemas import GraphEdge, GraphNode, Network
from graph.settings import get_settings
from graph.store import Store
from tests.api_fixtures import client, graph

__all__ = ["client", "graph"]
EXTERNAL = re.compile(r"""<(?:script|link|img|iframe)[^>]+(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)


def _network() -> Network:
    return Network(
        root="c:1",
        depth=1,
        nodes=[
            GraphNode(id="c:1", label="Root Co", kind="company", level="B"),
            GraphNode(id="c:2", label="Bad Co", kind="company", level="D"),
            GraphNode(id="p:1", label="Wang", kind="person"),
            GraphNode(id="v:1", label="CN_MALICIOUS_TM", kind="violation", in_force=True),
            GraphNode(id="phone:1", label="010", kind="phone"),
        ],
        edges=[
            GraphEdge(source="c:2", target="c:1", rel="SHAREHOLDER_OF", properties={"ratio": 0.5}),
            GraphEdge(source="c:2", target="v:1", rel="COMMITTED"),
            GraphEdge(source="p:1", target="phone:1", rel="USES_PHONE"),
            GraphEdge(source="p:1", target="c:1", rel="LEGAL_REP_OF"),
            GraphEdge(source="p:1", target="c:1", rel="OFFICER_OF", properties={"role": "director"}),
        ],
    )


def test_drawing_attributes() -> None:
    graph = viz.to_networkx(_network(), chain_nodes=["c:1", "c:2"], chain_edges=[("c:1", "c:2")], lang=Lang("en"))
    assert graph.nodes["c:2"]["color"]["background"] == viz.LEVEL_COLOURS["D"]
    assert graph.nodes["c:1"]["color"]["background"] == viz.LEVEL_COLOURS["B"]
    assert graph.nodes["p:1"]["color"]["background"] == viz.UNGRADED
    assert graph.nodes["v:1"]["shape"] == "star" and graph.nodes["v:1"]["color"]["background"] == viz.VIOLATION_RED
    assert graph.nodes["c:1"]["value"] > graph.nodes["c:2"]["value"] > graph.nodes["p:1"]["value"]  # root, chain, rest
    assert graph.nodes["c:2"]["color"]["border"] == viz.CHAIN_ORANGE
    assert graph.edges["c:2", "c:1"]["color"] == viz.CHAIN_ORANGE  # a chain edge, matched in either direction
    assert graph.edges["p:1", "phone:1"]["dashes"] is True
    assert "50%" in graph.edges["c:2", "c:1"]["label"]
    both = graph.edges["p:1", "c:1"]  # parallel ties become one line naming both
    assert "LEGAL_REP_OF" in both["title"] and "OFFICER_OF (role: director)" in both["title"]
    assert "level: D" in graph.nodes["c:2"]["title"]


def test_offline_page_has_everything_inline() -> None:
    html = viz.network_page(
        _network(), title="t <script>alert(1)</script>", inline=True, link_base=None, lang=Lang("en")
    )
    assert EXTERNAL.search(html) is None
    assert "vis-network" in html and "new vis.Network" in html
    assert "<script>alert(1)</script>" not in html  # titles are escaped
    assert '"c:2"' in html and "Legend" in html


def test_served_pages(client: TestClient) -> None:
    page = client.get("/ui/subject/uscc:HELD", params={"lang": "en"})
    assert page.status_code == 200
    assert EXTERNAL.search(page.text) is None
    assert '<script src="/static/vis-network/vis-network.min.js">' in page.text
    assert "uscc:RING" in page.text and "Dishonesty chains (" in page.text
    assert "张三丰" not in page.text and "110101199001011234" not in page.text  # public: masked
    assert client.get("/static/vis-network/vis-network.min.js").status_code == 200
    search = client.get("/ui/search", params={"q": "华为"})
    assert "/ui/subject/uscc%3ARING" in search.text or "/ui/subject/uscc:RING" in search.text
    home = client.get("/")
    assert home.status_code == 200 and 'action="/ui/search"' in home.text
    chains = client.get("/ui/chains/uscc:HELD")
    assert chains.status_code == 200 and "CN_MALICIOUS_TM" in chains.text
    path = client.get("/ui/paths", params={"from": "uscc:HELD", "to": "uscc:TWIN", "lang": "en"})
    assert path.status_code == 200 and re.search(r"\d+ hops?\b", path.text)
    assert client.get("/ui/subject/uscc:NOPE").status_code == 404


def test_cli_viz_writes_an_offline_page(graph: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from api.cli import app

    uri = graph.driver.get_server_info().address
    monkeypatch.setenv("NEO4J_URI", f"bolt://{uri.host}:{uri.port}")
    get_settings.cache_clear()
    try:
        out = tmp_path / "ring.html"
        result = CliRunner().invoke(app, ["viz", "uscc:HELD", "-o", str(out), "--depth", "2"])
        assert result.exit_code == 0, result.output
        html = out.read_text(encoding="utf-8")
        assert EXTERNAL.search(html) is None and "new vis.Network" in html
        assert "张三丰" in html  # the operator's file is not masked unless asked
        masked = tmp_path / "public.html"
        assert CliRunner().invoke(app, ["viz", "uscc:HELD", "-o", str(masked), "--public"]).exit_code == 0
        assert "张三丰" not in masked.read_text(encoding="utf-8")
        missing = CliRunner().invoke(app, ["viz", "uscc:NOPE", "-o", str(tmp_path / "x.html")])
        assert missing.exit_code == 1
    finally:
        get_settings.cache_clear()


def test_chain_highlights_follow_suspected_steps_through_the_contact_point() -> None:
    chain = {
        "path": ["c:1", "c:2"],
        "offender_uid": "c:2",
        "steps": [{"type": "USES_PHONE", "start": "c:1", "end": "c:2", "via": "phone:1"}],
        "violation": {"uid": "v:1"},
    }
    nodes, edges = viz.chain_highlights([chain])
    assert nodes == {"c:1", "c:2", "phone:1", "v:1"}
    assert edges == {("c:1", "phone:1"), ("c:2", "phone:1"), ("c:2", "v:1")}
