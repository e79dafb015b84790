"""Dishonesty chains on hand-built graphs: hops and decay, ratio weights, direction, dates, shared
contact points (a business centre must not tie everyone), and the outward form agreeing with the
single form."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

import pytest

from credit.params import chain_params
from credit.policy import Policy, default_policy
from graph.schema import PARTY_TIES
from graph.store import Store
from queries.chains import Chain, chains_of, chains_outward
from queries.statements import cypher

AS_OF = date(2026, 6, 1)


def make_graph(
    store: Store,
    subjects: dict[str, str] | list[str],
    ties: Sequence[tuple[str, str, str, dict[str, Any]]] = (),
    violations: Sequence[tuple[str, str, str, str, dict[str, Any]]] = (),
    contacts: Sequence[tuple[str, str, str]] = (),
) -> None:
    """Subjects (uid -> extra label, or a list of companies), ties (type, start, end, props),
    violations (uid, subject, code, decided_on, props), contacts (link type, subject, contact uid)."""
    labels = subjects if isinstance(subjects, dict) else dict.fromkeys(subjects, "Company")
    for uid, extra in labels.items():
        store.write(f"CREATE (s:Subject:{extra} {{uid: $uid, name: $uid}})", {"uid": uid})
    for rel, start, end, props in ties:
        props = {k: (date.fromisoformat(v) if k in ("since", "until") else v) for k, v in props.items()}
        store.write(
            f"MATCH (a:Subject {{uid: $a}}), (b:Subject {{uid: $b}}) CREATE (a)-[r:{rel}]->(b) SET r = $props",
            {"a": start, "b": end, "props": props},
        )
    for uid, subject, code, decided, props in violations:
        store.write(
            "MATCH (s:Subject {uid: $s}) CREATE (s)-[:COMMITTED]->(v:Violation {uid: $uid}) "
            "SET v += $props, v.behaviour_code = $code, v.decided_on = date($decided)",
            {"s": subject, "uid": uid, "code": code, "decided": decided, "props": props},
        )
    label_of = {"LOCATED_AT": "Address", "USES_PHONE": "Phone", "USES_EMAIL": "Email"}
    for rel, subject, contact in contacts:
        store.write(
            f"MATCH (s:Subject {{uid: $s}}) MERGE (c:{label_of[rel]} {{uid: $c}}) CREATE (s)-[:{rel}]->(c)",
            {"s": subject, "c": contact},
        )


def by_offender(chains: list[Chain]) -> dict[str, Chain]:
    """The strongest chain per offender."""
    out: dict[str, Chain] = {}
    for c in chains:
        if c.offender_uid not in out or c.strength > out[c.offender_uid].strength:
            out[c.offender_uid] = c
    return out


@pytest.fixture
def policy() -> Policy:
    return default_policy()


def test_party_tie_literals_match_the_schema() -> None:
    """The chains statements follow exactly schema.PARTY_TIES (filled in from the schema as they are read)."""
    wanted = {str(t) for t in PARTY_TIES}
    for name in ("dishonesty_chains", "dishonesty_chains_outward"):
        text = cypher.text(f"credit/{name}")  # as read: the schema's tie lists fill their slots
        patterns = re.findall(r"\[\w+:([A-Z_|]+)\]", text)
        party = [set(p.split("|")) for p in patterns if "LEGAL_REP_OF" in p]
        assert party and all(p == wanted for p in party), name


def test_hops_decay_and_the_hop_limit(store: Store, policy: Policy) -> None:
    # s - p1 - c1 - p2 - c2 - p3 ; offenders at 1, 2, 3 and 4 hops, all legal-rep ties
    make_graph(
        store,
        {"t:s": "Company", "t:p1": "Person", "t:c1": "Company", "t:p2": "Person", "t:c2": "Company", "t:x": "Company"},
        [
            ("LEGAL_REP_OF", "t:p1", "t:s", {}),
            ("LEGAL_REP_OF", "t:p1", "t:c1", {}),
            ("LEGAL_REP_OF", "t:p2", "t:c1", {}),
            ("LEGAL_REP_OF", "t:p2", "t:c2", {}),
            ("BRANCH_OF", "t:x", "t:c2", {}),
        ],
        [
            ("v:1", "t:p1", "CN_FALSE_MATERIAL", "2026-01-01", {}),
            ("v:2", "t:c1", "CN_FALSE_MATERIAL", "2026-01-01", {}),
            ("v:3", "t:p2", "CN_FALSE_MATERIAL", "2026-01-01", {}),
            ("v:4", "t:c2", "CN_FALSE_MATERIAL", "2026-01-01", {}),
        ],
    )
    w = policy.chains.tie_weights["LEGAL_REP_OF"]
    d = policy.chains.decay
    found = by_offender(chains_of(store, "t:s", chain_params(policy, AS_OF)))
    assert set(found) == {"t:p1", "t:c1", "t:p2"}  # c2 is 4 hops away: beyond k = 3
    assert found["t:p1"].hops == 1 and found["t:p1"].strength == pytest.approx(w)
    assert found["t:c1"].hops == 2 and found["t:c1"].strength == pytest.approx(w * w * d)
    assert found["t:p2"].hops == 3 and found["t:p2"].strength == pytest.approx(w**3 * d**2)
    assert found["t:p2"].path == ["t:s", "t:p1", "t:c1", "t:p2"]
    assert [s.type for s in found["t:p2"].steps] == ["LEGAL_REP_OF"] * 3
    # a smaller k cuts the longer chains
    short = chain_params(policy, AS_OF).model_copy(update={"k": 2})
    assert set(by_offender(chains_of(store, "t:s", short))) == {"t:p1", "t:c1"}


def test_shareholding_weighted_by_ratio_and_control(store: Store, policy: Policy) -> None:
    make_graph(
        store,
        ["t:s", "t:minor", "t:major", "t:unknown"],
        [
            ("SHAREHOLDER_OF", "t:minor", "t:s", {"ratio": 0.2}),
            ("SHAREHOLDER_OF", "t:s", "t:major", {"ratio": 0.7}),  # s controls major
            ("SHAREHOLDER_OF", "t:unknown", "t:s", {}),
        ],
        [
            ("v:1", "t:minor", "CN_FALSE_MATERIAL", "2026-01-01", {}),
            ("v:2", "t:major", "CN_FALSE_MATERIAL", "2026-01-01", {}),
            ("v:3", "t:unknown", "CN_FALSE_MATERIAL", "2026-01-01", {}),
        ],
    )
    w = policy.chains.tie_weights["SHAREHOLDER_OF"]
    assert policy.chains.control_ratio < 0.7
    found = by_offender(chains_of(store, "t:s", chain_params(policy, AS_OF)))
    assert found["t:minor"].strength == pytest.approx(w * 0.2)
    assert found["t:major"].strength == pytest.approx(w * 1.0)  # above the control ratio: full weight
    assert found["t:unknown"].strength == pytest.approx(w * policy.chains.missing_ratio)
    assert found["t:minor"].steps[0].ratio == pytest.approx(0.2)


def test_direction_is_ignored_and_dates_bound_ties(store: Store, policy: Policy) -> None:
    make_graph(
        store,
        {"t:s": "Company", "t:a": "Person", "t:old": "Company", "t:new": "Company"},
        [
            ("OFFICER_OF", "t:a", "t:s", {}),  # a -> s, then s <- ... chains walk against direction too
            ("LEGAL_REP_OF", "t:a", "t:old", {"until": "2025-01-01"}),  # ended before the date
            ("LEGAL_REP_OF", "t:a", "t:new", {"since": "2026-09-01"}),  # not yet formed on the date
        ],
        [
            ("v:a", "t:a", "CN_FALSE_MATERIAL", "2026-01-01", {}),
            ("v:old", "t:old", "CN_FALSE_MATERIAL", "2026-01-01", {}),
            ("v:new", "t:new", "CN_FALSE_MATERIAL", "2026-01-01", {}),
        ],
    )
    found = by_offender(chains_of(store, "t:s", chain_params(policy, AS_OF)))
    assert set(found) == {"t:a"}
    later = by_offender(chains_of(store, "t:s", chain_params(policy, date(2026, 10, 1))))
    assert set(later) == {"t:a", "t:new"}


def test_records_not_in_force_start_no_chain(store: Store, policy: Policy) -> None:
    make_graph(
        store,
        ["t:s", "t:a", "t:b", "t:c", "t:d", "t:e", "t:f"],
        [("BRANCH_OF", x, "t:s", {}) for x in ("t:a", "t:b", "t:c", "t:d", "t:e", "t:f")],
        [
            ("v:a", "t:a", "CN_FALSE_MATERIAL", "2025-05-01", {}),  # 12 months in force: expired
            ("v:b", "t:b", "CN_FALSE_MATERIAL", "2026-01-01", {"status": "revoked"}),
            ("v:c", "t:c", "CN_FALSE_MATERIAL", "2026-09-01", {}),  # not yet decided
            ("v:d", "t:d", "CN_FALSE_MATERIAL", "2026-01-01", {"suspended_since": date(2026, 3, 1)}),
            ("v:e", "t:e", "CN_FALSE_MATERIAL", "2026-01-01", {"expires_on": date(2026, 5, 1)}),
            ("v:f", "t:f", "POS_COMMENDATION", "2026-01-01", {}),  # positive records never start chains
        ],
    )
    assert chains_of(store, "t:s", chain_params(policy, AS_OF)) == []
    # before the objection was filed, the suspended record still counted
    assert set(by_offender(chains_of(store, "t:s", chain_params(policy, date(2026, 2, 1))))) == {"t:a", "t:d", "t:e"}


def test_business_centre_does_not_tie_everyone(store: Store, policy: Policy) -> None:
    sus = policy.chains.suspected
    small, mid, big = 2, sus.full_weight_up_to + 3, sus.skip_above + 1
    subjects = ["t:s", "t:off"] + [f"t:m{i}" for i in range(mid)] + [f"t:b{i}" for i in range(big)]
    contacts = [("USES_PHONE", "t:s", "phone:small"), ("USES_PHONE", "t:off", "phone:small")]  # 2 share it
    contacts += [("LOCATED_AT", x, "address:mid") for x in ["t:s", "t:off"] + [f"t:m{i}" for i in range(mid - 2)]]
    contacts += [("USES_EMAIL", x, "email:big") for x in ["t:s", "t:off"] + [f"t:b{i}" for i in range(big - 2)]]
    make_graph(store, subjects, [], [("v:1", "t:off", "CN_MALICIOUS_TM", "2026-01-01", {})], contacts)
    found = chains_of(store, "t:s", chain_params(policy, AS_OF))
    via = {c.steps[0].via: c for c in found}
    assert set(via) == {"phone:small", "address:mid"}  # the business-centre email ties nobody
    assert via["phone:small"].strength == pytest.approx(sus.weight)
    assert via["phone:small"].steps[0].sharers == small
    assert via["address:mid"].strength == pytest.approx(sus.weight * sus.full_weight_up_to / mid)
    assert all(c.steps[0].suspected for c in found)


def test_at_most_one_suspected_tie_per_chain(store: Store, policy: Policy) -> None:
    make_graph(
        store,
        ["t:s", "t:m", "t:off", "t:rep"],
        [("LEGAL_REP_OF", "t:rep", "t:m", {})],
        [("v:1", "t:off", "CN_MALICIOUS_TM", "2026-01-01", {})],
        [
            ("USES_PHONE", "t:s", "phone:1"),
            ("USES_PHONE", "t:m", "phone:1"),
            ("USES_PHONE", "t:m", "phone:2"),
            ("USES_PHONE", "t:off", "phone:2"),
        ],
    )
    assert chains_of(store, "t:s", chain_params(policy, AS_OF)) == []  # s ~ m ~ off: two suspected ties
    # rep - m ~ off: one registry tie then one suspected tie is a chain of 2 hops
    found = chains_of(store, "t:rep", chain_params(policy, AS_OF))
    assert [(c.hops, [s.suspected for s in c.steps]) for c in found] == [(2, [False, True])]


def test_time_order_marks_ties_formed_after_the_record(store: Store, policy: Policy) -> None:
    make_graph(
        store,
        {"t:s": "Company", "t:p": "Person", "t:off": "Company"},
        [
            ("LEGAL_REP_OF", "t:p", "t:off", {"since": "2020-01-01"}),
            ("LEGAL_REP_OF", "t:p", "t:s", {"since": "2026-03-01"}),  # set up after the record
        ],
        [("v:1", "t:off", "CN_MALICIOUS_TM", "2026-01-01", {})],
    )
    (chain,) = chains_of(store, "t:s", chain_params(policy, AS_OF))
    assert [s.after for s in chain.steps] == [True, False]
    w, d, f = policy.chains.tie_weights["LEGAL_REP_OF"], policy.chains.decay, policy.time_order.after_factor
    assert chain.strength == pytest.approx(min(1.0, w * f * w * d))


def test_outward_form_agrees_with_single_form(store: Store, policy: Policy) -> None:
    make_graph(
        store,
        {"t:a": "Company", "t:p": "Person", "t:b": "Company", "t:c": "Company", "t:q": "Person", "t:ag": "Agency"},
        [
            ("LEGAL_REP_OF", "t:p", "t:a", {}),
            ("SHAREHOLDER_OF", "t:p", "t:b", {"ratio": 0.3}),
            ("OFFICER_OF", "t:q", "t:b", {}),
            ("FAMILY_OF", "t:q", "t:p", {}),
            ("AGENT_OF", "t:q", "t:ag", {}),
        ],
        [
            ("v:1", "t:b", "CN_MALICIOUS_TM", "2026-01-01", {}),
            ("v:2", "t:c", "CN_ABNORMAL_PATENT", "2026-02-01", {}),
        ],
        [("LOCATED_AT", "t:a", "address:1"), ("LOCATED_AT", "t:c", "address:1")],
    )
    params = chain_params(policy, AS_OF)

    def key(c: Chain) -> tuple[str, str, tuple[str, ...], float]:
        return (c.subject_uid, c.violation.uid, tuple(c.path), round(c.strength, 9))

    outward = sorted(key(c) for c in chains_outward(store, params))
    single = sorted(
        key(c) for uid in ("t:a", "t:p", "t:b", "t:c", "t:q", "t:ag") for c in chains_of(store, uid, params)
    )
    assert outward == single
    assert any(k[0] == "t:ag" for k in outward)  # the agency is reached (with the agency weights)
    only_v2 = {c.subject_uid for c in chains_outward(store, params, violation_uid="v:2")}
    assert only_v2 == {c.subject_uid for c in chains_outward(store, params) if c.violation.uid == "v:2"}
    from_c = sorted(key(c) for c in chains_outward(store, params, offenders=["t:c", "t:nobody"]))
    assert from_c == sorted(key(c) for c in chains_outward(store, params) if c.offender_uid == "t:c") != []


def test_hub_parties_end_chains_but_are_not_passed_through(store: Store, policy: Policy) -> None:
    companies = [f"t:c{i}" for i in range(4)]
    make_graph(
        store,
        {"t:s": "Company", "t:hub": "Person", **dict.fromkeys(companies, "Company")},
        [("LEGAL_REP_OF", "t:hub", x, {}) for x in ["t:s", *companies]],
        [
            ("v:hub", "t:hub", "CN_FALSE_MATERIAL", "2026-01-01", {}),
            ("v:c0", "t:c0", "CN_FALSE_MATERIAL", "2026-01-01", {}),
        ],
    )
    params = chain_params(policy, AS_OF)
    assert set(by_offender(chains_of(store, "t:s", params))) == {"t:hub", "t:c0"}
    small = params.model_copy(update={"hub_skip_above": 3})  # the hub has 5 ties
    assert set(by_offender(chains_of(store, "t:s", small))) == {"t:hub"}
    assert {c.subject_uid for c in chains_outward(store, small) if c.violation.uid == "v:c0"} == {"t:hub"}
