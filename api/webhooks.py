"""Webhook delivery of watchlist events: each member event is POSTed as JSON with an event id
(`watchlist#seq`), retried with exponential backoff, and logged attempt by attempt. A list's cursor
moves only past a delivered event, so every event is delivered at least once, in order (a receiver
may see one twice, after a lost acknowledgement: the event id tells it so)."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable

from graph.store import Store
from queries.feed import Change, log_delivery, webhook_pending

TIMEOUT_S = 5.0


def post_json(url: str, payload: dict[str, object]) -> None:
    """POST `payload`; raises on a refused connection or a status other than 2xx."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json", "User-Agent": "ipcredit-webhook"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
        if not 200 <= response.status < 300:
            raise urllib.error.HTTPError(url, response.status, "not 2xx", response.headers, None)


def deliver_pending(
    store: Store,
    *,
    attempts: int = 5,
    backoff_s: float = 0.5,
    post: Callable[[str, dict[str, object]], None] = post_json,
    sleep: Callable[[float], object] = time.sleep,
) -> int:
    """Deliver every pending event once round; returns how many were delivered. A list whose event
    still fails after `attempts` tries stops there until the next round (order kept, nothing skipped)."""
    delivered = 0
    for pending in webhook_pending(store):
        for change in pending.changes:
            if not _deliver(store, pending.watchlist_uid, pending.webhook, change, attempts, backoff_s, post, sleep):
                break
            delivered += 1
    return delivered


def _deliver(
    store: Store,
    watchlist_uid: str,
    url: str,
    change: Change,
    attempts: int,
    backoff_s: float,
    post: Callable[[str, dict[str, object]], None],
    sleep: Callable[[float], object],
) -> bool:
    event_id = f"{watchlist_uid}#{change.seq}"
    payload: dict[str, object] = {"event_id": event_id, "watchlist": watchlist_uid, "change": change.model_dump()}
    for attempt in range(1, attempts + 1):
        error: str | None = None
        try:
            post(url, payload)
        except (OSError, ValueError) as exc:  # URLError and HTTPError are OSErrors
            error = f"{type(exc).__name__}: {exc}"[:500]
        log_delivery(
            store, watchlist_uid=watchlist_uid, event_id=event_id, seq=change.seq, attempt=attempt, error=error
        )
        if error is None:
            return True
        if attempt < attempts:
            sleep(backoff_s * 2 ** (attempt - 1))
    return False


class Deliverer:
    """A background thread delivering pending events every `interval_s` seconds (the API runs one)."""

    def __init__(self, store: Store, interval_s: float) -> None:
        self.store = store
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ipcredit-webhooks", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=TIMEOUT_S * 2)

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                deliver_pending(self.store, sleep=self._stop.wait)
            except Exception:
                continue
