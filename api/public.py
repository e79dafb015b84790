"""The middleware that masks every JSON response to a public caller, once, on its final body.

Routes return what they found; this is the one place the public view of JSON is made, so a new route
cannot forget it. The API docs and static files are left alone; HTML pages mask the data they render
(`api.domain.shown`).
"""

from __future__ import annotations

import json
from typing import Any

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.auth import Role, resolve_caller
from api.domain import public_view
from api.errors import ApiError

_UNMASKED = ("/openapi.json", "/docs", "/redoc", "/static/", "/static-offline-docs/")


def _is_public(scope: Scope) -> bool:
    key = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"x-api-key"), None)
    try:
        return resolve_caller(scope["app"].state.settings, key).role == Role.PUBLIC
    except ApiError:  # an unknown key: the route answers 401, which is masked like any public answer
        return True


class PublicMasking:
    """ASGI middleware: buffer a public caller's JSON response, mask it, send it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(_UNMASKED) or not _is_public(scope):
            await self.app(scope, receive, send)
            return
        start: Message = {}
        body = bytearray()

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                body.extend(message.get("body", b""))
                if not message.get("more_body", False):
                    await self._send(scope, start, bytes(body), send)
            else:
                await send(message)

        await self.app(scope, receive, capture)

    async def _send(self, scope: Scope, start: Message, body: bytes, send: Send) -> None:
        headers: list[tuple[bytes, bytes]] = list(start.get("headers", []))
        content_type = next((v for k, v in headers if k == b"content-type"), b"")
        if content_type.startswith(b"application/json") and body:
            data: Any = json.loads(body)
            masked = await anyio.to_thread.run_sync(public_view, scope["app"].state.store, data)
            body = json.dumps(masked, ensure_ascii=False, separators=(",", ":")).encode()
            headers = [(k, v) for k, v in headers if k != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})
