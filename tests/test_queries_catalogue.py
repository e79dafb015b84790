"""The query catalogue on small hand-built graphs; every expected value is worked out by hand below."""

from __future__ import annotations

from datetime import date

import pytest

from graph.schema import Rel
from graph.store import Store
from queries.catalogue import QUERIES, NotAnAgencyError, QueryParamsError, UnknownQueryError, get_query, run_named
from queries.catalogue.equity import ControllersParams, EquityParams, Holding, controllers, equity
from queries.catalogue.neighbourhood import SUBJECT_NETWORK_TYPES, NeighbourhoodParams, neighbourhood
from queries.catalogue.parties import (
    BatchPathParams,
    PathParams,
    RelatedPartiesParams,
    RelatedParty,
    SuspectedParams,
    related_parties,
    shortest_path,
    shortest_paths,
    suspected_relations,
)
from queries.catalogue.profiles import AgencyProfileParams, RiskScanParams, agency_profile, risk_scan
from queries.statements import cypher
from queries.traversal import UnknownSubjectError

# C1 <-LEGAL_REP- P1 -SHAREHOLDER(0.6)-> C2 -SHAREHOLDER(0.5)-> C3 <-OFFICER- P2 -FAMILY-> P3
# and a phone shared by C1 and P2 (a contact point, not a registry tie).
CHAIN = """
CREATE (c1:Subject:Company {uid: 't:c1', name: 'C1'}), (c2:Subject:Company {uid: 't:c2', name: 'C2'}),
       (c3:Subject:Company {uid: 't:c3', name: 'C3'}), (p1:Subject:Person {uid: 't:p1', name: 'P1'}),
       (p2:Subject:Person {uid: 't:p2', name: 'P2'}), (p3:Subject:Person {uid: 't:p3', name: 'P3'}),
       (lone:Subject:Company {uid: 't:lone', name: 'Lone'}),
       (ph:Phone {uid: 'phone:555123', value: '555123'})
CREATE (p1)-[:LEGAL_REP_OF]->(c1), (p1)-[:SHAREHOLDER_OF {ratio: 0.6}]->(c2),
       (c2)-[:SHAREHOLDER_OF {ratio: 0.5}]->(c3), (p2)-[:OFFICER_OF {role: 'director'}]->(c3),
       (p2)-[:FAMILY_OF {relation: 'sibling'}]->(p3),
       (c1)-[:USES_PHONE]->(ph), (p2)-[:USES_PHONE]->(ph)
"""


@pytest.fixture
def chain(store: Store) -> Store:
    store.write(CHAIN)
    return store


def _hops(parties: list[RelatedParty]) -> dict[str, int]:
    return {p.uid: p.hops for p in parties}


def test_related_parties_grow_with_k(chain: Store) -> None:
    assert _hops(related_parties(chain, RelatedPartiesParams(uid="t:c1", k=1))) == {"t:p1": 1}
    assert _hops(related_parties(chain, RelatedPartiesParams(uid="t:c1", k=3))) == {
        "t:p1": 1,
        "t:c2": 2,
        "t:c3": 3,
    }
    five = related_parties(chain, RelatedPartiesParams(uid="t:c1", k=5))
    assert _hops(five) == {"t:p1": 1, "t:c2": 2, "t:c3": 3, "t:p2": 4, "t:p3": 5}
    p3 = next(p for p in five if p.uid == "t:p3")
    assert p3.path_uids == ["t:c1", "t:p1", "t:c2", "t:c3", "t:p2", "t:p3"]
    assert [t.type for t in p3.ties] == ["LEGAL_REP_OF", "SHAREHOLDER_OF", "SHAREHOLDER_OF", "OFFICER_OF", "FAMILY_OF"]
    assert p3.ties[1].ratio == 0.6
    # the shared phone is not a registry tie: P2 is not at 2 hops through it
    assert all(p.uid != "phone:555123" for p in five)


