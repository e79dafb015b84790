"""One JSON shape for every error the API returns: `{"error": {"code", "message", "detail"}}`.

Clients (and the OpenAPI spec) can rely on it for 4xx and 5xx alike, including validation errors and
an unreachable database, so nothing leaks a stack trace or an HTML error page.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from neo4j.exceptions import ClientError, DriverError, Neo4jError, ServiceUnavailable, SessionExpired, TransientError
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

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


def install_error_handlers(app: FastAPI) -> None:
    """Map every failure to the one error shape; database outages become 503, never 500."""

    @app.exception_handler(ApiError)
    async def _api(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.detail)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _CODES.get(exc.status_code, "error")
        return error_response(exc.status_code, code, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in exc.errors()]
        return error_response(422, "invalid_request", "the request is not valid; see detail", errors)

    @app.exception_handler(NoDatabaseError)
    async def _no_db(request: Request, exc: NoDatabaseError) -> JSONResponse:
        return error_response(503, "database_unavailable", str(exc), headers={"Retry-After": "2"})

    @app.exception_handler(DriverError)
    async def _driver(request: Request, exc: DriverError) -> JSONResponse:
        if isinstance(exc, ServiceUnavailable | SessionExpired):  # unreachable, not one failing query
            request.app.state.database_down.mark()
        return _unavailable(exc)

    @app.exception_handler(Neo4jError)
    async def _neo4j(request: Request, exc: Neo4jError) -> JSONResponse:
        if isinstance(exc, TransientError):
            return _unavailable(exc)
        if isinstance(exc, ClientError):
            mapped = database_client_error(exc)
            return error_response(mapped.status, mapped.code, mapped.message, mapped.detail)
        log.error("Neo4j error: %s", exc)
        return error_response(500, "database_error", "the database refused the request", {"neo4j": exc.code})

    @app.exception_handler(Exception)
    async def _any(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return error_response(500, "internal_error", f"internal error: {type(exc).__name__}")


def _unavailable(exc: Exception) -> JSONResponse:
    kind = "unreachable" if isinstance(exc, ServiceUnavailable | SessionExpired) else "failing"
    return error_response(
        503,
        "database_unavailable",
        f"Neo4j is {kind}; retry shortly",
        {"cause": type(exc).__name__},
        {"Retry-After": "5"},
    )
