"""One JSON shape for every error the API returns: `{"error": {"code", "message", "detail"}}`.

Clients (and the OpenAPI spec) can rely on it for 4xx and 5xx alike, including validation errors and
an unreachable database, so nothing leaks a stack trace or an HTML error page.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from neo4j.exceptions import ClientError, DriverError, Neo4jError, ServiceUnavailable, SessionExpired, TransientError
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from api.error_pages import error_page, wants_html
from graph.store import NoDatabaseError

log = logging.getLogger("ipcredit.api")

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    500: "internal_error",
    501: "not_available",
    503: "database_unavailable",
    504: "timeout",
}


class ErrorInfo(BaseModel):
    code: str
    message: str
    detail: Any = None


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: ErrorInfo


class ApiError(Exception):
    """An error with its HTTP status and stable code, raised anywhere below the routers."""

    def __init__(self, status: int, message: str, *, code: str | None = None, detail: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or _CODES.get(status, "error")
        self.message = message
        self.detail = detail


def not_found(what: str, key: str) -> ApiError:
    return ApiError(404, f"no {what} with uid {key!r}", detail={"uid": key})


def database_client_error(exc: ClientError) -> ApiError:
    """A database client error as a 4xx, never a 500: writes 403, timeouts 408, security 403, the rest 400."""
    code = exc.code or ""
    message = exc.message or str(exc)
    if code.endswith("Statement.AccessMode") or ("write" in message.lower() and "read" in message.lower()):
        return ApiError(
            403,
            "refused: this endpoint is read-only and the query writes",
            code="write_refused",
            detail={"neo4j": code},
        )
    if "TransactionTimedOut" in code or "Transaction.Terminated" in code or "timed out" in message.lower():
        return ApiError(
            408, "the query ran past its time limit and was stopped", code="query_timeout", detail={"neo4j": code}
        )
    if code.startswith("Neo.ClientError.Security"):
        return ApiError(403, f"refused by the database: {message}", code="refused", detail={"neo4j": code})
    return ApiError(400, f"the query failed: {message}", code="cypher_error", detail={"neo4j": code})


def error_response(status: int, code: str, message: str, detail: Any = None, headers: Any = None) -> JSONResponse:
    body = ErrorBody(error=ErrorInfo(code=code, message=message, detail=jsonable_encoder(detail)))
    return JSONResponse(status_code=status, content=body.model_dump(), headers=headers)


def _reply(request: Request, response: JSONResponse) -> Response:
    """The JSON error, or the same error as an HTML page when a person asked for a page."""
    if not wants_html(request):
        return response
    error = json.loads(bytes(response.body))["error"]
    headers = {k: v for k, v in response.headers.items() if k.lower() == "retry-after"}
    return error_page(request, response.status_code, error["code"], error["message"], headers)


def install_error_handlers(app: FastAPI) -> None:
    """Map every failure to the one error shape (an HTML page for the pages); database outages become
    503, never 500."""

    @app.exception_handler(ApiError)
    async def _api(request: Request, exc: ApiError) -> Response:
        return _reply(request, error_response(exc.status, exc.code, exc.message, exc.detail))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = _CODES.get(exc.status_code, "error")
        response = error_response(exc.status_code, code, str(exc.detail), headers=getattr(exc, "headers", None))
        return _reply(request, response)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in exc.errors()]
        if wants_html(request):
            where = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in errors)
            return error_page(request, 422, "invalid_request", where or "the request is not valid")
        return error_response(422, "invalid_request", "the request is not valid; see detail", errors)

    @app.exception_handler(NoDatabaseError)
    async def _no_db(request: Request, exc: NoDatabaseError) -> Response:
        return _reply(request, error_response(503, "database_unavailable", str(exc), headers={"Retry-After": "2"}))

    @app.exception_handler(DriverError)
    async def _driver(request: Request, exc: DriverError) -> Response:
        if isinstance(exc, ServiceUnavailable | SessionExpired):  # unreachable, not one failing query
            request.app.state.database_down.mark()
        return _reply(request, _unavailable(exc))

    @app.exception_handler(Neo4jError)
    async def _neo4j(request: Request, exc: Neo4jError) -> Response:
        if isinstance(exc, TransientError):
            return _reply(request, _unavailable(exc))
        if isinstance(exc, ClientError):
            mapped = database_client_error(exc)
            return _reply(request, error_response(mapped.status, mapped.code, mapped.message, mapped.detail))
        log.error("Neo4j error: %s", exc)
        return _reply(
            request, error_response(500, "database_error", "the database refused the request", {"neo4j": exc.code})
        )

    @app.exception_handler(Exception)
    async def _any(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error", exc_info=exc)
        return _reply(request, error_response(500, "internal_error", f"internal error: {type(exc).__name__}"))


def _unavailable(exc: Exception) -> JSONResponse:
    kind = "unreachable" if isinstance(exc, ServiceUnavailable | SessionExpired) else "failing"
    return error_response(
        503,
        "database_unavailable",
        f"Neo4j is {kind}; retry shortly",
        {"cause": type(exc).__name__},
        {"Retry-After": "5"},
    )
