"""The benchmarks' own statements (`bench/cypher/*.cypher`, read by the project's statement loader
with `bench` as its root) and their runners: graph sizes, reproducible samples, and the bare CREATE
floor the load benchmark compares against. Credit statements come from `queries.credit`."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from graph.schema import Label, LinkKind, NodeKind
from graph.store import Store
from queries.statements import Statements

cypher = Statements("bench")


class GraphSize(BaseModel):
    subjects: int
    links: int


def graph_size(store: Store) -> GraphSize:
    return GraphSize.model_validate(store.read(cypher("cypher/count_subjects"))[0])


def count_label(store: Store, label: Label) -> int:
    return int(store.read(cypher("cypher/count_label", label=label))[0]["n"])


def sample_subjects(store: Store, n: int, step: int) -> list[str]:
    """Every `step`-th subject uid in uid order, at most `n`."""
    return list(store.read(cypher("cypher/sample_subjects"), {"n": n, "step": step})[0]["uids"])


def sample_agencies(store: Store, n: int) -> list[str]:
    return [str(row["uid"]) for row in store.read(cypher("cypher/sample_agencies"), {"n": n})]


def drop_assessments(store: Store, as_of: date) -> None:
    """Remove one day's assessments, so a re-run on a kept graph times a first classification again."""
    store.run_autocommit(cypher("cypher/drop_assessments"), {"as_of": as_of})


def create_nodes(kind: NodeKind) -> str:
    """The bare batched CREATE of one node kind (`$rows` of `props`), for timing writes alone."""
    extras = [label for label in kind.labels if label != kind.key_label] or [kind.key_label]
    return cypher("cypher/create_nodes", label=kind.key_label, second=extras[0], third=extras[-1])


def create_links(kind: LinkKind) -> str:
    """The bare batched CREATE of one link kind between nodes found by uid, for timing writes alone."""
    return cypher("cypher/create_links", start=kind.start, end=kind.end, rel=kind.rel)