def test_related_parties_filtered_by_tie_kind(chain: Store) -> None:
    only_rep = related_parties(chain, RelatedPartiesParams(uid="t:c1", k=6, types=[Rel.LEGAL_REP_OF]))
    assert _hops(only_rep) == {"t:p1": 1}
    no_officer = related_parties(
        chain, RelatedPartiesParams.model_validate({"uid": "t:c1", "k": 6, "types": "LEGAL_REP_OF,SHAREHOLDER_OF"})
    )
    assert _hops(no_officer) == {"t:p1": 1, "t:c2": 2, "t:c3": 3}
    # from P3 backwards over family and officer ties only
    assert _hops(
        related_parties(chain, RelatedPartiesParams(uid="t:p3", k=6, types=[Rel.FAMILY_OF, Rel.OFFICER_OF]))
    ) == {
        "t:p2": 1,
        "t:c3": 2,
    }


def test_related_parties_refuses_bad_input(chain: Store) -> None:
    with pytest.raises(ValueError, match="types must be among"):
        RelatedPartiesParams.model_validate({"uid": "t:c1", "types": ["USES_PHONE"]})
    with pytest.raises(ValueError, match="less than or equal to 6"):
        RelatedPartiesParams(uid="t:c1", k=7)
    with pytest.raises(UnknownSubjectError, match="t:nobody"):
        related_parties(chain, RelatedPartiesParams(uid="t:nobody"))


def test_shortest_path_with_and_without_contacts(chain: Store) -> None:
    path = shortest_path(chain, PathParams(from_uid="t:c1", to_uid="t:p2"))
    assert path.hops == 4
    assert [n.uid for n in path.nodes] == ["t:c1", "t:p1", "t:c2", "t:c3", "t:p2"]
    assert shortest_path(chain, PathParams(from_uid="t:c1", to_uid="t:p2", max_hops=3)).hops is None
    via_phone = shortest_path(chain, PathParams(from_uid="t:c1", to_uid="t:p2", include_contacts=True))
    assert via_phone.hops == 2
    assert [n.uid for n in via_phone.nodes] == ["t:c1", "phone:555123", "t:p2"]
    assert shortest_path(chain, PathParams(from_uid="t:c1", to_uid="t:lone")).hops is None
    with pytest.raises(ValueError, match="same party"):
        PathParams(from_uid="t:c1", to_uid="t:c1")


def test_batch_paths_in_one_statement(chain: Store) -> None:
    params = BatchPathParams.model_validate(
        {
            "pairs": [
                {"from": "t:c1", "to": "t:p3"},
                {"from": "t:c1", "to": "t:nobody"},
                {"from": "t:p1", "to": "t:lone"},
            ]
        }
    )
    got = {(p.from_uid, p.to_uid): (p.known, p.hops) for p in shortest_paths(chain, params)}
    assert got == {
        ("t:c1", "t:p3"): (True, 5),
        ("t:c1", "t:nobody"): (False, None),
        ("t:p1", "t:lone"): (True, None),
    }
    among = shortest_paths(chain, BatchPathParams.model_validate({"uids": "t:c1,t:c2,t:p2", "max_hops": 2}))
    # every pair among three parties: c1-c2 is 2 hops, c2-p2 is 2 hops, c1-p2 is 4 (over the limit)
    assert {(p.from_uid, p.to_uid): p.hops for p in among} == {
        ("t:c1", "t:c2"): 2,
        ("t:c1", "t:p2"): None,
        ("t:c2", "t:p2"): 2,
    }


