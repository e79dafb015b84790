"""A real browser (Debian's headless Chromium, driven by Playwright) opens a subject page served by the
app on 127.0.0.1: the network is drawn with all its nodes, clicking a subject opens its page, and no
request leaves the machine."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest
import uvicorn

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


def test_subject_page_draws_its_network_offline(served: str) -> None:
    assert CHROMIUM.exists(), "Debian's chromium is needed (make setup installs it)"
    from playwright.sync_api import sync_playwright

    expected = {
        n["id"] for n in httpx.get(f"{served}/network/uscc:HELD", params={"depth": 2}, timeout=60).json()["nodes"]
    }
    requested: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page()
            page.on("request", lambda request: requested.append(request.url))
            page.goto(f"{served}/ui/subject/uscc:HELD", wait_until="load")
            page.wait_for_function("window.ipcreditNetwork !== undefined", timeout=30_000)
            drawn = page.evaluate("window.ipcreditNetwork.body.data.nodes.getIds()")
            assert set(drawn) == expected
            positions = page.evaluate("Object.keys(window.ipcreditNetwork.getPositions()).length")
            assert positions == len(expected)
            canvas = page.evaluate(
                "(() => { const c = document.querySelector('#network canvas'); "
                "return c ? [c.width, c.height] : null; })()"
            )
            assert canvas is not None and canvas[0] > 0 and canvas[1] > 0
            # click the offender's node: its own page opens
            page.wait_for_timeout(500)
            page.evaluate("window.ipcreditNetwork.setOptions({physics: false})")
            box = page.evaluate(
                "(() => { const n = window.ipcreditNetwork; const p = n.getPositions(['uscc:RING'])['uscc:RING'];"
                " const d = n.canvasToDOM(p); const r = document.getElementById('network').getBoundingClientRect();"
                " return [r.left + d.x, r.top + d.y]; })()"
            )
            page.mouse.click(box[0], box[1])
            page.wait_for_url("**/ui/subject/uscc*RING", timeout=15_000)
            page.wait_for_function("window.ipcreditNetwork !== undefined", timeout=30_000)
        finally:
            browser.close()
    assert requested, "the browser made no request at all"
    outside = [u for u in requested if not (u.startswith("data:") or urlparse(u).hostname == "127.0.0.1")]
    assert outside == []
