"""Request and response models of the HTTP API (pydantic v2): the contract the OpenAPI spec shows."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from credit.freshness import CheckedView
from graph.schema import Label
from queries.shapes import Figure, Page


def kind_of(labels: list[str]) -> str:
    """The most specific kind of a node from its labels (agency before company, agent before person)."""
    for label in (Label.AGENCY, Label.AGENT, Label.COMPANY, Label.PERSON, Label.VIOLATION, Label.PATENT):
        if label in labels:
            return label.value.lower()
    return labels[0].lower() if labels else "node"


class SubjectHit(BaseModel):
    uid: str
    name: str | None
    kind: str
    credit_code: str | None = None
    level: str | None = None
    relevance: Figure = Field(description="how well the text matched (full-text relevance; exact uid or code first)")
    matched: str | None = Field(default=None, description="the name or alias the text matched")
    matched_on: str | None = Field(default=None, description="uid, credit_code, name or alias")


class SearchResult(Page[SubjectHit]):
    """The subjects found, best first."""

    query: str


class SubjectDetail(BaseModel):
    uid: str
    name: str | None
    kind: str
    labels: list[str]
    level: str | None
    properties: dict[str, Any]
    violations: list[dict[str, Any]]
    latest_assessment: dict[str, Any] | None
    counts: dict[str, int]


class AssessmentHistory(Page[dict[str, Any]]):
    """A subject's stored assessments, newest first."""

    uid: str


class GraphNode(BaseModel):
    id: str
    label: str
    kind: str
    level: str | None = None
    in_force: bool = False
    properties: dict[str, Any] = Field(default_factory=dict)


class GraphEdge(BaseModel):
    source: str
    target: str
    rel: str
    properties: dict[str, Any] = Field(default_factory=dict)


class Network(BaseModel):
    """A sub-graph around one or more subjects, as drawn on the visual pages."""

    root: str
    depth: int
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool = False


class CypherRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    query: str = Field(min_length=1, max_length=20_000, description="A read-only Cypher query")
    params: dict[str, Any] = Field(default_factory=dict, description="Query parameters ($name)")


class CypherResult(BaseModel):
    columns: list[str]
    rows: list[dict[str, Any]]
    row_count: int
    truncated: bool = Field(description="True when the row cap cut the result")
    elapsed_ms: float


class CheckItem(BaseModel):
    """One subject of a batch check: its check, or why there is none."""

    uid: str
    found: bool
    error: str | None = None
    evaluation: CheckedView | None = None


class BatchCheck(Page[CheckItem]):
    """The checks of a batch, one per distinct uid in the order given."""

    as_of: date


class BatchCheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    uids: list[str] = Field(min_length=1, description="Subject uids to check (at most IPCREDIT_BATCH_LIMIT)")
    as_of: str | None = Field(default=None, description="ISO date; today when omitted")


class AuditEvent(BaseModel):
    uid: str
    actor: str | None = None
    action: str | None = None
    target: str | None = None
    detail: str | None = None
    created_at: str | None = None


class QueryInfo(BaseModel):
    name: str
    description: str
    params: dict[str, Any] = Field(default_factory=dict)


class NamedQueryResult(BaseModel):
    name: str
    result: Any
