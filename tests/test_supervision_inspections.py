"""Random inspections by level: the same seed draws the same plan, each level's share holds within
rounding, every D subject is in, the cool-down is respected, a tied inspector is never drawn for that
subject, and a finding becomes a record that re-grades the subject."""

from __future__ import annotations

import io
import math
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rich.console import Console

from api.app import create_app
from api.demo import DEMO_PERIOD, supervise
from credit.classify import classify_all
from credit.supervision.inspections import (
    Inspector,
    PlanError,
    PlanRequest,
    ResultRequest,
    get_plan,
    load_roster,
    plan_inspections,
    record,
)
from credit.supervision.policy import supervision_policy
from graph.model import Level
from graph.settings import get_settings
from graph.store import Store

SIZES = {"A+": 100, "A": 200, "B": 100, "C": 50, "D": 7}
REGIONS = ("110108", "440305", "330106")
ROSTER = [Inspector(id=f"insp-{n}", name=f"Inspector {n}") for n in range(6)]


def _populate(store: Store) -> None:
    """Companies and agencies at each level (maintained state written directly), over three regions."""
    rows = []
    for level, n in SIZES.items():
        for i in range(n):
            rows.append(
                {
                    "uid": f"s:{level}:{i:03d}",
                    "level": level,
                    "region": REGIONS[i % 3],
                    "agency": i % 4 == 0,
                }
            )
    store.write(
        """
        UNWIND $rows AS row
        CREATE (s:Subject:Company {uid: row.uid, name: row.uid, level: row.level, region_code: row.region})
        FOREACH (_ IN CASE WHEN row.agency THEN [1] ELSE [] END | SET s:Agency)
        """,
        {"rows": rows},
    )


def _request(seed: str, period: str = "2026Q4", **extra: object) -> PlanRequest:
    return PlanRequest.model_validate({"period": period, "seed": seed, "inspectors": ROSTER, **extra})


def test_the_same_seed_draws_the_same_plan(store: Store) -> None:
    _populate(store)
    first = plan_inspections(store, _request("S1"), actor="t", save=False)
    again = plan_inspections(store, _request("S1"), actor="t", save=False)
    other = plan_inspections(store, _request("S2"), actor="t", save=False)
    assert first.inspections == again.inspections and first.counts == again.counts
    assert [i.subject_uid for i in first.inspections] != [i.subject_uid for i in other.inspections]
    assert first.counts == other.counts  # another sample, the same shares


def test_each_levels_share_holds_within_rounding_and_every_d_is_in(store: Store) -> None:
    _populate(store)
    ratios = supervision_policy().inspections.ratios
    plan = plan_inspections(store, _request("ratios"), actor="t", save=False)
    drawn = Counter(i.level for i in plan.inspections)
    for level, n in SIZES.items():
        ratio = ratios[Level(level)]
        expected = n if ratio >= 1 else math.floor(ratio * n + 0.5)
        assert drawn[level] == expected, level
    d_drawn = {i.subject_uid for i in plan.inspections if i.level == "D"}
    assert d_drawn == {f"s:D:{i:03d}" for i in range(SIZES["D"])}


def test_the_sample_is_stratified_by_region_and_kind(store: Store) -> None:
    _populate(store)
    plan = plan_inspections(store, _request("strata"), actor="t", save=False)
    c_level = [i for i in plan.inspections if i.level == "C"]  # 10 of 50: each stratum in proportion
    population = Counter((REGIONS[i % 3], "agency" if i % 4 == 0 else "company") for i in range(SIZES["C"]))
    got = Counter((i.region_code, i.kind) for i in c_level)
    for stratum, size in population.items():
        assert abs(got[stratum] - len(c_level) * size / SIZES["C"]) < 1, stratum


def test_region_and_kind_narrow_the_draw(store: Store) -> None:
    _populate(store)
    plan = plan_inspections(store, _request("narrow", region="4403", kinds=["agency"]), actor="t", save=False)
    assert plan.inspections
    assert {i.region_code for i in plan.inspections} == {"440305"} and {i.kind for i in plan.inspections} == {"agency"}


def test_subjects_inspected_within_the_cool_down_are_skipped(store: Store) -> None:
    _populate(store)
    first = plan_inspections(store, _request("cool", period="2026Q3"), actor="t")
    inspected = {i.subject_uid for i in first.inspections}
    assert first.uid is not None and inspected
    months = supervision_policy().inspections.cooldown_months
    assert months >= 3
    soon = plan_inspections(store, _request("cool2", period="2026Q4"), actor="t", save=False)
    assert not inspected & {i.subject_uid for i in soon.inspections}
    assert next(c for c in soon.counts if c.level == "D").cooled == SIZES["D"]
    later_year = 2026 + (months + 8) // 12 + 1
    later = plan_inspections(store, _request("cool2", period=f"{later_year}Q3"), actor="t", save=False)
    assert {f"s:D:{i:03d}" for i in range(SIZES["D"])} <= {i.subject_uid for i in later.inspections}


