"""The credit model's rules, each tested exactly: the policy files, own deductions, the serious veto,
linked risk (strongest chain per record, diminishing, cap), time order, the agency variant, A+, and
(against the graph) which records count on a date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from credit.evaluate import evaluate
from credit.grading import grade
from credit.policy import HERE, Behaviour, Catalogue, Policy, PolicyError, Severity, default_policy, load_policy
from graph.model import Level
from graph.store import Store
from queries.chains import Chain, ChainStep, ChainViolation
from queries.credit import OwnRecord, RecordInfo
from tests.test_chains import make_graph

AS_OF = date(2026, 6, 1)
APRIL = date(2026, 4, 1)


@pytest.fixture
def policy() -> Policy:
    return default_policy()


def record(uid: str, code: str, decided: str = "2026-01-01", not_counted: str | None = None) -> OwnRecord:
    return OwnRecord(
        violation=RecordInfo(uid=uid, behaviour_code=code, decided_on=date.fromisoformat(decided)),
        not_counted=not_counted,
    )


def chain(
    violation: str, code: str, strength: float, hops: int = 1, offender: str = "t:o", after: bool = False
) -> Chain:
    steps = [ChainStep(type="LEGAL_REP_OF", start="t:x", end="t:y", weight=0.9, after=after and i == 0)
             for i in range(hops)]  # fmt: skip
    return Chain(
        subject_uid="t:s",
        offender_uid=offender,
        path=["t:s", *[f"t:n{i}" for i in range(hops - 1)], offender],
        steps=steps,
        hops=hops,
        strength=strength,
        violation=ChainViolation(uid=violation, behaviour_code=code, decided_on=date(2026, 1, 1)),
    )


def test_policy_files_hold_what_the_model_needs(policy: Policy) -> None:
    cat = policy.catalogue
    assert policy.version and policy.base_score == 100
    for code, severity in {
        "CN_MALICIOUS_TM": Severity.SERIOUS,
        "CN_ABNORMAL_PATENT": Severity.GENERAL,
        "CN_AGENCY_ILLEGAL": Severity.SERIOUS,
        "CN_FALSE_MATERIAL": Severity.GENERAL,
        "US_SANCTION": Severity.SERIOUS,
        "EU_SANCTION": Severity.SERIOUS,
    }.items():
        found = cat.get(code)
        assert found is not None and found.severity is severity, code
    # patent-agency scheme deductions from the domain notes
    assert {cat.behaviours[c].deduction for c in ("AG_LICENCE_REVOKED", "AG_MANAGER_CONVICTED")} == {100}
    assert cat.behaviours["AG_STOP_NEW_BUSINESS"].deduction == 60
    assert cat.behaviours["AG_FILINGS_PER_AGENT"].deduction == 15
    assert set(policy.measures) == set(Level)
    assert policy.repair.ordinary_wait_months == 6 and policy.repair.serious_wait_months == 12
    assert (policy.levels.level(100), policy.levels.level(100.5), policy.levels.level(89.9)) == (
        Level.A,
        Level.A_PLUS,
        Level.B,
    )
    assert (policy.levels.level(80), policy.levels.level(79.99), policy.levels.level(59.99)) == (
        Level.B,
        Level.C,
        Level.D,
    )


def test_a_bad_policy_file_fails_loudly(tmp_path: Path) -> None:
    text = (HERE / "policy.toml").read_text(encoding="utf-8").replace("k = 3 ", "k = 7 ")
    bad = tmp_path / "policy.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError, match="k"):
        load_policy(policy_file=bad)
    with pytest.raises(PolicyError, match="not found"):
        load_policy(policy_file=tmp_path / "missing.toml")


def test_own_general_record_deducts(policy: Policy) -> None:
    deduction = policy.catalogue.behaviours["CN_FALSE_MATERIAL"].deduction
    ev = grade(policy, "t:s", agency=False, as_of=AS_OF, records=[record("v:1", "CN_FALSE_MATERIAL")], chains=[])
    assert ev.score == pytest.approx(policy.base_score - deduction)
    assert ev.level == policy.levels.level(policy.base_score - deduction)
    assert ev.records[0].counted and ev.records[0].deduction == deduction
    assert ev.measures.level == ev.level and ev.measures.measures


def test_records_that_do_not_count_deduct_nothing(policy: Policy) -> None:
    ev = grade(
        policy,
        "t:s",
        agency=False,
        as_of=AS_OF,
        records=[record("v:1", "CN_MALICIOUS_TM", not_counted="expired")],
        chains=[],
    )
    assert (ev.score, ev.level, ev.records[0].counted, ev.records[0].note) == (100, Level.A, False, "expired")


def test_serious_record_forces_the_veto_level(policy: Policy) -> None:
    mild = Behaviour(
        code="X_SERIOUS",
        name_zh="x",
        name_en="x",
        category="test",
        severity=Severity.SERIOUS,
        deduction=1,
        months_in_force=12,
    )
    variant = policy.model_copy(update={"catalogue": Catalogue(behaviours={"X_SERIOUS": mild})})
    ev = grade(variant, "t:s", agency=False, as_of=AS_OF, records=[record("v:1", "X_SERIOUS")], chains=[])
    assert ev.score == 99 and ev.level_by_score == Level.A
    assert ev.level == policy.veto.serious_level == Level.D
    assert ev.overrides and "v:1" in ev.overrides[0]
    assert ev.measures.level == Level.D


def test_linked_risk_strongest_chain_per_record_diminishing_and_cap(policy: Policy) -> None:
    general = policy.catalogue.behaviours["CN_FALSE_MATERIAL"].deduction
    serious = policy.catalogue.behaviours["CN_MALICIOUS_TM"].deduction
    r = policy.linked.diminishing
    chains = [
        chain("v:1", "CN_FALSE_MATERIAL", 0.5, hops=1),
        chain("v:1", "CN_FALSE_MATERIAL", 0.2, hops=2),  # same record, weaker: evidence only
        chain("v:2", "CN_FALSE_MATERIAL", 0.3, hops=1, offender="t:o2"),
    ]
    ev = grade(policy, "t:s", agency=False, as_of=AS_OF, records=[], chains=chains)
    expected = 0.5 * general + r * 0.3 * general
    assert ev.linked_deduction == pytest.approx(expected)
    assert ev.score == pytest.approx(policy.base_score - expected)
    assert [c.counted for c in ev.chains] == [True, True, False]
    assert ev.chains[2].note and "stronger chain" in ev.chains[2].note
    # many strong chains to serious records: capped
    many = [chain(f"v:{i}", "CN_MALICIOUS_TM", 1.0, offender=f"t:o{i}") for i in range(5)]
    capped = grade(policy, "t:s", agency=False, as_of=AS_OF, records=[], chains=many)
    assert serious * (1 + r) > policy.linked.cap
    assert capped.linked_cap_reached and capped.linked_deduction == policy.linked.cap
    assert capped.level == policy.levels.level(policy.base_score - policy.linked.cap)
    assert capped.level != Level.D  # linked risk alone never reaches the veto level


def test_time_order_caps_the_level_for_ties_formed_after(policy: Policy) -> None:
    assert policy.time_order.enabled
    weak = 0.05  # a weak chain: by score alone the subject stays A
    after = grade(
        policy,
        "t:s",
        agency=False,
        as_of=AS_OF,
        records=[],
        chains=[chain("v:1", "CN_MALICIOUS_TM", weak, hops=2, after=True)],
    )
    before = grade(
        policy,
        "t:s",
        agency=False,
        as_of=AS_OF,
        records=[],
        chains=[chain("v:1", "CN_MALICIOUS_TM", weak, hops=2, after=False)],
    )
    assert before.level == before.level_by_score == Level.A
    assert after.level == policy.time_order.cap_level and after.overrides
    off = policy.model_copy(update={"time_order": policy.time_order.model_copy(update={"enabled": False})})
    later = [chain("v:1", "CN_MALICIOUS_TM", weak, 2, after=True)]
    assert grade(off, "t:s", agency=False, as_of=AS_OF, records=[], chains=later).level == Level.A


def test_agency_variant_weighs_linked_risk_more(policy: Policy) -> None:
    chains = [chain("v:1", "CN_FALSE_MATERIAL", 0.5)]
    general = policy.catalogue.behaviours["CN_FALSE_MATERIAL"].deduction
    plain = grade(policy, "t:s", agency=False, as_of=AS_OF, records=[], chains=chains)
    agency = grade(policy, "t:s", agency=True, as_of=AS_OF, records=[], chains=chains)
    assert plain.linked_deduction == pytest.approx(0.5 * general * policy.linked.scale)
    assert agency.linked_deduction == pytest.approx(0.5 * general * policy.agency.linked_scale)


def test_positive_records_reach_a_plus_and_unknown_codes_still_count(policy: Policy) -> None:
    bonus = -policy.catalogue.behaviours["POS_COMMENDATION"].deduction
    ev = grade(policy, "t:s", agency=False, as_of=AS_OF, records=[record("v:1", "POS_COMMENDATION")], chains=[])
    assert ev.score == pytest.approx(policy.base_score + bonus) and ev.level == Level.A_PLUS
    unknown = grade(policy, "t:s", agency=False, as_of=AS_OF, records=[record("v:2", "ZZ_NEW_CODE")], chains=[])
    assert unknown.score == pytest.approx(policy.base_score - policy.unknown_behaviour.deduction)
    assert unknown.records[0].note and "not in the behaviour catalogue" in unknown.records[0].note


def test_evaluate_counts_only_records_in_force_on_the_date(store: Store, policy: Policy) -> None:
    make_graph(
        store,
        ["t:s"],
        [],
        [
            ("v:expired", "t:s", "CN_FALSE_MATERIAL", "2025-01-01", {}),
            ("v:future", "t:s", "CN_FALSE_MATERIAL", "2026-08-01", {}),
            ("v:repaired", "t:s", "CN_FALSE_MATERIAL", "2026-01-01", {"status": "repaired", "ended_on": APRIL}),
            ("v:suspended", "t:s", "CN_ABNORMAL_PATENT", "2026-01-01", {"suspended_since": date(2026, 5, 1)}),
            ("v:live", "t:s", "CN_COMMITMENT_BROKEN", "2026-02-01", {}),
        ],
    )  # fmt: skip
    ev = evaluate(store, "t:s", AS_OF, policy)
    notes = {r.violation_uid: r.note for r in ev.records if not r.counted}
    assert set(notes) == {"v:expired", "v:future", "v:repaired", "v:suspended"}
    assert notes["v:expired"] == "expired" and notes["v:repaired"] == "repaired"
    assert notes["v:suspended"] == "suspended by a pending objection"
    assert notes["v:future"] == "not yet decided on that date"
    live = policy.catalogue.behaviours["CN_COMMITMENT_BROKEN"].deduction
    assert ev.score == pytest.approx(policy.base_score - live)
    # earlier, before the repair and the objection, both counted
    march = evaluate(store, "t:s", date(2026, 3, 1), policy)
    assert {r.violation_uid for r in march.records if r.counted} == {"v:repaired", "v:suspended", "v:live"}