# Ownership of T:  X 0.3, Y 0.5, Z 0.2;  person P holds X 0.5 and Y 0.4;  person Q holds X 0.5;
# W and Z hold each other (W 0.5 of Z, Z 0.1 of W): a circular holding.
OWNERSHIP = """
CREATE (t:Subject:Company {uid: 't:t', name: 'T'}), (x:Subject:Company {uid: 't:x', name: 'X'}),
       (y:Subject:Company {uid: 't:y', name: 'Y'}), (z:Subject:Company {uid: 't:z', name: 'Z'}),
       (w:Subject:Company {uid: 't:w', name: 'W'}), (p:Subject:Person {uid: 't:p', name: 'P'}),
       (q:Subject:Person {uid: 't:q', name: 'Q'})
CREATE (x)-[:SHAREHOLDER_OF {ratio: 0.3}]->(t), (y)-[:SHAREHOLDER_OF {ratio: 0.5}]->(t),
       (z)-[:SHAREHOLDER_OF {ratio: 0.2}]->(t), (p)-[:SHAREHOLDER_OF {ratio: 0.5}]->(x),
       (p)-[:SHAREHOLDER_OF {ratio: 0.4}]->(y), (q)-[:SHAREHOLDER_OF {ratio: 0.5}]->(x),
       (w)-[:SHAREHOLDER_OF {ratio: 0.5}]->(z), (z)-[:SHAREHOLDER_OF {ratio: 0.1}]->(w)
"""


@pytest.fixture
def owned(store: Store) -> Store:
    store.write(OWNERSHIP)
    return store


def _ratios(holdings: list[Holding]) -> dict[str, float]:
    return {h.uid: round(h.ratio, 9) for h in holdings}


def test_penetration_up_multiplies_along_and_sums_over_paths(owned: Store) -> None:
    up = equity(owned, EquityParams(uid="t:t", direction="up", depth=5))
    # P: 0.5 * 0.3 (through X) + 0.4 * 0.5 (through Y) = 0.35; Q: 0.5 * 0.3; W: 0.5 * 0.2
    assert _ratios(up) == {"t:x": 0.3, "t:y": 0.5, "t:z": 0.2, "t:p": 0.35, "t:q": 0.15, "t:w": 0.1}
    p = next(h for h in up if h.uid == "t:p")
    assert (p.paths, p.min_depth, p.ultimate) == (2, 2, True)
    assert _ratios(equity(owned, EquityParams(uid="t:t", direction="up", depth=1))) == {
        "t:x": 0.3,
        "t:y": 0.5,
        "t:z": 0.2,
    }


def test_penetration_down_and_circular_holding_terminates(owned: Store) -> None:
    assert _ratios(equity(owned, EquityParams(uid="t:p", direction="down", depth=5))) == {
        "t:x": 0.5,
        "t:y": 0.4,
        "t:t": 0.35,
    }
    # Z -> W -> Z is a cycle; simple paths only: W 0.1, T 0.2 (not 0.2 + 0.1 * 0.5 * 0.2 ...)
    assert _ratios(equity(owned, EquityParams(uid="t:z", direction="down", depth=6))) == {"t:w": 0.1, "t:t": 0.2}
    # upwards from Z: W holds 0.5; Z itself is never its own holder
    assert _ratios(equity(owned, EquityParams(uid="t:z", direction="up", depth=6))) == {"t:w": 0.5}


def test_controllers_above_and_below_threshold(owned: Store) -> None:
    # ultimate holders of T are the persons P (0.35) and Q (0.15); W and Z hold each other, so
    # neither is unowned; X and Y have holders of their own
    high = controllers(owned, ControllersParams(uid="t:t", threshold=0.25))
    assert [(c.uid, round(c.ratio, 9)) for c in high] == [("t:p", 0.35)]
    low = controllers(owned, ControllersParams(uid="t:t", threshold=0.15))
    assert [(c.uid, round(c.ratio, 9)) for c in low] == [("t:p", 0.35), ("t:q", 0.15)]
    assert controllers(owned, ControllersParams(uid="t:t", threshold=0.36)) == []
    with pytest.raises(ValueError, match="threshold"):
        ControllersParams.model_validate({"uid": "t:t"})  # no hidden default: the policy gives it


