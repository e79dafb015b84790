"""Credit commitments: refused (level D, a serious record in force) with the reasons and audited;
verified as kept (a positive record) or broken/untrue (a broken-commitment record with the commitment
as evidence, re-graded); a second verification is a conflict."""

from __future__ import annotations

from datetime import date

import pytest

from credit.commitments import (
    CommitmentRefusedError,
    CommitmentRequest,
    Outcome,
    VerifyRequest,
    record_commitment,
    verify_commitment,
)
from credit.evaluate import evaluate
from credit.policy import default_policy
from credit.workflow import WorkflowError
from graph.model import Level
from graph.store import Store
from queries.commitments import commitments
from tests.test_chains import make_graph

ON = date(2026, 6, 1)


def ask(uid: str, made_on: date = ON) -> CommitmentRequest:
    return CommitmentRequest(
        subject_uid=uid,
        matter="fee reduction",
        text="我单位承诺所提交材料真实有效",
        made_on=made_on,
        due_by=date(2026, 9, 1),
        office="某市知识产权局",
        actor="clerk",
    )


def refusals(store: Store, uid: str) -> list[str]:
    rows = store.read(
        "MATCH (e:AuditEvent {action: 'commitment_refused'})-[:ABOUT]->(:Subject {uid: $u}) RETURN e.description AS d",
        {"u": uid},
    )
    return [str(r["d"]) for r in rows]


def test_route_refused_for_a_serious_record_and_for_level_d_with_the_reasons(store: Store) -> None:
    make_graph(
        store,
        ["t:serious", "t:general", "t:clean"],
        violations=[
            ("v:s", "t:serious", "CN_MALICIOUS_TM", "2026-01-01", {}),  # serious: D by the veto
            ("v:g1", "t:general", "CN_ABNORMAL_PATENT", "2026-01-01", {}),  # general, 30 + 30 + 30: D by score
            ("v:g2", "t:general", "CN_FALSE_MATERIAL", "2026-02-01", {}),
            ("v:g3", "t:general", "CN_EVADE_PENALTY", "2026-03-01", {}),
        ],
    )
    policy = default_policy()
    assert evaluate(store, "t:general", ON, policy).level == Level.D
    assert not [r for r in evaluate(store, "t:general", ON, policy).records if r.severity == "serious"]

    with pytest.raises(CommitmentRefusedError) as serious:
        record_commitment(store, ask("t:serious"))
    assert any("level is D" in r for r in serious.value.reasons)
    assert any("serious record(s) in force: v:s" in r for r in serious.value.reasons)
    with pytest.raises(CommitmentRefusedError) as level_d:
        record_commitment(store, ask("t:general"))
    assert level_d.value.reasons == ["the subject's credit level is D: no access to the commitment route (art. 9)"]
    assert refusals(store, "t:serious") == ["; ".join(serious.value.reasons)]
    assert refusals(store, "t:general") == ["; ".join(level_d.value.reasons)]
    assert commitments(store).total == 0

    # once the serious record no longer counts (before its decision) the route is open
    assert record_commitment(store, ask("t:serious", made_on=date(2025, 12, 1))).status == "pending"
    made = record_commitment(store, ask("t:clean"))
    page = commitments(store, subject="t:clean")
    assert page.total == 1 and page.items[0].uid == made.uid
    assert page.items[0].text == "我单位承诺所提交材料真实有效" and page.items[0].status == "pending"
    with pytest.raises(WorkflowError, match="no subject"):
        record_commitment(store, ask("t:nobody"))


def test_kept_makes_a_positive_record(store: Store) -> None:
    make_graph(store, ["t:co"])
    made = record_commitment(store, ask("t:co"))
    done = verify_commitment(
        store, VerifyRequest(commitment_uid=made.uid, outcome=Outcome.KEPT, reason="checked", actor="office", on=ON)
    )
    assert done.behaviour_code == "POS_COMMITMENT_KEPT"
    evaluation = evaluate(store, "t:co", ON, default_policy())
    assert [r.violation_uid for r in evaluation.records] == [done.violation_uid]
    assert evaluation.records[0].deduction < 0 and evaluation.score > default_policy().base_score
    assert commitments(store, subject="t:co").items[0].status == "kept"
    with pytest.raises(WorkflowError, match="already kept"):
        verify_commitment(
            store, VerifyRequest(commitment_uid=made.uid, outcome=Outcome.BROKEN, reason="x", actor="o", on=ON)
        )


@pytest.mark.parametrize("outcome", [Outcome.BROKEN, Outcome.UNTRUE])
def test_broken_or_untrue_makes_a_broken_commitment_record_as_evidence_and_regrades(
    store: Store, outcome: Outcome
) -> None:
    make_graph(store, {"t:co": "Company", "t:rep": "Person"}, [("LEGAL_REP_OF", "t:rep", "t:co", {})])
    made = record_commitment(store, ask("t:co"))
    done = verify_commitment(
        store,
        VerifyRequest(
            commitment_uid=made.uid,
            outcome=outcome,
            reason="not met",
            actor="office",
            on=ON,
            doc_number="承诺〔2026〕1号",
        ),
    )
    assert done.behaviour_code == "CN_COMMITMENT_BROKEN"
    evidence = store.read(
        "MATCH (:Subject {uid: 't:co'})-[:COMMITTED]->(v:Violation {uid: $v})-[:EVIDENCED_BY]->(c:Commitment) "
        "RETURN v.behaviour_code AS code, c.uid AS c, c.status AS status, v.doc_number AS doc",
        {"v": done.violation_uid},
    )
    assert evidence == [
        {"code": "CN_COMMITMENT_BROKEN", "c": made.uid, "status": outcome.value, "doc": "承诺〔2026〕1号"}
    ]
    # re-graded with the step as cause: the offender and the subject its chain reaches
    assert done.regraded == 2
    stored = store.read("MATCH (s:Subject {uid: 't:co'}) RETURN s.score AS score, s.record_uids AS records")[0]
    assert stored["records"] == [done.violation_uid]
    assert stored["score"] == evaluate(store, "t:co", ON, default_policy()).score < default_policy().base_score
    cause = store.read("MATCH (c:Change {subject_uid: 't:co'}) RETURN c.cause_kind AS k, c.cause_uid AS u")
    assert cause == [{"k": "workflow", "u": done.event_uid}]
