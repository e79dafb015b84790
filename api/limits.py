"""Limits that keep one caller or one outage from holding the API: request body size, and a short
memory of the database being unreachable so every request answers 503 at once instead of each one
waiting out the driver's connection timeout and retries."""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import ApiError
from graph.store import NoDatabaseError


class DatabaseDown:
    """When Neo4j was last found unreachable; requests within `seconds` of it are answered 503 at once."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.until = 0.0

    def mark(self) -> None:
        self.until = time.monotonic() + self.seconds

    def check(self) -> None:
        if time.monotonic() < self.until:
            raise NoDatabaseError("Neo4j was unreachable moments ago; retry shortly (remembered briefly)")


def too_large(limit: int) -> ApiError:
    return ApiError(
        413,
        f"the request body is over {limit} bytes (IPCREDIT_MAX_BODY_BYTES)",
        code="too_large",
        detail={"limit_bytes": limit},
    )


class BodyLimit:
    """ASGI middleware: refuse a request body over `limit` bytes with 413, by its Content-Length or,
    without one, as soon as the bytes received pass the limit."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = next((v for k, v in scope.get("headers", []) if k == b"content-length"), None)
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _refuse(send, self.limit)
            return
        received = 0
        exceeded = False

        async def counted() -> Message:
            nonlocal received, exceeded
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                exceeded = True  # the app is told the client left; the 413 is sent instead of its answer
                return {"type": "http.disconnect"}
            return message

        async def unless_exceeded(message: Message) -> None:
            if not exceeded:
                await send(message)

        try:
            await self.app(scope, counted, unless_exceeded)
        except Exception:
            if not exceeded:
                raise
        if exceeded:
            await _refuse(send, self.limit)


async def _refuse(send: Send, limit: int) -> None:
    from api.errors import error_response  # the one error shape

    error = too_large(limit)
    response = error_response(error.status, error.code, error.message, error.detail)
    await send({"type": "http.response.start", "status": response.status_code, "headers": response.raw_headers})
    await send({"type": "http.response.body", "body": response.body})