def _business_centre(n: int) -> str:
    """S and 29 others at one address; S shares a phone with O1 and an email with O1, O2, O3."""
    return f"""
    CREATE (s:Subject:Company {{uid: 't:s', name: 'S'}}),
           (o1:Subject:Company {{uid: 't:o1', name: 'O1'}}), (o2:Subject:Company {{uid: 't:o2', name: 'O2'}}),
           (o3:Subject:Person {{uid: 't:o3', name: 'O3'}}),
           (ph:Phone {{uid: 'phone:1234567', value: '1234567'}}), (em:Email {{uid: 'email:x@y.cn', value: 'x@y.cn'}}),
           (ad:Address {{uid: 'address:centre', value: 'centre'}})
    CREATE (s)-[:USES_PHONE]->(ph), (o1)-[:USES_PHONE]->(ph),
           (s)-[:USES_EMAIL]->(em), (o1)-[:USES_EMAIL]->(em), (o2)-[:USES_EMAIL]->(em), (o3)-[:USES_EMAIL]->(em),
           (s)-[:LOCATED_AT]->(ad)
    WITH ad UNWIND range(1, {n - 1}) AS i
    CREATE (:Subject:Company {{uid: 't:tenant' + i, name: 'Tenant ' + i}})-[:LOCATED_AT]->(ad)
    """


def test_business_centre_skipped_but_phone_pair_kept(store: Store) -> None:
    store.write(_business_centre(30))
    got = suspected_relations(store, SuspectedParams(uid="t:s", max_sharers=20, full_weight_up_to=2, base_weight=0.8))
    # phone shared by 2: full weight 0.8; email shared by 4: 0.8 * 2 / 4 = 0.4
    weights = {r.uid: round(r.weight, 9) for r in got.related}
    assert weights == {"t:o1": 0.8, "t:o2": 0.4, "t:o3": 0.4}  # O1: 0.8 + 0.4 capped at 0.8
    o1 = next(r for r in got.related if r.uid == "t:o1")
    assert {(p.kind, p.sharers, round(p.weight or 0, 9)) for p in o1.shared} == {("Phone", 2, 0.8), ("Email", 4, 0.4)}
    # with full weight up to 4 sharers the email counts fully too
    wide = suspected_relations(store, SuspectedParams(uid="t:s", max_sharers=20, full_weight_up_to=4, base_weight=0.8))
    assert {r.uid: round(r.weight, 9) for r in wide.related} == {"t:o1": 0.8, "t:o2": 0.8, "t:o3": 0.8}
    assert [(p.uid, p.sharers) for p in got.skipped] == [("address:centre", 30)]


def test_business_centre_down_weighted_when_followed(store: Store) -> None:
    store.write(_business_centre(30))
    got = suspected_relations(store, SuspectedParams(uid="t:s", max_sharers=50, full_weight_up_to=2, base_weight=0.8))
    weights = {r.uid: r.weight for r in got.related}
    assert got.skipped == []
    assert len(weights) == 3 + 29
    assert weights["t:tenant7"] == pytest.approx(0.8 * 2 / 30)  # 30 subjects at the address
    assert weights["t:o2"] == pytest.approx(0.4)  # the email only: O2 is not at the address
    only_phone = suspected_relations(
        store,
        SuspectedParams(
            uid="t:s", max_sharers=50, full_weight_up_to=2, base_weight=0.8, contact_types=[Rel.USES_PHONE]
        ),
    )
    assert [(r.uid, round(r.weight, 9)) for r in only_phone.related] == [("t:o1", 0.8)]


def test_suspected_relations_of_subject_without_contacts(chain: Store) -> None:
    got = suspected_relations(
        chain, SuspectedParams(uid="t:lone", max_sharers=20, full_weight_up_to=3, base_weight=0.5)
    )
    assert (got.related, got.skipped) == ([], [])


