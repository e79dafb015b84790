"""The HTTP contract around the routes: which errors each operation documents, and figures shown rounded.

Errors are documented from what a route depends on, in one place (`ContractRoute`, the route class of
every JSON router), so no route lists them by hand and none can forget one: a caller (`X-API-Key`)
can be 401, a role check 403, a request body 413, any parameter or body 422, the store 503. A route
adds only what its own logic raises (404 `NOT_FOUND`, 409 `CONFLICT`, ...); every documented error
has the one `ErrorBody` model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from api.auth import RoleCheck, current_caller
from api.errors import ErrorBody
from api.routes.deps import get_store
from queries.shapes import showing

Responses = dict[int | str, dict[str, Any]]

NOT_FOUND: Responses = {404: {"description": "No such subject (or the thing the path names)"}}
CONFLICT: Responses = {409: {"description": "The state does not allow this step"}}

_BY_CAUSE = {
    401: "Unknown API key",
    403: "The caller's role may not do this",
    413: "The request body is over IPCREDIT_MAX_BODY_BYTES",
    422: "Invalid parameters or body",
    503: "Neo4j is unreachable; retry shortly",
}


def _calls(dependant: Dependant) -> Iterator[Any]:
    for sub in dependant.dependencies:
        yield sub.call
        yield from _calls(sub)


def _has_params(dependant: Dependant) -> bool:
    own = dependant.path_params or dependant.query_params or dependant.header_params or dependant.body_params
    return bool(own) or any(_has_params(sub) for sub in dependant.dependencies)


def possible_errors(route: APIRoute) -> set[int]:
    """The error statuses a route can answer by what it depends on."""
    calls = list(_calls(route.dependant))
    found: set[int] = set()
    if current_caller in calls:
        found.add(401)
    if any(isinstance(call, RoleCheck) for call in calls):
        found.add(403)
    if route.body_field is not None:
        found.add(413)
    if _has_params(route.dependant):
        found.add(422)
    if get_store in calls:
        found.add(503)
    return found


def documented(route: APIRoute) -> Responses:
    """The route's responses with its possible errors added, every error with the `ErrorBody` model."""
    responses: Responses = {status: dict(spec) for status, spec in route.responses.items()}
    for cause in sorted(possible_errors(route)):
        responses.setdefault(cause, {"description": _BY_CAUSE[cause]})
    for status, spec in responses.items():
        if str(status)[:1] in ("4", "5"):
            spec.setdefault("model", ErrorBody)
    return dict(sorted(responses.items(), key=lambda item: str(item[0])))


class ContractRoute(APIRoute):
    """The routers' route class: an operation in the schema documents the errors it can answer.

    What it depends on is known only once FastAPI has analysed the endpoint, so a route whose
    documented errors are incomplete is built a second time with them (once, at import).
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        if self.include_in_schema:
            responses = documented(self)
            if responses != self.responses:
                super().__init__(path, endpoint, **{**kwargs, "responses": responses})


class ShowFigures:
    """ASGI middleware: answers are shown, so figures (`queries.shapes.Figure`) serialise rounded."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        with showing():
            await self.app(scope, receive, send)