TIES = """
CREATE (d1:Subject:Company {uid: 'd:1', name: 'D one', level: 'D', region_code: '110108'})
CREATE (d2:Subject:Company {uid: 'd:2', name: 'D two', level: 'D', region_code: '110108'})
CREATE (d3:Subject:Company {uid: 'd:3', name: 'D three', level: 'D', region_code: '110108'})
CREATE (mid:Subject:Company {uid: 'mid', name: 'middle'})
CREATE (far:Subject:Company {uid: 'far', name: 'far'})
CREATE (rep:Subject:Person {uid: 'person:rep', name: '王五', id_number: '110101198001011234'})
CREATE (sib:Subject:Person {uid: 'person:sib', name: '赵六'})
CREATE (out:Subject:Person {uid: 'person:out', name: '孙七'})
CREATE (ph:Phone {uid: 'phone:1', value: '1'})
CREATE (rep)-[:LEGAL_REP_OF]->(d1)
CREATE (sib)-[:USES_PHONE]->(ph), (mid)-[:USES_PHONE]->(ph), (mid)-[:SHAREHOLDER_OF {ratio: 0.5}]->(d2)
CREATE (out)-[:OFFICER_OF {role: 'director'}]->(far), (far)-[:SHAREHOLDER_OF {ratio: 0.5}]->(mid)
"""
# rep: 1 hop from d:1 (found by ID number, no uid in the roster); sib: 2 subject hops from d:2 through a
# shared phone and a shareholding; out: 3 hops from d:2 (beyond the policy's 2), so it may be drawn


def test_an_inspector_tied_to_the_subject_is_never_drawn_for_it(store: Store) -> None:
    store.write(TIES)
    assert supervision_policy().inspections.conflict_hops == 2
    roster = [
        Inspector(id="rep", name="王五", id_number="110101198001011234"),
        Inspector(id="sib", name="赵六", person_uid="person:sib"),
        Inspector(id="out", name="孙七", person_uid="person:out"),
        Inspector(id="free", name="Free"),
    ]
    assigned: dict[str, set[str]] = {"d:1": set(), "d:2": set(), "d:3": set()}
    for seed in range(25):
        plan = plan_inspections(
            store, PlanRequest(period="2026Q4", seed=str(seed), inspectors=roster), actor="t", save=False
        )
        for i in plan.inspections:
            assigned[i.subject_uid] |= set(i.inspectors)
            assert not i.unstaffed
    assert "rep" not in assigned["d:1"] and "sib" not in assigned["d:2"]
    assert {"rep", "sib", "out", "free"} - {"rep"} <= assigned["d:1"]  # the others are drawn for it
    assert "out" in assigned["d:2"] and assigned["d:3"] == {"rep", "sib", "out", "free"}


def test_a_roster_file_links_to_the_graph(tmp_path: Path) -> None:
    csv_file = tmp_path / "inspectors.csv"
    csv_file.write_text("id,name,office,person_uid,id_number\nx1,甲,海淀,,110101198001011234\nx2,乙,,p:2,\n")
    roster = load_roster(csv_file)
    assert [(i.id, i.person_uid, i.id_number) for i in roster] == [
        ("x1", None, "110101198001011234"),
        ("x2", "p:2", None),
    ]
    json_file = tmp_path / "inspectors.json"
    json_file.write_text('[{"id": "x1", "name": "甲"}]')
    assert load_roster(json_file) == [Inspector(id="x1", name="甲")]


FINDING = """
CREATE (:Subject:Company {uid: 'f:1', name: 'Finding Co', region_code: '110108', credit_code: '91110108MA01ABCD1X'})
CREATE (:Subject:Company {uid: 'f:2', name: 'Holder Co', region_code: '110108'})
"""


def _one_inspection(store: Store) -> tuple[str, str]:
    """A classified graph (both subjects A, clean) and a stored plan drawing every subject."""
    store.write(FINDING)
    store.write("MATCH (a {uid: 'f:2'}), (b {uid: 'f:1'}) CREATE (a)-[:SHAREHOLDER_OF {ratio: 0.9}]->(b)")
    classify_all(store, date(2026, 6, 30))
    rules = supervision_policy()
    everyone = rules.model_copy(
        update={"inspections": rules.inspections.model_copy(update={"ratios": dict.fromkeys(Level, 1.0)})}
    )
    plan = plan_inspections(store, _request("f"), actor="t", rules=everyone)
    assert plan.uid is not None
    stored = get_plan(store, plan.uid)
    inspection = next(i for i in stored.inspections if i.subject_uid == "f:1")
    return plan.uid, inspection.uid


