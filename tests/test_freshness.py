"""Levels kept current: loads and workflow steps re-grade whom they can reach, history and events are
written only on change, the sequence is allocated in the database, checks read the maintained state,
the migration keeps every level, and random write sequences leave no difference with a full grading."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console
from typer.testing import CliRunner

from api.cli import app
from api.demo import watch_a_load
from credit.classify import classify_all
from credit.evaluate import evaluate, today
from credit.freshness import check_many, evaluate_set, regrade_after_load, verify
from credit.policy import default_policy
from credit.states import Cause, store_evaluations
from credit.workflow import (
    ObjectionRequest,
    Outcome,
    RepairRefusedError,
    RepairRequest,
    ResolveRequest,
    WorkflowError,
    file_objection,
    repair,
    resolve_objection,
)
from graph.settings import get_settings
from graph.store import Store
from loaders.formats import reader_for
from loaders.pipeline import load
from queries.feed import changes_since, head
from queries.schema import init_schema
from queries.statements import cypher
from tests.test_load_canonical import write_jsonl

SUBJECTS = [f"t-company:{i}" for i in range(6)] + [f"t-person:{i}" for i in range(3)]


def load_rows(store: Store, folder: Path, dataset: dict[str, list[dict[str, Any]]]) -> int:
    """Load a dataset transactionally and re-grade, as `ipcredit load` does; how many states changed."""
    path = write_jsonl(folder, dataset)
    summary = load(store, reader_for("jsonl")(path), rejects_path=folder / "rejects.jsonl", batch_size=50)
    for kind in dataset:
        (path / f"{kind}.jsonl").unlink()
    return regrade_after_load(store, summary.loaded_at).written


def base_dataset() -> dict[str, list[dict[str, Any]]]:
    subjects = [{"kind": "company", "uid": u, "name": u} for u in SUBJECTS if "company" in u]
    subjects += [{"kind": "person", "uid": u, "name": u} for u in SUBJECTS if "person" in u]
    ties: list[dict[str, Any]] = [
        {"kind": "legal_rep", "start_uid": "t-person:0", "end_uid": "t-company:0"},
        {"kind": "shareholder", "start_uid": "t-company:0", "end_uid": "t-company:1", "ratio": 0.6},
        {"kind": "officer", "start_uid": "t-person:1", "end_uid": "t-company:2", "role": "director"},
    ]
    return {"subjects": subjects, "ties": ties}


def violation(uid: str, subject: str, decided: date, code: str = "CN_MALICIOUS_TM") -> dict[str, Any]:
    done = (decided + timedelta(days=30)).isoformat()
    return {
        "uid": uid,
        "subject_uid": subject,
        "behaviour_code": code,
        "decided_on": decided.isoformat(),
        "penalty_done_on": done,
    }


def count(store: Store, label: str) -> int:
    return int(store.read(f"MATCH (n:{label}) RETURN count(n) AS n")[0]["n"])


def test_load_regrades_whom_it_reaches_and_writes_only_changes(store: Store, tmp_path: Path) -> None:
    load_rows(store, tmp_path, base_dataset())
    assert classify_all(store).written == 0  # the load already assessed everyone
    assert {r["level"] for r in store.read("MATCH (s:Subject) RETURN s.level AS level")} == {"A"}
    assessments, seq = count(store, "Assessment"), head(store)

    day = today() - timedelta(days=40)
    changed = load_rows(store, tmp_path, {"violations": [violation("t-v:1", "t-company:0", day)]})
    feed = changes_since(store, seq, 100)
    moved = {c.subject_uid: c for c in feed}
    assert moved["t-company:0"].new_level == "D" and moved["t-company:0"].new_records == ["t-v:1"]
    assert moved["t-company:0"].cause_kind == "record" and moved["t-company:0"].cause_uid == "t-v:1"
    assert "t-v:1" in moved["t-person:0"].new_chains and "t-v:1" in moved["t-company:1"].new_chains
    assert "t-company:2" not in moved  # not tied to the offender
    assert changed == count(store, "Assessment") - assessments == len(feed)
    assert [c.seq for c in feed] == list(range(seq + 1, seq + 1 + len(feed)))
    assert verify(store) == []

    before = count(store, "Assessment"), head(store)
    assert load_rows(store, tmp_path, {"violations": [violation("t-v:1", "t-company:0", day)]}) == 0  # same again
    assert classify_all(store).written == 0
    assert (count(store, "Assessment"), head(store)) == before

    # a new tie brings t-company:2 within reach: its cause is the tie
    load_rows(store, tmp_path, {"ties": [{"kind": "branch", "start_uid": "t-company:2", "end_uid": "t-company:0"}]})
    latest = {c.subject_uid: c for c in changes_since(store, before[1], 100)}
    assert latest["t-company:2"].cause_kind == "tie" and "t-v:1" in latest["t-company:2"].new_chains
    assert verify(store) == []


def test_workflow_steps_and_old_records_leave_the_state_equal_to_a_full_grading(store: Store, tmp_path: Path) -> None:
    load_rows(store, tmp_path, base_dataset())
    old = violation("t-v:old", "t-company:2", today() - timedelta(days=2000))
    recent = violation("t-v:1", "t-company:0", today() - timedelta(days=200), "CN_FALSE_MATERIAL")
    load_rows(store, tmp_path, {"violations": [old, recent]})
    assert verify(store) == []
    filed = file_objection(store, ObjectionRequest(violation_uid="t-v:1", actor="t", reason="t"))
    assert filed.regraded >= 2 and "t-company:0" in {c.uid for c in filed.changed}
    assert verify(store) == []
    assert filed.objection_uid is not None
    resolve_objection(
        store, ResolveRequest(objection_uid=filed.objection_uid, outcome=Outcome.REJECTED, actor="t", reason="t")
    )
    assert verify(store) == []
    repair(store, RepairRequest(violation_uid="t-v:1", actor="t", reason="t"))
    assert verify(store) == []
    assert store.read("MATCH (s:Subject {uid: 't-company:0'}) RETURN s.level AS level")[0]["level"] == "A"


def test_a_set_is_evaluated_as_single_checks_from_either_side(store: Store, tmp_path: Path) -> None:
    """Fewer subjects than offenders: one check each; more: the outward chains from every offender. Both
    give exactly the evaluation a single check gives, and skip an unknown uid."""
    load_rows(store, tmp_path, base_dataset())
    day = today() - timedelta(days=40)
    records = [violation("t-v:1", "t-company:0", day), violation("t-v:2", "t-person:1", day, "CN_FALSE_MATERIAL")]
    load_rows(store, tmp_path, {"violations": records})
    policy = default_policy()
    single = {uid: evaluate(store, uid, today(), policy) for uid in SUBJECTS}
    assert sum(1 for e in single.values() if e.chains) >= 3  # chains on both sides to compare
    for uids in ({"t-person:0"}, {*SUBJECTS, "t-company:unknown"}):  # 1 < 2 offenders < 10
        assert evaluate_set(store, uids, today(), policy) == [single[u] for u in sorted(uids) if u in single]


def test_checks_read_the_maintained_state_and_live_says_whether_it_differs(
    store: Store, tmp_path: Path, neo4j_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_rows(store, tmp_path, base_dataset())
    load_rows(store, tmp_path, {"violations": [violation("t-v:1", "t-company:0", today() - timedelta(days=40))]})
    kept = check_many(store, ["t-person:0", "t-nobody"])
    assert kept["t-nobody"] is None
    found = kept["t-person:0"]
    assert found is not None and found.source == "maintained" and found.assessed_at
    assert found.evaluation.model_dump(exclude={"measures"}) == evaluate(store, "t-person:0").model_dump(
        exclude={"measures"}
    )
    live = check_many(store, ["t-person:0"], live=True)["t-person:0"]
    assert live is not None and live.source == "live" and live.differs is False
    # a write that bypasses the write paths is seen by a live check, and by --verify
    store.write("MATCH (v:Violation {uid: 't-v:1'}) SET v.status = 'revoked'")
    live = check_many(store, ["t-person:0"], live=True)["t-person:0"]
    assert live is not None and live.differs is True and live.maintained_level != live.evaluation.level
    differences = {d.uid for d in verify(store)}
    assert {"t-company:0", "t-person:0"} <= differences
    monkeypatch.setenv("NEO4J_URI", neo4j_uri)
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["classify", "--verify", "--json"])
    assert result.exit_code == 1 and "t-company:0" in result.output
    classify_all(store)
    assert verify(store) == []
    result = CliRunner().invoke(app, ["classify", "--verify"])
    assert result.exit_code == 0, result.output
    changes = CliRunner().invoke(app, ["changes", "--since", "0", "--json"])
    assert changes.exit_code == 0 and '"new_level": "A"' in changes.output
    get_settings.cache_clear()


def test_sequence_is_allocated_in_the_database_under_concurrent_writers(store: Store) -> None:
    policy = default_policy()
    store.write("UNWIND range(0, 39) AS i CREATE (:Subject:Company {uid: 't:' + i, name: 'x'})")
    base = evaluate(store, "t:0", policy=policy)

    def writer(part: range) -> None:
        rows = [(base.model_copy(update={"subject_uid": f"t:{i}"}), Cause(kind="test")) for i in part]
        for row in rows:  # one transaction per subject: many small concurrent allocations
            store_evaluations(store, [row], version=policy.version)

    threads = [threading.Thread(target=writer, args=(range(n, 40, 4),)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seqs = sorted(c.seq for c in changes_since(store, 0, 1000))
    assert seqs == list(range(1, 41)) and head(store) == 40


def test_migration_turns_runs_into_history_without_losing_a_level(store: Store) -> None:
    store.write("CREATE (:Subject:Company {uid: 't:m', name: 'm'}), (:Subject:Company {uid: 't:n', name: 'n'})")
    runs = [
        ("2026-01-01", "A", 100.0, "{}"),
        ("2026-01-02", "A", 100.0, "{}"),
        ("2026-01-03", "D", 40.0, '{"x":1}'),
        ("2026-01-04", "D", 40.0, '{"x":1}'),
        ("2026-01-05", "A", 100.0, "{}"),
    ]
    for day, level, score, factors in runs:
        store.write(
            "MATCH (s:Subject {uid: 't:m'}) CREATE (:Assessment {uid: 'a:' + $day, level: $level, score: $score, "
            "factors: $factors, as_of: date($day), created_at: datetime($day + 'T00:00:00Z'), policy_version: 'p'})"
            "-[:OF]->(s)",
            {"day": day, "level": level, "score": score, "factors": factors},
        )
    store.write("MATCH (m:SchemaMigration {version: 6}) DETACH DELETE m")
    init_schema(store)
    kept = store.read("MATCH (a:Assessment)-[:OF]->(:Subject {uid: 't:m'}) RETURN a.level AS level ORDER BY a.as_of")
    assert [r["level"] for r in kept] == ["A", "D", "A"]  # every level it had, repeats collapsed
    state = store.read("MATCH (s:Subject {uid: 't:m'}) RETURN s.level AS level, s.factors AS factors")[0]
    assert state == {"level": "A", "factors": None}
    assert store.read("MATCH (s:Subject {uid: 't:n'}) RETURN s.level AS level")[0]["level"] is None


steps = st.lists(
    st.tuples(
        st.sampled_from(["violation", "tie", "contact", "object", "resolve", "repair"]),
        st.integers(0, len(SUBJECTS) - 1),
        st.integers(0, len(SUBJECTS) - 1),
        st.integers(0, 400),
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps)
def test_random_writes_leave_no_difference_with_a_full_grading(
    store: Store, tmp_path: Path, sequence: list[tuple[str, int, int, int]]
) -> None:
    store.run_autocommit(cypher("admin/clear_graph"))
    load_rows(store, tmp_path, base_dataset())
    for number, (action, a, b, days) in enumerate(sequence):
        _step(store, tmp_path, number, action, SUBJECTS[a], SUBJECTS[b], days)
        assert verify(store) == [], (number, action)


def _step(store: Store, folder: Path, number: int, action: str, a: str, b: str, days: int) -> None:
    records = [str(r["uid"]) for r in store.read("MATCH (v:Violation) RETURN v.uid AS uid ORDER BY uid")]
    if action == "violation":
        code = "CN_MALICIOUS_TM" if days % 2 else "CN_FALSE_MATERIAL"
        load_rows(store, folder, {"violations": [violation(f"t-v:{number}", a, today() - timedelta(days=days), code)]})
    elif action == "tie" and a != b:
        kind = "family" if "person" in a and "person" in b else "branch" if "company" in a else "legal_rep"
        start, end = (a, b) if kind != "legal_rep" or "person" in a else (b, a)
        if kind == "legal_rep" and "person" not in start:
            return
        load_rows(store, folder, {"ties": [{"kind": kind, "start_uid": start, "end_uid": end}]})
    elif action == "contact":
        load_rows(store, folder, {"contacts": [{"kind": "phone", "subject_uid": a, "value": f"+86 10 {days % 3}"}]})
    elif action in ("object", "repair") and records:
        target = records[days % len(records)]
        try:
            if action == "object":
                file_objection(store, ObjectionRequest(violation_uid=target, actor="t", reason="t"))
            else:
                repair(store, RepairRequest(violation_uid=target, actor="t", reason="t"))
        except (WorkflowError, RepairRefusedError):
            pass
    elif action == "resolve":
        pending = store.read("MATCH (o:Objection {status: 'pending'}) RETURN o.uid AS uid ORDER BY uid")
        if pending:
            outcome = Outcome.UPHELD if days % 2 else Outcome.REJECTED
            resolve_objection(
                store, ResolveRequest(objection_uid=str(pending[0]["uid"]), outcome=outcome, actor="t", reason="t")
            )


def test_demo_watchlist_receives_the_change_of_a_load(store: Store, tmp_path: Path) -> None:
    load_rows(store, tmp_path, base_dataset())
    truth = tmp_path / "truth.jsonl"
    truth.write_text('{"uid": "t-company:3", "ring": null, "role": "clean"}\n', encoding="utf-8")
    out = Console(record=True, width=300)
    watch_a_load(store, truth, tmp_path / "demo", out)
    text = out.export_text()
    assert "t-company:3: A -> B" in text and "demo-violation:1" in text, text
    again = Console(record=True, width=300)
    watch_a_load(store, truth, tmp_path / "demo", again)  # a re-run: loaded already, the event still listed
    text = again.export_text()
    assert "0 changed" in text and "t-company:3: A -> B" in text, text
