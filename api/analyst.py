"""Analyst Cypher: read queries only, decided from the server's own plan, never from the query text.

Before a query runs, the server plans it (`EXPLAIN`, in read access mode, with the same parameters).
Every operator of that plan, and the name of every procedure a `ProcedureCall` operator calls, must be
on the allow-list below; anything else (LOAD CSV, SHOW / TERMINATE commands, procedures not listed,
`CALL { … } IN TRANSACTIONS`, writes) is refused with 403 `refused`, naming the operator. A keyword
filter can be fooled by strings, comments and quoting; the plan is what the server will execute, so
it cannot. The query then runs in read access mode (the server refuses any write) with a timeout, a
row cap and a byte cap.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

from neo4j.exceptions import ClientError, DriverError, Neo4jError

from api.errors import ApiError, database_client_error
from api.schemas import CypherResult
from graph.store import ResultTooLargeError, Store

# Reads, joins, aggregation, ordering and paging: the operators a read-only query plans to.
ALLOWED_OPERATORS = frozenset(
    {
        # leaves: scans and seeks
        "AllNodesScan", "NodeByLabelScan", "UnionNodeByLabelsScan", "IntersectionNodeByLabelsScan",
        "SubtractionNodeByLabelsScan", "NodeByIdSeek", "NodeByElementIdSeek", "NodeIndexSeek",
        "NodeUniqueIndexSeek", "NodeIndexSeekByRange", "NodeUniqueIndexSeekByRange", "NodeIndexScan",
        "NodeIndexContainsScan", "NodeIndexEndsWithScan", "MultiNodeIndexSeek", "AssertingMultiNodeIndexSeek",
        "DirectedRelationshipByIdSeek", "UndirectedRelationshipByIdSeek", "DirectedRelationshipByElementIdSeek",
        "UndirectedRelationshipByElementIdSeek", "DirectedRelationshipIndexSeek", "UndirectedRelationshipIndexSeek",
        "DirectedRelationshipIndexSeekByRange", "UndirectedRelationshipIndexSeekByRange",
        "DirectedRelationshipIndexScan", "UndirectedRelationshipIndexScan", "DirectedRelationshipIndexContainsScan",
        "UndirectedRelationshipIndexContainsScan", "DirectedRelationshipIndexEndsWithScan",
        "UndirectedRelationshipIndexEndsWithScan", "DirectedRelationshipTypeScan", "UndirectedRelationshipTypeScan",
        "DirectedUnionRelationshipTypesScan", "UndirectedUnionRelationshipTypesScan",
        "DirectedAllRelationshipsScan", "UndirectedAllRelationshipsScan", "NodeCountFromCountStore",
        "RelationshipCountFromCountStore", "Argument", "ArgumentTracker",
        # expansion and paths
        "Expand(All)", "Expand(Into)", "OptionalExpand(All)", "OptionalExpand(Into)", "VarLengthExpand(All)",
        "VarLengthExpand(Into)", "VarLengthExpand(Pruning)", "VarLengthExpand(Pruning,BFS)",
        "BFSPruningVarExpand", "ShortestPath", "StatefulShortestPath(All)", "StatefulShortestPath(Into)",
        "Repeat(Trail)", "Repeat(Walk)", "BidirectionalRepeat(Trail)", "PathPropagatingBFS", "ProjectEndpoints",
        "TriadicSelection", "TriadicBuild", "TriadicFilter", "NullifyMetadata",
        # row operators
        "ProduceResults", "Filter", "Projection", "Unwind", "Limit", "ExhaustiveLimit", "Skip", "Sort",
        "PartialSort", "Top", "PartialTop", "Distinct", "OrderedDistinct", "Aggregation", "OrderedAggregation",
        "EagerAggregation", "Eager", "CacheProperties", "EmptyResult", "Optional", "Anti", "AssertSameNode",
        "AssertSameRelationship",
        # joins and subqueries
        "Apply", "SemiApply", "AntiSemiApply", "SelectOrSemiApply", "SelectOrAntiSemiApply", "LetSemiApply",
        "LetAntiSemiApply", "LetSelectOrSemiApply", "LetSelectOrAntiSemiApply", "RollUpApply", "ConditionalApply",
        "AntiConditionalApply", "CartesianProduct", "NodeHashJoin", "ValueHashJoin", "NodeLeftOuterHashJoin",
        "NodeRightOuterHashJoin", "Union", "OrderedUnion",
    }
)  # fmt: skip
# Procedures that only read the graph or its schema (full-text search included).
ALLOWED_PROCEDURES = frozenset(
    {
        "db.labels",
        "db.relationshipTypes",
        "db.propertyKeys",
        "db.schema.visualization",
        "db.schema.nodeTypeProperties",
        "db.schema.relTypeProperties",
        "db.index.fulltext.queryNodes",
        "db.index.fulltext.queryRelationships",
    }
)
_PROCEDURE_NAME = re.compile(r"\s*([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)\s*\(")


def _operators(plan: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(operator, details) for every operator of a plan tree, the server's `@database` suffix dropped."""
    details = plan.get("args", {}).get("Details")
    yield str(plan.get("operatorType", "")).split("@", 1)[0], str(details or "")
    for child in plan.get("children", []):
        yield from _operators(child)


def refusal(plan: dict[str, Any] | None) -> str | None:
    """Why the plan may not run (the first operator or procedure off the allow-list), or None when it may."""
    if not plan:
        return "the server gave no plan"
    for operator, details in _operators(plan):
        if operator not in ALLOWED_OPERATORS and operator != "ProcedureCall":
            return f"operator {operator} is not allowed"
        if operator == "ProcedureCall":
            found = _PROCEDURE_NAME.match(details)
            name = found.group(1) if found else details
            if name not in ALLOWED_PROCEDURES:
                return f"procedure {name} is not allowed (ProcedureCall)"
    return None


def check_plan(store: Store, query: str, params: dict[str, Any], *, timeout: float) -> None:
    """Plan the query on the server and raise 403 `refused` unless every operator is allowed."""
    why = refusal(store.explain(query, params, timeout=timeout))
    if why is not None:
        raise ApiError(403, f"refused: {why}", code="refused", detail={"reason": why})


def run_cypher(
    store: Store, query: str, params: dict[str, Any], *, timeout: float, max_rows: int, max_bytes: int
) -> CypherResult:
    """Run an analyst's query if its plan is allowed; map the server's refusals to clear API errors."""
    started = time.perf_counter()
    try:
        check_plan(store, query, params, timeout=timeout)
        rows, truncated = store.read_capped(query, params, timeout=timeout, max_rows=max_rows, max_bytes=max_bytes)
    except ResultTooLargeError as exc:
        raise ApiError(
            413,
            f"the result is over {exc.limit} bytes (IPCREDIT_CYPHER_MAX_BYTES); return fewer or smaller rows",
            code="result_too_large",
            detail={"limit_bytes": exc.limit, "rows_before_limit": exc.rows},
        ) from exc
    except ClientError as exc:
        raise database_client_error(exc) from exc
    except (ValueError, TypeError, OverflowError) as exc:
        raise ApiError(400, f"the parameters cannot be sent to Neo4j: {exc}", code="bad_params") from exc
    except (Neo4jError, DriverError):
        raise
    elapsed = (time.perf_counter() - started) * 1000
    columns = list(rows[0]) if rows else []
    return CypherResult(columns=columns, rows=rows, row_count=len(rows), truncated=truncated, elapsed_ms=elapsed)