AGENCY = """
CREATE (ag:Subject:Company:Agency {uid: 't:ag', name: 'Agency'}),
       (at1:Subject:Person:Agent {uid: 't:at1', name: 'Agent 1'}),
       (at2:Subject:Person:Agent {uid: 't:at2', name: 'Agent 2'}),
       (lr:Subject:Person {uid: 't:lr', name: 'Legal rep'}), (sh:Subject:Person {uid: 't:sh', name: 'Holder'}),
       (app:Subject:Company {uid: 't:app', name: 'Applicant'}), (app2:Subject:Company {uid: 't:app2', name: 'App 2'}),
       (pa1:Patent {uid: 't:pa1'}), (pa2:Patent {uid: 't:pa2'}), (pa3:Patent {uid: 't:pa3'}),
       (tm1:Trademark {uid: 't:tm1'})
CREATE (at1)-[:AGENT_OF]->(ag), (at2)-[:AGENT_OF]->(ag), (lr)-[:LEGAL_REP_OF]->(ag),
       (sh)-[:SHAREHOLDER_OF {ratio: 1.0}]->(ag),
       (ag)-[:REPRESENTS]->(pa1), (ag)-[:REPRESENTS]->(pa2), (ag)-[:REPRESENTS]->(pa3), (ag)-[:REPRESENTS]->(tm1),
       (at1)-[:REPRESENTS]->(pa1),
       (app)-[:APPLICANT_OF]->(pa2), (app2)-[:APPLICANT_OF]->(tm1)
CREATE (:Violation {uid: 't:v1', status: 'in_force', decided_on: date('2024-01-10')})-[:CONCERNS]->(pa1)
CREATE (app)-[:COMMITTED]->(:Violation {uid: 't:v2', status: 'in_force', decided_on: date('2024-02-01')})
CREATE (app2)-[:COMMITTED]->(:Violation {uid: 't:v3', status: 'expired', decided_on: date('2020-01-01')})
CREATE (:Violation {uid: 't:v4', status: 'in_force', decided_on: date('2025-06-01')})-[:CONCERNS]->(pa3)
CREATE (at1)-[:COMMITTED]->(:Violation {uid: 't:v5', behaviour_code: 'AGENT_FRAUD', status: 'in_force',
                                        decided_on: date('2023-05-05'), expires_on: date('2026-05-05')})
CREATE (lr)-[:COMMITTED]->(:Violation {uid: 't:v6', status: 'in_force', decided_on: date('2024-03-03')})
CREATE (sh)-[:COMMITTED]->(:Violation {uid: 't:v7', status: 'revoked', decided_on: date('2024-03-03')})
"""


def test_agency_profile_counts(store: Store) -> None:
    store.write(AGENCY)
    prof = agency_profile(store, AgencyProfileParams(uid="t:ag", as_of=date(2025, 1, 1)))
    # 4 filings; pa1 (v1 concerns it) and pa2 (its applicant holds v2) are flagged; tm1's applicant
    # holds only an expired record; v4 on pa3 is decided after the as-of date
    assert (prof.kind, prof.filings, prof.flagged_filings, prof.flagged_share) == ("agency", 4, 2, 0.5)
    assert (prof.agents, prof.controllers) == (2, 2)
    people = {(p.uid, p.role): [v.uid for v in p.violations] for p in prof.people_with_violations}
    assert people == {("t:at1", "agent"): ["t:v5"], ("t:lr", "controller"): ["t:v6"]}
    # later: v5 has expired, v4 is in force, so pa3 is flagged as well
    later = agency_profile(store, AgencyProfileParams(uid="t:ag", as_of=date(2026, 6, 1)))
    assert (later.flagged_filings, later.flagged_share) == (3, 0.75)
    assert {p.uid for p in later.people_with_violations} == {"t:lr"}
    agent = agency_profile(store, AgencyProfileParams(uid="t:at1", as_of=date(2025, 1, 1)))
    assert (agent.kind, agent.filings, agent.flagged_filings) == ("agent", 1, 1)
    assert [(p.uid, p.role) for p in agent.people_with_violations] == [("t:at1", "self")]
    with pytest.raises(NotAnAgencyError):
        agency_profile(store, AgencyProfileParams(uid="t:app"))