def test_a_finding_becomes_a_record_and_re_grades(store: Store) -> None:
    plan_uid, inspection_uid = _one_inspection(store)
    request = ResultRequest(outcome="findings", findings=["CN_MALICIOUS_TM"], doc_number="京知执字〔2026〕12号")
    result = record(store, inspection_uid, request, actor="t")
    assert len(result.violation_uids) == 1
    row = store.read(
        "MATCH (s:Subject {uid: 'f:1'})-[:COMMITTED]->(v:Violation {uid: $v}) "
        "RETURN v.behaviour_code AS code, v.doc_number AS doc, s.level AS level",
        {"v": result.violation_uids[0]},
    )[0]
    assert (row["code"], row["doc"], row["level"]) == ("CN_MALICIOUS_TM", "京知执字〔2026〕12号", "D")
    assert {c.uid: c.new for c in result.changed}["f:1"] == "D" and result.regraded == 2
    holder = store.read("MATCH (s:Subject {uid: 'f:2'}) RETURN s.score AS score, s.reached_uids AS reached")[0]
    assert holder["score"] < 100 and holder["reached"] == result.violation_uids  # its chain reaches the record
    stored = next(i for i in get_plan(store, plan_uid).inspections if i.uid == inspection_uid)
    assert (stored.status, stored.outcome, stored.violation_uids) == ("done", "findings", result.violation_uids)
    with pytest.raises(PlanError, match="already"):
        record(store, inspection_uid, ResultRequest(outcome="clean"), actor="t")


def test_a_result_request_must_be_consistent(store: Store) -> None:
    with pytest.raises(ValueError, match="document number"):
        ResultRequest(outcome="findings", findings=["CN_MALICIOUS_TM"])
    with pytest.raises(ValueError, match="no findings"):
        ResultRequest(outcome="clean", findings=["CN_MALICIOUS_TM"])
    _, inspection_uid = _one_inspection(store)
    with pytest.raises(PlanError, match="unknown behaviour"):
        record(store, inspection_uid, ResultRequest(outcome="findings", findings=["NOPE"], doc_number="1"), actor="t")


KEYS = {"adm-key": "admin", "inv-key": "investigator"}


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    settings = get_settings().model_copy(update={"api_keys": KEYS})
    with TestClient(create_app(settings, store=store)) as test_client:
        yield test_client


def test_plans_over_http_are_drawn_by_admins_and_published(store: Store, client: TestClient) -> None:
    _populate(store)
    preview = plan_inspections(store, _request("http"), actor="t", save=False)  # before it is stored
    body = {"period": "2026Q4", "seed": "http", "inspectors": [i.model_dump() for i in ROSTER]}
    assert client.post("/inspections/plans", json=body).status_code == 403
    assert client.post("/inspections/plans", json=body, headers={"X-API-Key": "inv-key"}).status_code == 403
    drawn = client.post("/inspections/plans", json=body, headers={"X-API-Key": "adm-key"})
    assert drawn.status_code == 201
    plan = drawn.json()
    assert plan["drawn_by"].startswith("admin:key-") and plan["seed"] == "http"
    assert [i["subject_uid"] for i in plan["inspections"]] == [i.subject_uid for i in preview.inspections]
    public = client.get(f"/inspections/plans/{plan['uid']}").json()
    assert len(public["inspections"]) == len(plan["inspections"])
    assert all(i["inspector_names"] == [] and len(i["inspectors"]) == 2 for i in public["inspections"])
    staff = client.get(f"/inspections/plans/{plan['uid']}", headers={"X-API-Key": "inv-key"}).json()
    assert all(i["inspector_names"] for i in staff["inspections"])
    listed = client.get("/inspections/plans").json()
    assert listed["total"] == 1 and listed["items"][0]["uid"] == plan["uid"]
    assert client.get("/inspections/plans/plan:nope").status_code == 404
    target = public["inspections"][0]["uid"]
    clean = {"outcome": "clean"}
    assert client.post(f"/inspections/{target}/result", json=clean).status_code == 403
    assert client.post(f"/inspections/{target}/result", json=clean, headers={"X-API-Key": "inv-key"}).status_code == 200
    again = client.post(f"/inspections/{target}/result", json=clean, headers={"X-API-Key": "inv-key"})
    assert again.status_code == 409


def test_the_demo_draws_its_plan_once_and_points_to_it(store: Store, client: TestClient) -> None:
    _populate(store)
    first = supervise(store, Console(file=io.StringIO()))
    again = supervise(store, Console(file=io.StringIO()))  # a second run shows the plan drawn before
    assert first == again
    assert store.read("MATCH (p:InspectionPlan) RETURN count(p) AS n")[0]["n"] == 1
    plan_href, report_href = (t.href for t in first)
    assert plan_href.startswith("/inspections/plans/") and report_href == "/ui/stats?year=2026"
    shown = client.get(plan_href)
    assert shown.status_code == 200 and shown.json()["period"] == DEMO_PERIOD and shown.json()["inspections"]
    assert client.get(report_href).status_code == 200
