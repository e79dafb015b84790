"""The API's own reads and writes (search, detail, history, audit) over `queries/api/`, and the pages' network.

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
from credit.policy import default_policy
from graph.cypher import cypher
from graph.schema import Label
from graph.store import Store
from queries.catalogue import neighbourhood
from queries.traversal import UnknownSubjectError, subject_starts

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
        violations=[_named(v) for v in row["violations"]],
        latest_assessment=latest,
        counts={k: int(row[k]) for k in ("patents", "trademarks", "represented", "ties")},
    )


def _named(violation: dict[str, Any]) -> dict[str, Any]:
    """A record with its behaviour's names (from `credit/behaviours.toml`) beside the code."""
    found = default_policy().catalogue.get(str(violation.get("behaviour_code")))
    if found is None:
        return violation
    return {**violation, "behaviour_name_zh": found.name_zh, "behaviour_name_en": found.name_en}


def exists(store: Store, uids: list[str]) -> set[str]:
    return {n.uid for n in subject_starts(store, uids, strict=False).values() if n.uid is not None}


def require_subject(store: Store, uid: str) -> None:
    if uid not in exists(store, [uid]):
        raise not_found("subject", uid)


def history(store: Store, uid: str) -> AssessmentHistory:
    rows = store.read(cypher("api/assessments"), {"uid": uid})
    if not rows:
        raise not_found("subject", uid)
    return AssessmentHistory(uid=uid, assessments=rows[0]["assessments"])


def drawn(node: neighbourhood.GraphNode) -> GraphNode:
    """A sub-graph node as the pages draw it: label, kind, and whether a record is in force."""
    in_force = Label.VIOLATION in node.labels and (node.status or "in_force") == "in_force"
    return GraphNode(
        id=node.uid,
        label=node.name or node.uid,
        kind=kind_of(node.labels),
        level=node.level,
        in_force=in_force,
        properties=node.properties,
    )


def drawn_subjects(store: Store, uids: list[str]) -> list[GraphNode]:
    """The subjects among `uids` as the pages draw them (unknown uids left out)."""
    return [drawn(n) for n in neighbourhood.subject_nodes(store, uids)]


def network(
    store: Store, uids: list[str], depth: int, *, max_nodes: int = 250, per_node: int = 40, per_contact: int = 15
) -> Network:
    """The sub-graph within `depth` subject-hops of `uids` (the one neighbourhood), capped at `max_nodes` nodes."""
    params = neighbourhood.NeighbourhoodParams(
        uid=uids[0],
        also=uids[1:],
        depth=depth,
        max_nodes=max_nodes,
        types=list(neighbourhood.SUBJECT_NETWORK_TYPES),
        subject_hops=True,
        per_node=per_node,
        per_point=per_contact,
    )
    try:
        found = neighbourhood.neighbourhood(store, params)
    except UnknownSubjectError as exc:
        raise not_found("subject", exc.uids[0]) from exc
    edges = {
        (link.start, link.end, link.type): GraphEdge(
            source=link.start, target=link.end, rel=link.type, properties=link.properties
        )
        for link in found.links
    }
    return Network(
        root=uids[0],
        depth=depth,
        nodes=[drawn(n) for n in found.nodes],
        edges=list(edges.values()),
        truncated=found.truncated,
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