RISK = """
CREATE (s:Subject:Company {uid: 't:s', name: 'S'}), (n1:Subject:Person {uid: 't:n1', name: 'N1'}),
       (n2:Subject:Person {uid: 't:n2', name: 'N2'}), (n3:Subject:Company {uid: 't:n3', name: 'N3'}),
       (ph:Phone {uid: 'phone:99999', value: '99999'}), (ad:Address {uid: 'address:hub', value: 'hub'})
CREATE (n1)-[:LEGAL_REP_OF]->(s), (n1)-[:FAMILY_OF]->(n2),
       (s)-[:USES_PHONE]->(ph), (n3)-[:USES_PHONE]->(ph), (s)-[:LOCATED_AT]->(ad)
CREATE (s)-[:COMMITTED]->(:Violation {uid: 't:own1', status: 'in_force', decided_on: date('2024-01-01')})
CREATE (s)-[:COMMITTED]->(:Violation {uid: 't:own2', status: 'in_force', decided_on: date('2020-01-01'),
                                       expires_on: date('2023-01-01')})
CREATE (s)-[:COMMITTED]->(:Violation {uid: 't:own3', status: 'repaired', decided_on: date('2022-01-01')})
CREATE (s)-[:COMMITTED]->(:Violation {uid: 't:own4', status: 'in_force', decided_on: date('2025-03-01')})
CREATE (n1)-[:COMMITTED]->(:Violation {uid: 't:n1v', status: 'in_force', decided_on: date('2024-05-01')})
CREATE (n2)-[:COMMITTED]->(:Violation {uid: 't:n2v', status: 'in_force', decided_on: date('2024-05-01')})
CREATE (s)-[:COMMITTED]->(obj:Violation {uid: 't:own5', status: 'in_force', decided_on: date('2024-06-01'),
                                           suspended_since: date('2024-12-01')})
CREATE (:Objection {uid: 't:obj', status: 'pending'})-[:OBJECTS_TO]->(obj)
CREATE (s)-[:COMMITTED]->(:Violation {uid: 't:own6', status: 'repaired', decided_on: date('2024-02-01'),
                                       ended_on: date('2025-02-01')})
WITH ad UNWIND range(1, 4) AS i
CREATE (:Subject:Company {uid: 't:tenant' + i, name: 'Tenant ' + i})-[:LOCATED_AT]->(ad)
"""


def test_risk_scan_counts(store: Store) -> None:
    store.write(RISK)
    as_of = date(2025, 1, 1)
    rows = risk_scan(store, RiskScanParams(uids=["t:s", "t:n3", "t:nobody"], max_sharers=3, as_of=as_of, k=1))
    by_uid = {r.uid: r for r in rows}
    s = by_uid["t:s"]
    # own1 in force, and own6 (repaired only after the as-of date); own5 is suspended by a pending
    # objection; own2 expired by date and own3 repaired are history; own4 is decided later
    assert (s.own, s.suspended, s.historical) == (2, 1, 2)
    assert (s.surrounding, s.surrounding_subjects) == (1, 1)  # k=1: N1 only
    assert s.pending_objections == 1
    # N3 shares the phone; the hub address has 5 sharers > 3: counted as crowded, tenants not followed
    assert (s.shared_contact_subjects, s.crowded_contacts) == (1, 1)
    assert by_uid["t:n3"].model_dump(exclude={"uid"}) == {
        "known": True,
        "own": 0,
        "suspended": 0,
        "surrounding": 0,
        "surrounding_subjects": 0,
        "historical": 0,
        "pending_objections": 0,
        "shared_contact_subjects": 1,
        "crowded_contacts": 0,
    }
    assert not by_uid["t:nobody"].known
    wider = risk_scan(store, RiskScanParams(uids=["t:s"], max_sharers=10, as_of=as_of, k=2))[0]
    assert (wider.surrounding, wider.shared_contact_subjects, wider.crowded_contacts) == (2, 5, 0)
    family_only = risk_scan(
        store, RiskScanParams(uids=["t:s"], max_sharers=10, as_of=as_of, k=2, types=[Rel.FAMILY_OF])
    )
    assert family_only[0].surrounding == 0


