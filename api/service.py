"""The API's own reads and writes (search, detail, history, network, audit) over `queries/api/`.

Routers stay thin and call these; they know nothing of HTTP beyond raising `ApiError`.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from api.errors import ApiError, not_found
from api.schemas import (
    AssessmentHistory,
    AuditEvent,
    GraphEdge,
    GraphNode,
    Network,
    SearchResult,
    SubjectDetail,
    SubjectHit,
    kind_of,
)
from graph.cypher import cypher
from graph.schema import Label
from graph.store import Row, Store

_LUCENE_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/]|&&|\|\|)')
_LUCENE_WORDS = frozenset({"AND", "OR", "NOT", "TO"})


def lucene_escape(text: str) -> str:
    """User text as a Lucene query of plain terms: operators and syntax characters lose their meaning."""
    words = [_LUCENE_SPECIAL.sub(r"\\\1", w) for w in text.split()]
    return " ".join(w.lower() if w in _LUCENE_WORDS else w for w in words)


def search(store: Store, query: str, limit: int, *, persons: bool) -> SearchResult:
    """Exact uid / credit-code matches first, then full-text matches on names and aliases.

    With `persons` false (the public role), natural persons are found only by their uid, which is what
    the public is shown of them: never by a name, so the search is no oracle for a full name.
    """
    text = query.strip()
    if not text:
        raise ApiError(422, "the search text is empty", code="invalid_request")
    rows = store.read(cypher("api/lookup"), {"query": text})
    escaped = lucene_escape(text)
    if escaped:
        rows += store.read(cypher("api/search"), {"query": escaped, "limit": limit, "persons": persons})
    seen: set[str] = set()
    hits: list[SubjectHit] = []
    for row in rows:
        if row["uid"] in seen:
            continue
        seen.add(row["uid"])
        hits.append(
            SubjectHit(
                uid=row["uid"],
                name=row["name"],
                kind=kind_of(row["labels"]),
                credit_code=row["credit_code"],
                level=row["level"],
                score=float(row["score"]),
            )
        )
    return SearchResult(query=text, hits=hits[:limit])


def subject(store: Store, uid: str) -> SubjectDetail:
    rows = store.read(cypher("api/subject"), {"uid": uid})
    if not rows:
        raise not_found("subject", uid)
    row = rows[0]
    props: dict[str, Any] = row["props"]
    latest = row["latest"]
    return SubjectDetail(
        uid=uid,
        name=props.get("name"),
        kind=kind_of(row["labels"]),
        labels=row["labels"],
        level=latest.get("level") if latest else None,
        properties=props,
        violations=row["violations"],
        latest_assessment=latest,
        counts={k: int(row[k]) for k in ("patents", "trademarks", "represented", "ties")},
    )


def exists(store: Store, uids: list[str]) -> set[str]:
    return {row["node"]["uid"] for row in store.read(cypher("api/node_levels"), {"uids": uids})}


def require_subject(store: Store, uid: str) -> None:
    if uid not in exists(store, [uid]):
        raise not_found("subject", uid)


def history(store: Store, uid: str) -> AssessmentHistory:
    rows = store.read(cypher("api/assessments"), {"uid": uid})
    if not rows:
        raise not_found("subject", uid)
    return AssessmentHistory(uid=uid, assessments=rows[0]["assessments"])


def graph_node(node: Row, level: str | None) -> GraphNode:
    labels = [str(x) for x in node.get("_labels", [])]
    props = {k: v for k, v in node.items() if k != "_labels"}
    uid = str(props.get("uid"))
    label = props.get("name") or props.get("value") or props.get("behaviour_code") or props.get("title") or uid
    in_force = Label.VIOLATION in labels and props.get("status", "in_force") == "in_force"
    kind = kind_of(labels)
    if kind not in ("agency", "agent", "company", "person", "violation", "patent"):
        kind = labels[0].lower() if labels else "node"
    return GraphNode(id=uid, label=str(label), kind=kind, level=level, in_force=in_force, properties=props)


def node_rows(store: Store, uids: list[str]) -> list[Row]:
    """Subjects by uid with labels, properties and latest level (rows `node`, `level`)."""
    return store.read(cypher("api/node_levels"), {"uids": uids})


def network(
    store: Store, uids: list[str], depth: int, *, max_nodes: int = 250, per_node: int = 40, per_contact: int = 15
) -> Network:
    """The sub-graph within `depth` subject-hops of `uids`, breadth first, capped at `max_nodes` nodes."""
    roots = store.read(cypher("api/node_levels"), {"uids": uids})
    if len(roots) < len(set(uids)):
        missing = sorted(set(uids) - {r["node"]["uid"] for r in roots})
        raise not_found("subject", missing[0])
    nodes: dict[str, GraphNode] = {r["node"]["uid"]: graph_node(r["node"], r["level"]) for r in roots}
    edges: dict[tuple[str, str, str], GraphEdge] = {}
    frontier = list(nodes)
    expanded: set[str] = set()
    truncated = False
    for _ in range(depth):
        expanded.update(frontier)
        rows = store.read(
            cypher("api/network_hop"),
            {"frontier": frontier, "per_node": per_node, "per_contact": per_contact},
        )
        following: list[str] = []
        for row in rows:
            far = row["node"]
            far_uid = str(far.get("uid"))
            if far_uid not in nodes:
                if len(nodes) >= max_nodes:
                    truncated = True
                    continue
                nodes[far_uid] = graph_node(far, row["level"])
                if Label.SUBJECT in far.get("_labels", []) and far_uid not in expanded:
                    following.append(far_uid)
            if row["src"] in nodes and row["dst"] in nodes:
                key = (row["src"], row["dst"], row["rel"])
                edges[key] = GraphEdge(source=row["src"], target=row["dst"], rel=row["rel"], properties=row["rprops"])
        frontier = list(dict.fromkeys(following))
        if not frontier:
            break
    return Network(
        root=uids[0], depth=depth, nodes=list(nodes.values()), edges=list(edges.values()), truncated=truncated
    )


def new_id() -> str:
    return uuid.uuid4().hex


def audit(store: Store, actor: str, action: str, target: str | None, detail: Any) -> str:
    """Store one audit event for a write done through the API; returns its uid."""
    uid = f"audit:{uuid.uuid4()}"
    store.write(
        cypher("api/audit_record"),
        {
            "uid": uid,
            "actor": actor,
            "action": action,
            "target": target,
            "detail": json.dumps(detail, ensure_ascii=False, default=str),
        },
    )
    return uid


def audit_log(store: Store, target: str | None, limit: int) -> list[AuditEvent]:
    rows = store.read(cypher("api/audit_list"), {"target": target, "limit": limit})
    return [
        AuditEvent.model_validate({k: v for k, v in r["event"].items() if k in AuditEvent.model_fields}) for r in rows
    ]
