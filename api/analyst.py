"""Analyst Cypher: any read query, run in a read transaction with a timeout and a row cap.

The read transaction is the guard against writes: the server itself refuses them. On top of it, a few
read-only clauses that reach outside the graph (`LOAD CSV` reads files and URLs, `dbms.*` procedures
show server configuration) are refused before the query is sent.
"""

from __future__ import annotations

import re
import time
from typing import Any

from neo4j.exceptions import ClientError, DriverError, Neo4jError

from api.errors import ApiError
from api.schemas import CypherResult
from graph.store import Store

_COMMENTS = re.compile(r"//[^\n]*|/\*.*?\*/", re.DOTALL)
_STRINGS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_DENIED = (
    (re.compile(r"\bLOAD\s+CSV\b", re.IGNORECASE), "LOAD CSV reads files and URLs outside the graph"),
    (re.compile(r"\bdbms\s*\.", re.IGNORECASE), "dbms.* procedures expose server administration"),
)


def refuse_outside_access(query: str) -> None:
    """Raise 403 for clauses that reach outside the graph (checked with comments and strings removed)."""
    code = _STRINGS.sub("''", _COMMENTS.sub(" ", query))
    for pattern, why in _DENIED:
        if pattern.search(code):
            raise ApiError(403, f"refused: {why}", code="refused", detail={"query": query[:200]})


def run_cypher(store: Store, query: str, params: dict[str, Any], *, timeout: float, max_rows: int) -> CypherResult:
    """Run an analyst's query read-only; map the server's refusals to clear API errors."""
    refuse_outside_access(query)
    started = time.perf_counter()
    try:
        rows, truncated = store.read_capped(query, params, timeout=timeout, max_rows=max_rows)
    except ClientError as exc:
        raise _client_error(exc) from exc
    except (ValueError, TypeError, OverflowError) as exc:
        raise ApiError(400, f"the parameters cannot be sent to Neo4j: {exc}", code="bad_params") from exc
    except (Neo4jError, DriverError):
        raise
    elapsed = (time.perf_counter() - started) * 1000
    columns = list(rows[0]) if rows else []
    return CypherResult(columns=columns, rows=rows, row_count=len(rows), truncated=truncated, elapsed_ms=elapsed)


def _client_error(exc: ClientError) -> ApiError:
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
