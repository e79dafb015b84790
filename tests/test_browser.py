"""A real browser (Debian's headless Chromium, driven by Playwright) opens the pages served by the app on
127.0.0.1: the network is drawn with all its nodes and no request leaves the machine; a 150-node page
has readable labels at its default zoom and the same layout on every load; a click adds a subject's
neighbours and a double-click opens its page; one chain can be focused; the path form finds a subject
by name; the view exports as PNG and CSV; a missing page is an HTML 404."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from api.app import create_app
from graph.local import free_port
from graph.store import Store
from tests.api_fixtures import api_settings, graph

__all__ = ["graph"]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def served(graph: Store) -> Iterator[str]:
    """The app on a free loopback port, in a thread, over the test graph."""
    port = free_port()
    config = uvicorn.Config(create_app(api_settings(), store=graph), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the app did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_subject_page_draws_its_network_offline(served: str, browser: Browser) -> None:
    expected = {
        n["id"] for n in httpx.get(f"{served}/network/uscc:HELD", params={"depth": 2}, timeout=60).json()["nodes"]
    }
    requested: list[str] = []
    page = browser.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{served}/ui/subject/uscc:HELD", wait_until="load")
    page.wait_for_function("window.ipcreditReady === true")
    drawn = page.evaluate("window.ipcreditNetwork.body.data.nodes.getIds()")
    assert set(drawn) == expected
    positions = page.evaluate("Object.keys(window.ipcreditNetwork.getPositions()).length")
    assert positions == len(expected)
    canvas = page.evaluate(
        "(() => { const c = document.querySelector('#network canvas'); return c ? [c.width, c.height] : null; })()"
    )
    assert canvas is not None and canvas[0] > 0 and canvas[1] > 0
    # double-click the offender's node: its own page opens
    _click_node(page, "uscc:RING", double=True)
    page.wait_for_url("**/ui/subject/uscc*RING")
    page.wait_for_function("window.ipcreditReady === true")
    assert requested, "the browser made no request at all"
    outside = [u for u in requested if not (u.startswith(("data:", "blob:")) or urlparse(u).hostname == "127.0.0.1")]
    assert outside == []


# A hub company with 30 shareholder companies of two officers each and 5 with twelve officers each:
# 156 nodes within two hops, the twelve-officer groups being leaves of one kind on one node.
HUB = """
CREATE (hub:Subject:Company {uid: 'uscc:HUB', name: '星河枢纽控股集团有限公司', source: 'test', source_ref: 'h'})
WITH hub
UNWIND range(0, 34) AS i
CREATE (c:Subject:Company {uid: 'uscc:C' + i, name: '星河关联第' + i + '号科技有限公司', source: 't', source_ref: 'c'})
CREATE (c)-[:SHAREHOLDER_OF {ratio: 0.02}]->(hub)
WITH c, i
UNWIND range(1, CASE WHEN i < 30 THEN 2 ELSE 12 END) AS j
CREATE (p:Subject:Person {uid: 'person:C' + i + '-' + j, name: '职员' + i + '之' + j, source: 'test', source_ref: 'p'})
CREATE (p)-[:OFFICER_OF {role: 'director'}]->(c)
"""


PAGE_TIMEOUT_MS = 180_000  # a generous bound for a loaded machine; nothing here measures speed


@pytest.fixture
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), "Debian's chromium is needed (make setup installs it)"
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def hub(graph: Store) -> Store:
    graph.write(HUB)
    return graph


def _open(browser: Browser, url: str) -> Page:
    page = browser.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    page.goto(url, wait_until="load")
    page.wait_for_function("window.ipcreditReady === true")
    return page


def _click_node(page: Page, uid: str, double: bool = False) -> None:
    box = page.evaluate(
        "(uid) => { const n = window.ipcreditNetwork; const d = n.canvasToDOM(n.getPositions([uid])[uid]);"
        " const r = document.getElementById('network').getBoundingClientRect(); return [r.left + d.x, r.top + d.y]; }",
        uid,
    )
    (page.mouse.dblclick if double else page.mouse.click)(box[0], box[1])


LABEL_PX = """() => {
  const n = window.ipcreditNetwork, scale = n.getScale(), out = {};
  for (const id of n.body.nodeIndices) {
    const node = n.body.nodes[id];
    if (node.options.label) out[id] = node.labelModule.fontOptions.size * scale;
  }
  return out;
}"""


def test_150_nodes_readable_at_the_default_zoom_and_laid_out_the_same_each_time(
    hub: Store, served: str, browser: Browser
) -> None:
    expected = httpx.get(f"{served}/network/uscc:HUB", params={"depth": 2}, timeout=180).json()["nodes"]
    assert len(expected) >= 150
    page = _open(browser, f"{served}/ui/subject/uscc:HUB")
    assert page.evaluate("window.ipcreditNodes.length") == len(expected)
    drawn = page.evaluate(LABEL_PX)  # every node drawn (the visible ones and the cluster nodes)
    clusters = [i for i in drawn if i.startswith("cluster:")]
    assert len(clusters) == 5  # each company's twelve officers are one node "12 persons"
    assert len(drawn) == len(expected) - 5 * 12 + 5
    small = {i: round(px, 1) for i, px in drawn.items() if px < 10}
    assert small == {}, f"labels under 10 px at the default zoom: {small}"
    first = page.evaluate("window.ipcreditNetwork.getPositions()")
    again = _open(browser, f"{served}/ui/subject/uscc:HUB")
    second = again.evaluate("window.ipcreditNetwork.getPositions()")
    assert first.keys() == second.keys()
    assert all(abs(first[i]["x"] - second[i]["x"]) < 1e-6 and abs(first[i]["y"] - second[i]["y"]) < 1e-6 for i in first)
    # a cluster opens on click into its members
    _click_node(again, clusters[0])
    again.wait_for_function("window.ipcreditNetwork.body.nodeIndices.every(i => !i.startsWith('cluster:0'))")


def test_click_adds_the_neighbours_double_click_opens_the_page(hub: Store, served: str, browser: Browser) -> None:
    page = _open(browser, f"{served}/ui/subject/person:C3-1?depth=1")
    ids = set(page.evaluate("window.ipcreditNodes.getIds()"))
    assert ids == {"person:C3-1", "uscc:C3"}
    _click_node(page, "uscc:C3")
    page.wait_for_function("window.ipcreditNodes.get('uscc:HUB') !== null")
    grown = set(page.evaluate("window.ipcreditNodes.getIds()"))
    assert grown - ids == {"uscc:HUB", "person:C3-2"}
    links = page.evaluate("window.ipcreditEdges.get().map(e => [e.from, e.to])")
    assert ["person:C3-2", "uscc:C3"] in links and ["uscc:C3", "uscc:HUB"] in links
    assert "星河关联第3号科技有限公司" in page.inner_text("#selected")
    _click_node(page, "uscc:C3", double=True)
    page.wait_for_url("**/ui/subject/uscc*C3")


def test_focus_one_chain_dims_the_rest(served: str, browser: Browser) -> None:
    page = _open(browser, f"{served}/ui/subject/uscc:HELD")
    buttons = page.locator("button.focus-chain")
    assert buttons.count() >= 1
    chains = page.evaluate("Array.from(document.querySelectorAll('ol.chains li')).map(li => li.textContent)")
    before = page.evaluate("Object.fromEntries(window.ipcreditNodes.get().map(n => [n.id, n.color.background]))")
    buttons.nth(0).click()
    after = page.evaluate("Object.fromEntries(window.ipcreditNodes.get().map(n => [n.id, n.color.background]))")
    focus = page.evaluate("document.getElementById('network').dataset.focus")
    assert focus == "0" and "CN_MALICIOUS_TM" in chains[0]
    kept = {i for i in after if after[i] == before[i]}
    dimmed = {i for i in after if after[i] != before[i]}
    assert {"uscc:HELD", "uscc:RING", "violation:V1"} <= kept and dimmed  # the chain stays, the rest fades
    assert "uscc:CLEAN" not in kept
    page.click("#show-all")
    restored = page.evaluate("Object.fromEntries(window.ipcreditNodes.get().map(n => [n.id, n.color.background]))")
    assert restored == before


def test_path_form_finds_the_other_party_by_name(served: str, browser: Browser) -> None:
    page = _open(browser, f"{served}/ui/subject/uscc:HELD")
    page.fill("#path-form input[name=to]", "Twin Phone")
    page.click("#path-form button[type=submit]")
    page.wait_for_url("**/ui/paths?**")
    page.wait_for_function("window.ipcreditReady === true")
    assert "Twin Phone Trading" in page.inner_text("h1") and "3 hops" in page.inner_text(".sub")
    on_path = page.evaluate("window.ipcreditNodes.get().filter(n => n.color.border === '#e6550d').map(n => n.id)")
    assert {"uscc:HELD", "uscc:TWIN"} <= set(on_path)


def test_export_png_and_csv_of_the_current_view(served: str, browser: Browser) -> None:
    page = _open(browser, f"{served}/ui/subject/uscc:HELD")
    with page.expect_download() as png_download:
        page.click("#export-png")
    png = Path(png_download.value.path()).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png_download.value.suggested_filename.endswith(".png")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    canvas = page.evaluate(
        "(() => { const c = document.querySelector('#network canvas'); return [c.width, c.height]; })()"
    )
    assert [width, height] == canvas
    with page.expect_download() as csv_download:
        page.click("#export-nodes")
    rows = Path(csv_download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert rows[0] == "id,name,kind,level"
    assert {r.split(",")[0] for r in rows[1:]} == set(page.evaluate("window.ipcreditNodes.getIds()"))
    with page.expect_download() as links_download:
        page.click("#export-links")
    links = Path(links_download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert "uscc:RING,uscc:HELD,SHAREHOLDER_OF" in links


def test_missing_page_is_an_html_404(served: str, browser: Browser) -> None:
    page = browser.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    response = page.goto(f"{served}/ui/subject/uscc:NOPE")
    assert response is not None and response.status == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "404" in page.inner_text("h1") and page.inner_text("#error-code") == "not_found"
    assert page.locator("form[action='/ui/search']").count() >= 1
