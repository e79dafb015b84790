"""Measures applied: entering a level starts its measures (the serious-only ones only with a serious
record in force), each with its department and planned end; leaving the level ends them, whatever
path re-grades (classification, workflow step); re-grading unchanged changes nothing; departments
record feedback on their own measures only; the per-department CSV is the list."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from credit.classify import classify_all
from credit.measures_applied import FeedbackRequest, MeasureError, measures_csv, record_feedback
from credit.policy import add_months, default_policy
from credit.supervision_rules import default_rules
from credit.workflow import ObjectionRequest, Outcome, ResolveRequest, file_objection, resolve_objection
from graph.store import Store
from queries.measures import MeasureNotFoundError, measures
from tests.test_chains import make_graph

ON = date(2026, 6, 1)


def active(store: Store, uid: str) -> dict[str, tuple[str, date]]:
    """rule -> (department, planned end) of the subject's active measures."""
    return {m.rule: (m.department, m.planned_end) for m in measures(store, subject=uid, active=True).items}


def graph(store: Store) -> None:
    make_graph(
        store,
        ["t:serious", "t:general", "t:poor", "t:clean"],
        violations=[
            ("v:s", "t:serious", "CN_MALICIOUS_TM", "2026-01-01", {}),
            ("v:g1", "t:general", "CN_ABNORMAL_PATENT", "2026-01-01", {}),
            ("v:g2", "t:general", "CN_FALSE_MATERIAL", "2026-02-01", {}),
            ("v:g3", "t:general", "CN_EVADE_PENALTY", "2026-03-01", {}),
            ("v:p", "t:poor", "CN_ABNORMAL_PATENT", "2026-01-01", {}),
        ],
    )


def test_levels_start_their_measures_graded_by_severity_and_rerun_changes_nothing(store: Store) -> None:
    graph(store)
    classify_all(store, ON, default_policy())
    rules = {r.id: r for r in default_rules().applied}
    expected = {
        rule: (rules[rule].department, add_months(ON, rules[rule].months))
        for rule in ("d-key-supervision", "d-fee-review", "d-funding-review", "d-no-awards")
    }
    assert active(store, "t:serious") == expected
    assert active(store, "t:general") == {k: v for k, v in expected.items() if k != "d-no-awards"}  # no serious
    assert set(active(store, "t:poor")) == {"c-spot-checks", "c-fee-review"}
    assert active(store, "t:clean") == {}
    every = measures(store, limit=None)
    assert every.total == 4 + 3 + 2 and {m.started_on for m in every.items} == {ON}
    texts = {m.name_en for level in default_policy().measures.values() for m in level.measures}
    assert {m.measure for m in every.items} <= texts

    classify_all(store, ON, default_policy())  # nothing changed: nothing started or ended
    again = measures(store, limit=None)
    assert sorted(m.uid for m in again.items) == sorted(m.uid for m in every.items)
    assert all(m.ended_on is None for m in again.items)


def test_leaving_the_level_ends_its_measures_and_reentering_starts_new_ones(store: Store) -> None:
    graph(store)
    classify_all(store, ON, default_policy())
    first = {m.uid for m in measures(store, subject="t:serious").items}
    filed = file_objection(store, ObjectionRequest(violation_uid="v:s", actor="a", reason="not us", on=ON))
    assert active(store, "t:serious") == {}  # suspended: no longer D
    ended = measures(store, subject="t:serious", active=False).items
    assert {m.uid for m in ended} == first and {m.ended_on for m in ended} == {ON}
    assert {m.end_reason for m in ended} == {"level A"}

    later = date(2026, 7, 1)
    resolve_objection(
        store,
        ResolveRequest(
            objection_uid=str(filed.objection_uid), outcome=Outcome.REJECTED, actor="b", reason="r", on=later
        ),
    )
    restarted = measures(store, subject="t:serious", active=True).items
    assert len(restarted) == 4 and not {m.uid for m in restarted} & first
    assert {m.started_on for m in restarted} == {later}
    assert measures(store, subject="t:serious").total == 8  # the ended ones stay as history


def test_department_feedback_and_csv_export(store: Store) -> None:
    graph(store)
    classify_all(store, ON, default_policy())
    target = next(m for m in measures(store, subject="t:general").items if m.rule == "d-funding-review")
    done = record_feedback(
        store,
        FeedbackRequest(
            measure_uid=target.uid, department="science-funding", text="申请已驳回, 2026年项目", actor="dept", on=ON
        ),
    )
    with pytest.raises(MeasureError, match="executed by 'science-funding'"):
        record_feedback(store, FeedbackRequest(measure_uid=target.uid, department="awards", text="x", actor="d", on=ON))
    with pytest.raises(MeasureNotFoundError):
        record_feedback(
            store, FeedbackRequest(measure_uid="measure:none", department="awards", text="x", actor="d", on=ON)
        )
    shown = next(m for m in measures(store, subject="t:general").items if m.uid == target.uid)
    assert [(f.uid, f.text, f.department) for f in shown.feedback] == [
        (done.feedback_uid, "申请已驳回, 2026年项目", "science-funding")
    ]
    audited = store.read(
        "MATCH (e:AuditEvent {uid: $e})-[:ABOUT]->(:AppliedMeasure {uid: $m}) RETURN e.action AS a",
        {"e": done.event_uid, "m": target.uid},
    )
    assert audited == [{"a": "measure_feedback"}]

    page = measures(store, department="science-funding", limit=None)
    rows = list(csv.DictReader(io.StringIO(measures_csv(page.items))))
    assert sorted(r["subject_uid"] for r in rows) == ["t:general", "t:serious"]
    assert {r["department"] for r in rows} == {"science-funding"}
    row = next(r for r in rows if r["uid"] == target.uid)
    assert row["feedback"] == f"{ON}: 申请已驳回, 2026年项目" and row["planned_end"] == str(target.planned_end)
