"""Watchlists and the change feed over HTTP: owned by the key that made them, members' events by
sequence number, webhooks delivered at least once with retries and a delivery log (loopback receiver)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.webhooks import deliver_pending
from credit.classify import classify_all
from credit.workflow import ObjectionRequest, file_objection
from graph.store import Store
from tests.api_fixtures import HEADERS, api_settings, graph  # noqa: F401 (fixture)


class Receiver:
    """A webhook receiver on loopback that refuses its first `fail` requests with a 500."""

    def __init__(self, fail: int) -> None:
        self.fail = fail
        self.received: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if outer.fail > 0:
                    outer.fail -= 1
                    self.send_response(500)
                else:
                    outer.received.append(body)
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver(fail=2)
    yield found
    found.server.shutdown()


@pytest.fixture
def quiet_client(graph: Store) -> Iterator[TestClient]:  # noqa: F811
    """No delivery thread: the test runs the delivery rounds itself."""
    classify_all(graph)
    with TestClient(create_app(api_settings(webhook_interval_s=0), store=graph)) as test_client:
        yield test_client


def test_watchlist_receives_a_members_change_by_feed_and_webhook(
    quiet_client: TestClient,
    graph: Store,  # noqa: F811
    receiver: Receiver,
) -> None:
    client = quiet_client
    assert client.post("/watchlists", json={"name": "x", "uids": []}).status_code == 403  # public
    made = client.post(
        "/watchlists",
        json={"name": "suppliers", "uids": ["uscc:HELD"], "webhook": receiver.url},
        headers=HEADERS["investigator"],
    )
    assert made.status_code == 201, made.text
    watch = made.json()
    uid = watch["uid"]
    assert watch["members"] == ["uscc:HELD"] and watch["owner"].startswith("investigator:")
    added = client.post(
        f"/watchlists/{uid}/members", json={"uids": ["uscc:CLEAN", "uscc:HELD"]}, headers=HEADERS["investigator"]
    )
    assert added.json()["members"] == ["uscc:HELD", "uscc:CLEAN"]
    removed = client.delete(f"/watchlists/{uid}/members/uscc:CLEAN", headers=HEADERS["investigator"])
    assert removed.json()["members"] == ["uscc:HELD"]
    # another key sees neither the list nor its events
    assert client.get("/watchlists", headers=HEADERS["analyst"]).json() == {"items": [], "total": 0}
    assert client.get(f"/watchlists/{uid}/changes", headers=HEADERS["analyst"]).status_code == 404
    assert [w["uid"] for w in client.get("/watchlists", headers=HEADERS["investigator"]).json()["items"]] == [uid]

    head = client.get("/changes?since=0&limit=1000").json()["head"]
    held_before = client.get("/check/uscc:HELD").json()
    assert held_before["source"] == "maintained" and held_before["assessed_at"]
    step = file_objection(graph, ObjectionRequest(violation_uid="violation:V1", actor="t", reason="t"))

    events = client.get(f"/watchlists/{uid}/changes?since={head}", headers=HEADERS["investigator"]).json()
    held = [c for c in events["items"] if c["subject_uid"] == "uscc:HELD"]
    assert len(held) == 1 and held[0]["cause_kind"] == "workflow" and held[0]["cause_uid"] == step.event_uid
    assert held[0]["old_level"] == held_before["level"] != held[0]["new_level"]
    assert {c["subject_uid"] for c in events["items"]} == {"uscc:HELD"}  # members only
    feed = client.get(f"/changes?since={head}").json()
    assert {"uscc:HELD", "uscc:RING"} <= {c["subject_uid"] for c in feed["items"]}
    assert feed["next_since"] == feed["head"] == max(c["seq"] for c in feed["items"])
    after = client.get("/check/uscc:HELD?live=true").json()
    assert after["source"] == "live" and after["differs"] is False and after["level"] == held[0]["new_level"]

    assert deliver_pending(graph, backoff_s=0, sleep=lambda _: None) == 1
    assert [r["event_id"] for r in receiver.received] == [f"{uid}#{held[0]['seq']}"]
    assert receiver.received[0]["change"]["new_level"] == held[0]["new_level"]
    log = client.get(f"/watchlists/{uid}/deliveries", headers=HEADERS["investigator"]).json()["items"]
    assert sorted((d["attempt"], d["status"]) for d in log) == [(1, "failed"), (2, "failed"), (3, "delivered")]
    assert deliver_pending(graph, backoff_s=0, sleep=lambda _: None) == 0  # delivered once: the cursor moved


def test_undelivered_events_are_kept_for_the_next_round(
    quiet_client: TestClient,
    graph: Store,  # noqa: F811
    receiver: Receiver,
) -> None:
    receiver.fail = 10
    made = quiet_client.post(
        "/watchlists",
        json={"name": "w", "uids": ["uscc:HELD"], "webhook": receiver.url},
        headers=HEADERS["investigator"],
    ).json()
    file_objection(graph, ObjectionRequest(violation_uid="violation:V1", actor="t", reason="t"))
    assert deliver_pending(graph, attempts=3, backoff_s=0, sleep=lambda _: None) == 0
    receiver.fail = 0
    assert deliver_pending(graph, attempts=3, backoff_s=0, sleep=lambda _: None) == 1
    assert [r["watchlist"] for r in receiver.received] == [made["uid"]]
