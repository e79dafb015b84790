"""Agency evaluation cycles on synthetic data: the planted filing mill (no record of its own before
the cycle) is graded C or D through the records the cycle makes of its indicators, with the cycle as
evidence; indicators equal counts taken independently; the result list is stored and published
(`agency-cycle`); a second run makes no new record and the same result."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from credit.agency_cycles import evaluate_cycle, findings, published, standing
from credit.classify import classify_all
from credit.lists import ListName, public_list
from credit.policy import default_policy
from credit.supervision_rules import default_rules
from credit.workflow import WorkflowError
from graph.store import Store
from loaders.formats import reader_for
from loaders.pipeline import load
from queries.agencies import IndicatorRow
from synth.generator import generate

AS_OF = date(2026, 6, 30)  # the generator's reference day


def test_cycle_grades_the_planted_mill_and_publishes_the_result(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "synth"
    generate(out, 3000, seed=11)
    assert load(store, reader_for("csv")(out), rejects_path=None, batch_size=5000, resolve=False).total.rejected == 0
    truth = [json.loads(line) for line in (out / "truth.jsonl").read_text(encoding="utf-8").splitlines()]
    split = sorted(t["uid"] for t in truth if t["ring_kind"] == "patent_split")
    # the mill, found from the data as written: the agency filing for the patent-split ring
    mills = store.read(
        "MATCH (a:Agency)-[:REPRESENTS]->(:Patent)<-[:APPLICANT_OF]-(s:Subject) WHERE s.uid IN $split "
        "RETURN DISTINCT a.uid AS uid",
        {"split": split},
    )
    assert len(mills) == 1
    mill = mills[0]["uid"]
    classify_all(store, AS_OF, default_policy())
    assert store.read("MATCH (s:Subject {uid: $u}) RETURN s.level AS l", {"u": mill}) == [{"l": "A"}]
    with pytest.raises(WorkflowError, match="starts on 2027-01-01"):
        evaluate_cycle(store, 2027, AS_OF, actor="t")

    result = evaluate_cycle(store, 2026, AS_OF, actor="admin:test")
    entries = {e.agency_uid: e for e in result.entries}
    agencies = store.read("MATCH (a:Agency) RETURN a.uid AS uid")
    assert set(entries) == {r["uid"] for r in agencies}
    assert entries[mill].level in ("C", "D") and entries[mill].findings
    assert result.records_made == sum(len(e.findings) for e in result.entries)
    evidence = store.read(
        "MATCH (:Agency {uid: $u})-[:COMMITTED]->(v:Violation)-[:EVIDENCED_BY]->(c:AgencyCycle) "
        "RETURN v.behaviour_code AS code, c.uid AS cycle",
        {"u": mill},
    )
    assert sorted(r["code"] for r in evidence) == sorted(entries[mill].findings)
    assert {r["cycle"] for r in evidence} == {"agency-cycle:2026"}
    stored = store.read("MATCH (s:Subject {uid: $u}) RETURN s.level AS l", {"u": mill})[0]["l"]
    assert stored == entries[mill].level  # graded like any write: the maintained state moved
    # indicators against counts taken independently
    ind = entries[mill].indicators
    counted = store.read(
        "MATCH (a:Agency {uid: $u}) RETURN COUNT { (a)-[:REPRESENTS]->() } AS filings, "
        "COUNT { (:Agent)-[:AGENT_OF]->(a) } AS agents",
        {"u": mill},
    )[0]
    assert (ind.filings, ind.agents) == (counted["filings"], counted["agents"])
    rules = default_rules().agency_cycle
    assert ind.flagged_share > rules.flagged_share.above
    # worst first; the result list is stored and published
    order = ["D", "C", "B", "A", "A+"]
    assert [order.index(e.level) for e in result.entries] == sorted(order.index(e.level) for e in result.entries)
    assert published(store, period=2026) == result
    listed = public_list(store, ListName.AGENCY_CYCLE, AS_OF)
    assert {e.subject_uid: e.basis[0].code for e in listed.entries} == {u: e.level for u, e in entries.items()}

    again = evaluate_cycle(store, 2026, AS_OF, actor="admin:test")
    assert again.records_made == 0
    assert [(e.agency_uid, e.level, e.score) for e in again.entries] == [
        (e.agency_uid, e.level, e.score) for e in result.entries
    ]


def test_findings_follow_the_rules_thresholds() -> None:
    rules = default_rules().agency_cycle
    over = rules.filings_per_agent.over_median

    def row(uid: str, filings: int, agents: int, flagged: int = 0) -> IndicatorRow:
        return IndicatorRow(uid=uid, filings=filings, flagged=flagged, agents=agents, people_records=0)

    rows = [
        row("a", 100, 10),
        row("b", 100, 10),
        row("c", 100, 10),
        row("mill", int(10 * over) + 10, 1),  # just above the multiple of the median (10 per agent)
        row("edge", int(10 * over), 1),  # exactly at it: not above
        row("share", 100, 10, flagged=int(100 * rules.flagged_share.above) + 1),
        row("small", rules.min_filings - 1, 1, flagged=rules.min_filings - 1),  # too few filings to judge
        row("idle", 0, 3),
    ]
    agencies, median = standing(rows)
    assert median == 10.0  # over the agencies with filings
    found = {a: sorted(r.behaviour_code for r in rs) for a, rs in findings(agencies, rules).items()}
    assert found == {"mill": [rules.filings_per_agent.code], "share": [rules.flagged_share.code]}
    by_uid = {a.uid: a for a in agencies}
    assert by_uid["idle"].flagged_share == 0.0 and by_uid["mill"].per_agent_percentile == 1.0
