"""The API's own reads and writes (search, detail, history, audit) through `queries.subjects` and
`queries.audit`, and the pages' network.

Routers stay thin and call these; they know nothing of HTTP beyond raising `ApiError`.
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

from api import network_as_of, search_text
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
from graph.schema import Label
from graph.store import Store
from queries import audit as audit_log_of
from queries import subjects
from queries.catalogue import neighbourhood
from queries.traversal import UnknownSubjectError, subject_starts


def search(store: Store, query: str, limit: int, *, persons: bool, region: str | None = None) -> SearchResult:
    """Exact uid / credit-code matches first, then full-text matches on names and aliases (folded:
    `api.search_text`), each saying which name or alias matched; only in `region` when given.

    With `persons` false (the public role), natural persons are found only by their uid, which is what
    the public is shown of them: never by a name, so the search is no oracle for a full name.
    """
    text = query.strip()
    if not text:
        raise ApiError(422, "the search text is empty", code="invalid_request")
    found = subjects.lookup(store, text, region=region)
    lucene = search_text.terms(text)
    if lucene:
        found += subjects.search(store, lucene, search_text.fulltext_limit(limit), persons=persons, region=region)
    seen: set[str] = set()
    hits: list[SubjectHit] = []
    for match in found:
        if match.uid in seen:
            continue
        seen.add(match.uid)
        matched: str | None
        matched_on: str | None
        if match.exact:
            matched, matched_on = (match.uid, "uid") if match.uid == text else (match.credit_code, "credit_code")
        else:
            matched, matched_on = search_text.matched_name(text, match.name, match.aliases)
        hits.append(
            SubjectHit(
                uid=match.uid,
                name=match.name,
                kind=kind_of(match.labels),
                credit_code=match.credit_code,
                level=match.level,
                relevance=match.relevance,
                matched=matched,
                matched_on=matched_on,
            )
        )
    shown = hits[:limit]
    return SearchResult(query=text, items=shown, total=len(shown))


def subject(store: Store, uid: str) -> SubjectDetail:
    found = subjects.detail(store, uid)
    if found is None:
        raise not_found("subject", uid)
    latest = found.latest
    return SubjectDetail(
        uid=uid,
        name=found.props.get("name"),
        kind=kind_of(found.labels),
        labels=found.labels,
        level=latest.get("level") if latest else None,
        properties=found.props,
        violations=[_named(v) for v in found.violations],
        latest_assessment=latest,
        counts={
            "patents": found.patents,
            "trademarks": found.trademarks,
            "represented": found.represented,
            "ties": found.ties,
        },
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
    found = subjects.assessments(store, uid)
    if found is None:
        raise not_found("subject", uid)
    return AssessmentHistory(uid=uid, items=found, total=len(found))


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
    store: Store,
    uids: list[str],
    depth: int,
    *,
    max_nodes: int = 250,
    per_node: int = 40,
    per_contact: int = 15,
    as_of: date | None = None,
) -> Network:
    """The sub-graph within `depth` subject-hops of `uids` (the one neighbourhood), capped at `max_nodes`
    nodes; on a past date `as_of`, as it stood then (`api.network_as_of`)."""
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
    drawn_network = Network(
        root=uids[0],
        depth=depth,
        nodes=[drawn(n) for n in found.nodes],
        edges=list(edges.values()),
        truncated=found.truncated,
    )
    return drawn_network if as_of is None else network_as_of.as_of(drawn_network, as_of, uids)


def new_id() -> str:
    return uuid.uuid4().hex


def audit(store: Store, actor: str, action: str, target: str | None, detail: Any) -> str:
    """Store one audit event for a write done through the API; returns its uid."""
    uid = f"audit:{uuid.uuid4()}"
    text = json.dumps(detail, ensure_ascii=False, default=str)
    audit_log_of.record(store, uid=uid, actor=actor, action=action, target=target, detail=text)
    return uid


def audit_log(store: Store, target: str | None, limit: int) -> list[AuditEvent]:
    return [
        AuditEvent.model_validate({k: v for k, v in event.items() if k in AuditEvent.model_fields})
        for event in audit_log_of.events(store, target, limit)
    ]
