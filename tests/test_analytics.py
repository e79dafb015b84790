"""networkx analytics on small hand-built graphs: groups, circular holdings, brokers."""

from __future__ import annotations

from datetime import date

import pytest

from graph.schema import Rel
from graph.store import Store
from queries.analytics import brokers, circular_shareholdings, related_party_groups
from queries.catalogue import run_named

# A -LEGAL_REP-> B -SHAREHOLDER-> C;  D -OFFICER-> E;  F shares a phone with A;  H stands alone;
# B, E and 25 tenants share one address (a business centre of 27).
GROUPS = """
CREATE (a:Subject:Person {uid: 't:a', name: 'A'}), (b:Subject:Company {uid: 't:b', name: 'B'}),
       (c:Subject:Company {uid: 't:c', name: 'C'}), (d:Subject:Person {uid: 't:d', name: 'D'}),
       (e:Subject:Company {uid: 't:e', name: 'E'}), (f:Subject:Company {uid: 't:f', name: 'F'}),
       (:Subject:Company {uid: 't:h', name: 'H'}),
       (ph:Phone {uid: 'phone:12345', value: '12345'}), (ad:Address {uid: 'address:centre', value: 'centre'})
CREATE (a)-[:LEGAL_REP_OF]->(b), (b)-[:SHAREHOLDER_OF {ratio: 0.7}]->(c), (d)-[:OFFICER_OF]->(e),
       (a)-[:USES_PHONE]->(ph), (f)-[:USES_PHONE]->(ph), (b)-[:LOCATED_AT]->(ad), (e)-[:LOCATED_AT]->(ad)
WITH ad UNWIND range(1, 25) AS i
CREATE (:Subject:Company {uid: 't:tenant' + i, name: 'Tenant ' + i})-[:LOCATED_AT]->(ad)
"""
SEEDS = ["t:a", "t:d", "t:f", "t:h", "t:nobody"]


def test_groups_over_party_ties(store: Store) -> None:
    store.write(GROUPS)
    got = related_party_groups(store, SEEDS, k=2)
    assert [g.members for g in got.groups] == [["t:a", "t:b", "t:c"], ["t:d", "t:e"], ["t:f"], ["t:h"]]
    assert [g.ties for g in got.groups] == [2, 1, 0, 0]
    assert got.groups[0].seeds == ["t:a"]
    assert not got.truncated
    near = related_party_groups(store, SEEDS, k=1)
    assert [g.members for g in near.groups] == [["t:a", "t:b"], ["t:d", "t:e"], ["t:f"], ["t:h"]]
    only_officers = related_party_groups(store, ["t:a", "t:d"], k=2, types=[Rel.OFFICER_OF])
    assert [g.members for g in only_officers.groups] == [["t:d", "t:e"], ["t:a"]]


def test_groups_with_shared_contacts_skip_the_business_centre(store: Store) -> None:
    store.write(GROUPS)
    got = related_party_groups(store, SEEDS, k=2, include_contacts=True, max_sharers=20)
    assert [(g.members, g.contact_points) for g in got.groups] == [
        (["t:a", "t:b", "t:c", "t:f"], ["phone:12345"]),
        (["t:d", "t:e"], []),
        (["t:h"], []),
    ]
    # with the cap lifted the centre joins both groups (tenants are 3 hops out, beyond k)
    open_centre = related_party_groups(store, SEEDS, k=2, include_contacts=True, max_sharers=100)
    assert [(g.members, g.contact_points) for g in open_centre.groups] == [
        (["t:a", "t:b", "t:c", "t:d", "t:e", "t:f"], ["address:centre", "phone:12345"]),
        (["t:h"], []),
    ]
    capped = related_party_groups(store, SEEDS, k=2, include_contacts=True, max_sharers=100, max_nodes=5)
    assert capped.truncated and sum(len(g.members) + len(g.contact_points) for g in capped.groups) == 5
    with pytest.raises(ValueError, match="party ties"):
        related_party_groups(store, SEEDS, types=[Rel.USES_PHONE])


# X -> Y -> Z -> X (0.5, 0.4, 0.3) and U <-> V (0.2, 0.1) are cycles; P -> X and Y -> Q are not on one.
CYCLES = """
CREATE (x:Subject:Company {uid: 't:x'}), (y:Subject:Company {uid: 't:y'}), (z:Subject:Company {uid: 't:z'}),
       (u:Subject:Company {uid: 't:u'}), (v:Subject:Company {uid: 't:v'}), (p:Subject:Person {uid: 't:p'}),
       (q:Subject:Company {uid: 't:q'})
CREATE (x)-[:SHAREHOLDER_OF {ratio: 0.5}]->(y), (y)-[:SHAREHOLDER_OF {ratio: 0.4}]->(z),
       (z)-[:SHAREHOLDER_OF {ratio: 0.3}]->(x), (u)-[:SHAREHOLDER_OF {ratio: 0.2}]->(v),
       (v)-[:SHAREHOLDER_OF {ratio: 0.1}]->(u), (p)-[:SHAREHOLDER_OF {ratio: 0.9}]->(x),
       (y)-[:SHAREHOLDER_OF {ratio: 0.1}]->(q)
"""


