"""Batch classification: the same levels as single checks, assessments stored with history, and a
re-run with the same data, policy and date adds nothing."""

from __future__ import annotations

import json
from datetime import date

from credit.classify import classify_all
from credit.evaluate import evaluate
from credit.policy import default_policy
from graph.model import Level
from graph.store import Store
from tests.test_chains import make_graph

AS_OF = date(2026, 6, 1)


def small_ring(store: Store) -> list[str]:
    subjects = {
        "t:off": "Company",
        "t:rep": "Person",
        "t:sub": "Company",
        "t:sister": "Company",
        "t:far": "Company",
        "t:clean1": "Company",
        "t:clean2": "Person",
        "t:agency": "Agency",
    }
    make_graph(
        store,
        subjects,
        [
            ("LEGAL_REP_OF", "t:rep", "t:off", {}),
            ("SHAREHOLDER_OF", "t:off", "t:sub", {"ratio": 0.6}),
            ("SHAREHOLDER_OF", "t:rep", "t:sister", {"ratio": 0.1}),
            ("OFFICER_OF", "t:clean2", "t:clean1", {}),
            ("AGENT_OF", "t:rep", "t:agency", {}),
        ],
        [
            ("v:1", "t:off", "CN_MALICIOUS_TM", "2026-01-01", {}),
            ("v:old", "t:clean1", "CN_FALSE_MATERIAL", "2020-01-01", {"status": "expired"}),
        ],
        [("USES_PHONE", "t:far", "phone:1"), ("USES_PHONE", "t:sister", "phone:1")],
    )
    return list(subjects)


def stored(store: Store) -> list[dict[str, object]]:
    return store.read(
        "MATCH (a:Assessment)-[:OF]->(s:Subject) RETURN s.uid AS uid, a.uid AS auid, a.level AS level, "
        "a.score AS score, a.as_of AS as_of, a.factors AS factors"
    )


def test_classify_matches_single_checks_and_is_idempotent(store: Store) -> None:
    policy = default_policy()
    subjects = small_ring(store)
    summary = classify_all(store, AS_OF, policy)
    assert summary.subjects == len(subjects)
    assert summary.graded + summary.base == len(subjects)
    rows = stored(store)
    assert sorted(str(r["uid"]) for r in rows) == sorted(subjects)  # one assessment per subject
    levels = {str(r["uid"]): str(r["level"]) for r in rows}
    for uid in subjects:
        single = evaluate(store, uid, AS_OF, policy)
        assert levels[uid] == single.level.value, uid
    assert levels["t:off"] == Level.D
    assert levels["t:clean1"] == levels["t:clean2"] == Level.A  # an expired record and a clean officer
    assert sum(summary.levels.values()) == len(subjects)
    assert summary.levels[Level.D] == 1
    factors = {str(r["uid"]): json.loads(str(r["factors"])) for r in rows}
    assert factors["t:sub"]["chains"][0]["chain"]["violation"]["uid"] == "v:1"

    again = classify_all(store, AS_OF, policy)
    assert again.levels == summary.levels
    assert again.written == again.changes == 0  # an unchanged graph: nothing written
    rows_again = stored(store)
    assert sorted(str(r["auid"]) for r in rows_again) == sorted(str(r["auid"]) for r in rows)  # no duplicates


def test_history_is_kept_by_change_across_dates(store: Store) -> None:
    policy = default_policy()
    subjects = small_ring(store)
    first = classify_all(store, AS_OF, policy)
    assert first.written == len(subjects)  # everyone's first state
    later = date(2029, 6, 1)  # the serious record (36 months) has expired by then
    summary = classify_all(store, later, policy)
    rows = stored(store)
    moved = {"t:off", "t:rep", "t:sub", "t:sister", "t:agency", "t:far"} & {
        str(r["uid"]) for r in rows if r["level"] != Level.A or r["score"] != policy.base_score
    }
    assert summary.written == len(moved) > 0
    assert len(rows) == len(subjects) + len(moved)  # one more entry for each subject that changed, none else
    off = {str(r["as_of"]): str(r["level"]) for r in rows if r["uid"] == "t:off"}
    assert off == {AS_OF.isoformat(): Level.D, later.isoformat(): Level.A}
    assert summary.levels == {Level.A.value: len(subjects)}
    assert classify_all(store, later, policy).written == 0
