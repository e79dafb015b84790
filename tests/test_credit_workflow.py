"""Objections and credit repair: suspension, upheld and rejected outcomes, repair granted and refused
with reasons, audit events, re-evaluation of the subjects touched, and the CLI's exit statuses."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from typer.testing import CliRunner

from api.cli import app
from credit.evaluate import evaluate
from credit.policy import default_policy
from credit.workflow import (
    ObjectionRequest,
    Outcome,
    RepairRefusedError,
    RepairRequest,
    ResolveRequest,
    StepResult,
    WorkflowError,
    file_objection,
    repair,
    resolve_objection,
)
from graph.model import Level
from graph.settings import get_settings
from graph.store import Store
from tests.test_chains import make_graph

ON = date(2026, 6, 1)


def audit(store: Store, violation: str) -> list[str]:
    rows = store.read(
        "MATCH (e:AuditEvent)-[:ABOUT]->(:Violation {uid: $v}) RETURN e.action AS action ORDER BY e.created_at",
        {"v": violation},
    )
    return [str(r["action"]) for r in rows]


def ring(store: Store) -> None:
    make_graph(
        store,
        {"t:off": "Company", "t:rep": "Person", "t:other": "Company"},
        [("LEGAL_REP_OF", "t:rep", "t:off", {})],
        [
            ("v:1", "t:off", "CN_MALICIOUS_TM", "2026-01-01", {}),
            ("v:2", "t:other", "CN_FALSE_MATERIAL", "2025-06-01", {"penalty_done_on": date(2025, 8, 1)}),
            ("v:3", "t:other", "CN_COMMITMENT_BROKEN", "2025-07-01", {"penalty_done_on": date(2025, 8, 1)}),
            ("v:4", "t:other", "CN_EVADE_PENALTY", "2026-04-01", {}),
        ],
    )


def test_objection_suspends_then_rejected_restores_then_upheld_revokes(store: Store) -> None:
    policy = default_policy()
    ring(store)
    rep_before = evaluate(store, "t:rep", ON, policy)
    assert evaluate(store, "t:off", ON, policy).level == Level.D and rep_before.linked_deduction > 0

    filed = file_objection(store, ObjectionRequest(violation_uid="v:1", actor="alice", reason="wrong company", on=ON))
    assert filed.objection_uid
    assert filed.regraded == 2  # the offender and the subject whose chain reaches it
    changed = {c.uid: c for c in filed.changed}  # never assessed before: both change from None
    assert set(changed) == {"t:off", "t:rep"} and changed["t:off"].old is None and changed["t:off"].new == "A"
    off = evaluate(store, "t:off", ON, policy)
    assert evaluate(store, "t:rep", ON, policy).linked_deduction == 0
    assert off.records[0].note == "suspended by a pending objection"
    with pytest.raises(WorkflowError, match="pending"):
        repair(store, RepairRequest(violation_uid="v:1", actor="bob", reason="x", on=ON))

    rejected = resolve_objection(
        store, ResolveRequest(objection_uid=filed.objection_uid, outcome=Outcome.REJECTED, actor="carol", reason="ok")
    )
    assert {c.uid: (c.old, c.new) for c in rejected.changed}["t:off"] == ("A", "D")
    assert rejected.detail == "record effect restored"
    with pytest.raises(WorkflowError, match="already rejected"):
        resolve_objection(
            store, ResolveRequest(objection_uid=filed.objection_uid, outcome=Outcome.UPHELD, actor="c", reason="x")
        )

    second = file_objection(store, ObjectionRequest(violation_uid="v:1", actor="alice", reason="new facts", on=ON))
    assert second.objection_uid
    # filing suspends the record's effect at once: the maintained level moves then, not at the decision
    assert ("t:off", "D", "A") in {(c.uid, c.old, c.new) for c in second.changed}
    upheld = resolve_objection(
        store,
        ResolveRequest(
            objection_uid=second.objection_uid, outcome=Outcome.UPHELD, actor="carol", reason="proved", on=ON
        ),
    )
    assert upheld.detail == "record revoked" and upheld.regraded == 2
    assert "t:off" not in {c.uid for c in upheld.changed}  # still A: revoked, as it was while suspended
    assert evaluate(store, "t:rep", ON, policy).linked_deduction == 0
    status = store.read("MATCH (v:Violation {uid: 'v:1'}) RETURN v.status AS s, v.suspended_since AS x")[0]
    assert status == {"s": "revoked", "x": None}
    # before the upheld decision took effect, the record counted: history stays answerable
    assert evaluate(store, "t:off", date(2026, 5, 1), policy).level == Level.D
    steps = ["objection_filed", "repair_refused", "objection_rejected", "objection_filed", "objection_upheld"]
    assert audit(store, "v:1") == steps
    with pytest.raises(WorkflowError, match="no record"):
        file_objection(store, ObjectionRequest(violation_uid="v:none", actor="a", reason="r"))


def test_repair_granted_and_refused_with_reasons(store: Store) -> None:
    policy = default_policy()
    ring(store)
    day = date(2026, 5, 1)
    # too early and penalty not carried out
    with pytest.raises(RepairRefusedError) as refused:
        repair(store, RepairRequest(violation_uid="v:4", actor="bob", reason="asked", on=day))
    reasons = " | ".join(refused.value.reasons)
    assert "not before 2026-10-01" in reasons and "penalty" in reasons
    assert audit(store, "v:4") == ["repair_refused"]

    before = evaluate(store, "t:other", day, policy)
    granted = repair(store, RepairRequest(violation_uid="v:2", actor="bob", reason="conditions met", on=day))
    assert granted.regraded >= 1
    after = evaluate(store, "t:other", day, policy)
    deduction = policy.catalogue.behaviours["CN_FALSE_MATERIAL"].deduction
    assert after.score == pytest.approx(before.score + deduction)
    assert audit(store, "v:2") == ["repair_granted"]

    # a second repair of the same subject within 12 months is refused, though the record qualifies
    with pytest.raises(RepairRefusedError) as second:
        repair(store, RepairRequest(violation_uid="v:3", actor="bob", reason="again", on=day))
    assert any("no second repair" in r for r in second.value.reasons)
    assert len(second.value.reasons) == 1


def test_repair_refused_when_a_record_of_the_same_kind_followed(store: Store) -> None:
    make_graph(
        store,
        ["t:x"],
        [],
        [
            ("v:a", "t:x", "CN_FALSE_MATERIAL", "2025-08-01", {"penalty_done_on": date(2025, 9, 1)}),
            ("v:b", "t:x", "CN_FALSE_MATERIAL", "2026-01-01", {}),
        ],
    )
    with pytest.raises(RepairRefusedError) as refused:
        repair(store, RepairRequest(violation_uid="v:a", actor="bob", reason="asked", on=ON))
    assert refused.value.reasons == ["new record(s) of the same kind since: v:b"]


@pytest.fixture
def cli_env(neo4j_uri: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("NEO4J_URI", neo4j_uri)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_cli_check_chains_and_refusals(store: Store, cli_env: CliRunner) -> None:
    ring(store)
    out = cli_env.invoke(app, ["check", "t:rep", "--as-of", "2026-06-01", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["subject_uid"] == "t:rep" and data["chains"][0]["chain"]["offender_uid"] == "t:off"

    unknown = cli_env.invoke(app, ["check", "t:nobody"])
    assert unknown.exit_code == 1 and "no subject" in unknown.output

    chains = cli_env.invoke(app, ["chains", "t:rep", "--as-of", "2026-06-01"])
    assert chains.exit_code == 0 and "v:1" in chains.stdout

    refused = cli_env.invoke(app, ["repair", "v:4", "--by", "bob", "--reason", "asked", "--on", "2026-05-01"])
    assert refused.exit_code == 1 and "penalty" in refused.output

    bad_date = cli_env.invoke(app, ["check", "t:rep", "--as-of", "June"])
    assert bad_date.exit_code == 2 and "not a date" in bad_date.output

    filed = cli_env.invoke(app, ["object", "file", "v:1", "--by", "alice", "--reason", "wrong", "--on", "2026-06-01"])
    assert filed.exit_code == 0 and "objection_filed" in filed.stdout

    summary = cli_env.invoke(app, ["classify", "--as-of", "2026-06-01", "--json"])
    assert summary.exit_code == 0, summary.output
    assert json.loads(summary.stdout)["subjects"] == 3


def test_report_gathers_evaluation_history_objections_and_audit(store: Store) -> None:
    from credit.classify import classify_all
    from credit.evaluate import SubjectNotFoundError
    from credit.report import build_report

    ring(store)
    classify_all(store, date(2026, 5, 1))
    filed = file_objection(store, ObjectionRequest(violation_uid="v:1", actor="alice", reason="wrong", on=ON))
    report = build_report(store, "t:off", ON)
    assert report.subject.uid == "t:off" and report.subject.name == "t:off"
    assert report.evaluation.level == Level.A  # the record is suspended on that date
    assert [h.as_of for h in report.history] == [ON, date(2026, 5, 1)]  # re-graded after filing, then the run
    assert [h.level for h in report.history] == ["A", "D"]
    assert [o.uid for o in report.objections] == [filed.objection_uid]
    assert [a.action for a in report.audit] == ["objection_filed"]
    with pytest.raises(SubjectNotFoundError):
        build_report(store, "t:nobody")


def _race(*steps: Callable[[], object]) -> list[object]:
    """Run the steps at once on threads (released together); each result, or the exception it raised."""
    barrier = threading.Barrier(len(steps))

    def run(step: Callable[[], object]) -> object:
        barrier.wait()
        try:
            return step()
        except Exception as exc:  # the race's loser is part of the result
            return exc

    with ThreadPoolExecutor(len(steps)) as pool:
        return list(pool.map(run, steps))


def _events(store: Store, violation: str) -> list[dict[str, object]]:
    return store.read(
        "MATCH (e:AuditEvent)-[:ABOUT]->(:Violation {uid: $v}) RETURN e.uid AS uid, e.action AS action, "
        "e.target AS target, e.description AS detail ORDER BY e.created_at",
        {"v": violation},
    )


@pytest.mark.parametrize("round_", range(3))
def test_two_concurrent_resolutions_exactly_one_wins(store: Store, round_: int) -> None:
    ring(store)
    filed = file_objection(store, ObjectionRequest(violation_uid="v:1", actor="alice", reason="wrong", on=ON))
    assert filed.objection_uid
    outcomes = [Outcome.UPHELD, Outcome.REJECTED] if round_ % 2 == 0 else [Outcome.REJECTED, Outcome.UPHELD]
    requests = [ResolveRequest(objection_uid=filed.objection_uid, outcome=o, actor="c", reason="r") for o in outcomes]
    results = _race(*(lambda r=r: resolve_objection(store, r) for r in requests))
    won = [r for r in results if isinstance(r, StepResult)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1, results
    assert isinstance(lost[0], WorkflowError) and "already" in str(lost[0])
    events = _events(store, "v:1")
    assert [e["action"] for e in events] == ["objection_filed", won[0].action]
    assert events[-1]["uid"] == won[0].event_uid  # the event returned exists
    assert all(e["target"] == "v:1" and e["detail"] for e in events)
    state = store.read(
        "MATCH (ob:Objection)-[:OBJECTS_TO]->(v:Violation {uid: 'v:1'}) "
        "RETURN ob.status AS ob, coalesce(v.status, 'in_force') AS v"
    )
    expected = "revoked" if won[0].action == "objection_upheld" else "in_force"
    assert state == [{"ob": won[0].action.removeprefix("objection_"), "v": expected}]


@pytest.mark.parametrize("round_", range(3))
def test_a_repair_racing_a_resolution_is_consistent(store: Store, round_: int) -> None:
    """Whichever commits first, the other sees it: never a repaired *and* revoked record, never both
    granted, and every event a caller gets back exists."""
    ring(store)
    store.write("MATCH (v:Violation {uid: 'v:2'}) SET v.penalty_done_on = date('2025-08-01')")
    filed = file_objection(store, ObjectionRequest(violation_uid="v:2", actor="a", reason="r", on=ON))
    assert filed.objection_uid
    resolve = ResolveRequest(objection_uid=filed.objection_uid, outcome=Outcome.UPHELD, actor="c", reason="r", on=ON)
    fix = RepairRequest(violation_uid="v:2", actor="b", reason="r", on=ON)
    steps = [lambda: resolve_objection(store, resolve), lambda: repair(store, fix)]
    results = _race(*(steps if round_ % 2 == 0 else steps[::-1]))
    resolved = next(r for r in results if isinstance(r, StepResult) and r.action == "objection_upheld")
    repaired = [r for r in results if r is not resolved]
    assert len(repaired) == 1
    status = store.read("MATCH (v:Violation {uid: 'v:2'}) RETURN v.status AS s")[0]["s"]
    events = {str(e["uid"]): e["action"] for e in _events(store, "v:2")}
    assert events[resolved.event_uid] == "objection_upheld"
    if isinstance(repaired[0], RepairRefusedError):  # the objection was still pending, or the record revoked
        assert status == "revoked" and events[repaired[0].event_uid] == "repair_refused"
    else:
        raise AssertionError(f"a repair was granted on a record under a pending or upheld objection: {repaired}")


def test_a_resolution_that_changes_nothing_says_so(store: Store) -> None:
    ring(store)
    first = file_objection(store, ObjectionRequest(violation_uid="v:1", actor="a", reason="r", on=ON))
    second = file_objection(store, ObjectionRequest(violation_uid="v:1", actor="a", reason="r2", on=ON))
    assert first.objection_uid and second.objection_uid
    upheld = resolve_objection(
        store, ResolveRequest(objection_uid=first.objection_uid, outcome=Outcome.UPHELD, actor="c", reason="r", on=ON)
    )
    assert upheld.detail == "record revoked"
    rejected = resolve_objection(
        store,
        ResolveRequest(objection_uid=second.objection_uid, outcome=Outcome.REJECTED, actor="c", reason="r", on=ON),
    )
    assert rejected.detail == "the record is already revoked; its state is unchanged" and rejected.changed == []
    assert store.read("MATCH (v:Violation {uid: 'v:1'}) RETURN v.status AS s") == [{"s": "revoked"}]
    assert _events(store, "v:1")[-1]["detail"] == rejected.detail