def test_circular_shareholdings_graph_wide(store: Store) -> None:
    store.write(CYCLES)
    got = circular_shareholdings(store)
    assert [(c.members, c.ratios) for c in got.cycles] == [
        (["t:u", "t:v"], [0.2, 0.1]),
        (["t:x", "t:y", "t:z"], [0.5, 0.4, 0.3]),
    ]
    assert got.edges == 5  # P -> X and Y -> Q cannot lie on a cycle and are not projected
    assert [c.members for c in circular_shareholdings(store, max_length=2).cycles] == [["t:u", "t:v"]]
    assert circular_shareholdings(store, max_cycles=1).truncated


def test_circular_shareholdings_around_seeds(store: Store) -> None:
    store.write(CYCLES)
    # from P, Y -> Z is the third hop: with depth 2 the ring is not closed yet
    assert circular_shareholdings(store, ["t:p"], depth=2).cycles == []
    assert [c.members for c in circular_shareholdings(store, ["t:p"], depth=3).cycles] == [["t:x", "t:y", "t:z"]]
    assert circular_shareholdings(store, ["t:q"], depth=1).cycles == []
    # the same through the named-query registry (as the CLI and the API run it)
    [row] = run_named(store, "cycles", {"seeds": "t:p", "depth": "3"})
    assert [c["members"] for c in row["cycles"]] == [["t:x", "t:y", "t:z"]]


BROKERS = """
CREATE (ag1:Subject:Company:Agency {uid: 't:ag1', name: 'Agency 1'}),
       (ag2:Subject:Company:Agency {uid: 't:ag2', name: 'Agency 2'}),
       (t1:Subject:Person:Agent {uid: 't:t1', name: 'Agent 1'}), (t2:Subject:Person:Agent {uid: 't:t2'}),
       (t3:Subject:Person:Agent {uid: 't:t3', name: 'Agent 3'}),
       (s1:Subject:Company {uid: 't:s1'}), (s2:Subject:Company {uid: 't:s2'}), (s3:Subject:Company {uid: 't:s3'}),
       (s4:Subject:Company {uid: 't:s4'}), (c1:Subject:Company {uid: 't:c1'}),
       (pa1:Patent {uid: 't:pa1'}), (pa2:Patent {uid: 't:pa2'}), (pa2b:Patent {uid: 't:pa2b'}),
       (pa3:Patent {uid: 't:pa3'}), (tm3:Trademark {uid: 't:tm3'}), (pc:Patent {uid: 't:pc'}),
       (pa4:Patent {uid: 't:pa4'})
CREATE (t1)-[:AGENT_OF]->(ag1), (t2)-[:AGENT_OF]->(ag1),
       (s1)-[:APPLICANT_OF]->(pa1), (s2)-[:APPLICANT_OF]->(pa2), (s2)-[:APPLICANT_OF]->(pa2b),
       (s3)-[:APPLICANT_OF]->(pa3), (s3)-[:APPLICANT_OF]->(tm3), (c1)-[:APPLICANT_OF]->(pc),
       (s4)-[:APPLICANT_OF]->(pa4),
       (ag1)-[:REPRESENTS]->(pa1), (t1)-[:REPRESENTS]->(pa1), (t1)-[:REPRESENTS]->(pa2),
       (t2)-[:REPRESENTS]->(pa3), (ag2)-[:REPRESENTS]->(pc), (ag2)-[:REPRESENTS]->(tm3),
       (t3)-[:REPRESENTS]->(pa2b), (t3)-[:REPRESENTS]->(pa4)
CREATE (s1)-[:COMMITTED]->(:Violation {uid: 't:v1', status: 'in_force', decided_on: date('2024-01-01')}),
       (s2)-[:COMMITTED]->(:Violation {uid: 't:v2', status: 'in_force', decided_on: date('2024-01-01')}),
       (s3)-[:COMMITTED]->(:Violation {uid: 't:v3', status: 'in_force', decided_on: date('2024-01-01')}),
       (s4)-[:COMMITTED]->(:Violation {uid: 't:v4', status: 'expired', decided_on: date('2019-01-01')})
"""


def test_brokers_central_to_flagged_subjects(store: Store) -> None:
    store.write(BROKERS)
    got = brokers(store, date(2025, 1, 1), min_clients=2)
    # Agency 1: S1 directly, S2 through agent 1, S3 through agent 2; agent 1: S1 and S2.
    # S4's record has expired, so agent 3 has one flagged client (S2) and is left out.
    assert [(b.uid, b.kind, b.flagged_clients, b.flagged_clients_with_agents, b.filings) for b in got.brokers] == [
        ("t:ag1", "agency", 1, 3, 1),
        ("t:t1", "agent", 2, 2, 2),
    ]
    assert got.flagged_subjects == 3
    every = {b.uid: b for b in brokers(store, date(2025, 1, 1), min_clients=1).brokers}
    assert set(every) == {"t:ag1", "t:t1", "t:t2", "t:ag2", "t:t3"}
    # Agency 1 separates {agent 2, S3, agency 2} from {S1, agent 1, S2, agent 3}: 3 x 4 pairs; agent 1
    # separates {S2, agent 3} from the other five: 2 x 5 pairs; agency 2 and agent 3 are leaves
    assert every["t:ag1"].betweenness > every["t:t1"].betweenness > 0
    assert every["t:ag2"].betweenness == every["t:t3"].betweenness == 0
    assert brokers(store, date(2023, 1, 1), min_clients=1).brokers == []  # nothing decided yet