def test_neighbourhood_bounded_with_levels(chain: Store) -> None:
    chain.write(
        "MATCH (p:Subject {uid: 't:p1'}) "
        "CREATE (:Assessment {uid: 'a:1', level: 'B', as_of: date('2024-01-01')})-[:OF]->(p), "
        "       (:Assessment {uid: 'a:2', level: 'C', as_of: date('2025-01-01')})-[:OF]->(p)"
    )
    one = neighbourhood(chain, NeighbourhoodParams(uid="t:c1", depth=1))
    assert {n.uid for n in one.nodes} == {"t:c1", "t:p1", "phone:555123"}
    assert {n.uid: n.level for n in one.nodes}["t:p1"] == "C"  # the latest assessment
    assert {(lk.type, lk.start, lk.end) for lk in one.links} == {
        ("LEGAL_REP_OF", "t:p1", "t:c1"),
        ("USES_PHONE", "t:c1", "phone:555123"),
    }
    assert not one.truncated
    two = neighbourhood(chain, NeighbourhoodParams(uid="t:c1", depth=2))
    assert {n.uid for n in two.nodes} == {"t:c1", "t:p1", "phone:555123", "t:c2", "t:p2"}
    shareholding = next(lk for lk in two.links if lk.type == "SHAREHOLDER_OF")
    assert shareholding.properties == {"ratio": 0.6}
    cut = neighbourhood(chain, NeighbourhoodParams(uid="t:c1", depth=2, max_nodes=3))
    assert (len(cut.nodes), cut.reachable, cut.truncated) == (3, 5, True)
    assert cut.nodes[0].uid == "t:c1"
    assert {n.uid for n in cut.nodes[1:]} == {"t:p1", "phone:555123"}  # nearest first


def test_neighbourhood_in_subject_hops_as_the_pages_draw_it(chain: Store) -> None:
    pages = {"types": list(SUBJECT_NETWORK_TYPES), "subject_hops": True}
    one = neighbourhood(chain, NeighbourhoodParams(uid="t:c1", depth=1, **pages))
    # P2 shares C1's phone: the shared point ties them, so P2 comes in the same hop as the phone
    assert {n.uid for n in one.nodes} == {"t:c1", "t:p1", "phone:555123", "t:p2"}
    phone = next(n for n in one.nodes if n.uid == "phone:555123")
    assert (phone.labels, phone.name, phone.properties["value"]) == (["Phone"], "555123", "555123")
    two = neighbourhood(chain, NeighbourhoodParams(uid="t:c1", depth=2, **pages))
    assert {n.uid for n in two.nodes} == {"t:c1", "t:p1", "phone:555123", "t:p2", "t:c2", "t:c3", "t:p3"}
    # one link per node and hop: C1 follows its phone (first by uid), the phone then brings P2
    capped = neighbourhood(chain, NeighbourhoodParams(uid="t:c1", depth=1, per_node=1, **pages))
    assert [n.uid for n in capped.nodes] == ["t:c1", "phone:555123", "t:p2"]
    both = neighbourhood(chain, NeighbourhoodParams(uid="t:c1", also=["t:lone"], depth=1, **pages))
    assert [n.uid for n in both.nodes][:2] == ["t:c1", "t:lone"]
    with pytest.raises(UnknownSubjectError):
        neighbourhood(chain, NeighbourhoodParams(uid="t:c1", also=["t:nobody"], depth=1))


def test_registry_validates_and_runs(chain: Store) -> None:
    assert {"related_parties", "equity", "controllers", "suspected_relations", "path", "paths"} <= set(QUERIES)
    for query in QUERIES.values():
        assert query.description
        assert cypher(query.statement).lstrip().startswith("//")  # the file exists and says what it answers
        for name in query.policy_params:
            assert query.params.model_fields[name].is_required()
    rows = run_named(chain, "related_parties", {"uid": "t:c1", "k": "2", "types": "LEGAL_REP_OF,SHAREHOLDER_OF"})
    assert [(r["uid"], r["hops"]) for r in rows] == [("t:p1", 1), ("t:c2", 2)]
    with pytest.raises(QueryParamsError, match="k"):
        run_named(chain, "related_parties", {"uid": "t:c1", "k": "many"})
    with pytest.raises(QueryParamsError, match="label: Extra inputs"):
        run_named(chain, "related_parties", {"uid": "t:c1", "label": "Subject) DETACH DELETE (n"})
    with pytest.raises(UnknownQueryError, match="related_parties"):
        get_query("drop_everything")
