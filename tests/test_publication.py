"""The publication register: periods (minimum, maximum, the longest type governs), early end after a
repair, ends by workflow steps and by the daily run, each audited and in the change feed."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from api.cli import app
from credit.policy import default_policy
from credit.publication import (
    EndReason,
    PublicationPolicy,
    RecordFacts,
    default_publication_policy,
    state_on,
)
from credit.register import run
from credit.workflow import (
    ObjectionRequest,
    Outcome,
    RepairRequest,
    ResolveRequest,
    file_objection,
    repair,
    resolve_objection,
)
from graph.settings import get_settings
from graph.store import Store
from queries.feed import changes_since
from queries.publication import published_among
from tests.test_chains import make_graph

POLICY = default_policy()
RULES = default_publication_policy()
DAY = date(2025, 1, 1)


def rules(**behaviour: int) -> PublicationPolicy:
    return RULES.model_copy(update={"behaviour": behaviour})


def test_shipped_periods_are_within_the_bounds() -> None:
    assert RULES.min_months == 3 and RULES.max_months == 36
    for code in POLICY.catalogue.behaviours:
        assert RULES.min_months <= RULES.period([code], POLICY) <= RULES.max_months


def test_period_is_at_least_the_minimum_and_at_most_the_maximum() -> None:
    short = rules(CN_FALSE_MATERIAL=1)
    long = rules(CN_FALSE_MATERIAL=120)
    facts = RecordFacts(decided_on=DAY, codes=["CN_FALSE_MATERIAL"])
    assert state_on(facts, DAY, short, POLICY).published_until == date(2025, 4, 1)  # type: ignore[union-attr]
    assert state_on(facts, DAY, long, POLICY).published_until == date(2028, 1, 1)  # type: ignore[union-attr]


def test_the_longest_type_governs() -> None:
    general, serious = RULES.period(["CN_FALSE_MATERIAL"], POLICY), RULES.period(["CN_MALICIOUS_TM"], POLICY)
    assert general < serious
    assert RULES.period(["CN_FALSE_MATERIAL", "CN_MALICIOUS_TM"], POLICY) == serious
    assert RULES.period(["CN_MALICIOUS_TM", "CN_FALSE_MATERIAL"], POLICY) == serious


def test_automatic_end_at_the_period() -> None:
    facts = RecordFacts(decided_on=DAY, codes=["CN_FALSE_MATERIAL"])
    until = state_on(facts, DAY, RULES, POLICY).published_until  # type: ignore[union-attr]
    assert state_on(facts, date.fromordinal(until.toordinal() - 1), RULES, POLICY).ended_on is None  # type: ignore[union-attr]
    ended = state_on(facts, until, RULES, POLICY)
    assert ended is not None and ended.ended_on == until and ended.end_reason is EndReason.PERIOD_OVER
    assert not ended.published_on(until) and ended.published_on(DAY)


def test_repair_ends_early_but_not_before_the_minimum() -> None:
    early = RecordFacts(decided_on=DAY, codes=["CN_FALSE_MATERIAL"], status="repaired", ended_on=date(2025, 2, 1))
    assert state_on(early, date(2025, 3, 31), RULES, POLICY).ended_on is None  # type: ignore[union-attr]
    ended = state_on(early, date(2025, 4, 1), RULES, POLICY)
    assert ended is not None and ended.ended_on == date(2025, 4, 1) and ended.end_reason is EndReason.REPAIR
    late = early.model_copy(update={"ended_on": date(2025, 8, 1)})
    ended = state_on(late, date(2025, 8, 1), RULES, POLICY)
    assert ended is not None and ended.ended_on == date(2025, 8, 1) and ended.end_reason is EndReason.REPAIR


def test_revocation_ends_at_once_and_future_records_are_not_published() -> None:
    revoked = RecordFacts(decided_on=DAY, codes=["CN_FALSE_MATERIAL"], status="revoked", ended_on=date(2025, 1, 10))
    ended = state_on(revoked, date(2025, 1, 10), RULES, POLICY)
    assert ended is not None and ended.end_reason is EndReason.REVOKED
    upheld = revoked.model_copy(update={"revoked_by_objection": True})
    assert state_on(upheld, date(2025, 2, 1), RULES, POLICY).end_reason is EndReason.OBJECTION_UPHELD  # type: ignore[union-attr]
    assert state_on(revoked, date(2024, 12, 31), RULES, POLICY) is None


def test_bounds_are_checked() -> None:
    with pytest.raises(ValueError):
        PublicationPolicy.model_validate({**RULES.model_dump(), "min_months": 40})


def _state(store: Store, uid: str) -> dict[str, object]:
    row = store.read(
        "MATCH (v:Violation {uid: $uid}) RETURN v.published_from AS f, v.published_until AS u, "
        "v.publication_ended_on AS e, v.publication_end_reason AS r",
        {"uid": uid},
    )[0]
    return dict(row)


def _published(store: Store, uid: str, on: date) -> bool:
    return uid in published_among(store, [uid], on)[1]


def test_daily_run_starts_and_ends_audited_and_in_the_feed(store: Store) -> None:
    make_graph(
        store,
        ["t:a", "t:b"],
        violations=[
            ("v:gen", "t:a", "CN_FALSE_MATERIAL", "2025-01-01", {}),
            ("v:multi1", "t:b", "CN_FALSE_MATERIAL", "2025-01-01", {"doc_number": "D-1"}),
            ("v:multi2", "t:b", "CN_MALICIOUS_TM", "2025-01-01", {"doc_number": "D-1"}),
            ("v:later", "t:a", "CN_FALSE_MATERIAL", "2026-01-01", {}),
        ],
    )
    assert not _published(store, "v:gen", date(2025, 2, 1))  # nothing published before a run
    first = run(store, date(2025, 2, 1))
    assert (first.started, first.ended) == (3, 0)
    assert _published(store, "v:gen", date(2025, 2, 1)) and not _published(store, "v:later", date(2025, 2, 1))
    assert str(_state(store, "v:multi1")["u"]) == str(_state(store, "v:multi2")["u"]) == "2028-01-01"
    assert run(store, date(2025, 2, 1)).started == 0  # re-running changes nothing
    second = run(store, date(2026, 1, 1))
    assert (second.started, second.ended) == (1, 1)
    assert _state(store, "v:gen")["r"] == "period_over" and str(_state(store, "v:gen")["e"]) == "2026-01-01"
    assert not _published(store, "v:gen", date(2026, 1, 1)) and _published(store, "v:gen", date(2025, 12, 31))
    events = [c for c in changes_since(store, 0, 100) if c.cause_kind == "publication"]
    assert {u for c in events for u in c.publication_started} == {"v:gen", "v:multi1", "v:multi2", "v:later"}
    assert [u for c in events for u in c.publication_ended] == ["v:gen"]
    audited = store.read(
        "MATCH (e:AuditEvent {uid: $uid})-[:ABOUT]->(v) RETURN collect(v.uid) AS v", {"uid": second.event_uid}
    )[0]["v"]
    assert sorted(audited) == ["v:gen", "v:later"]


def test_workflow_steps_end_publication(store: Store) -> None:
    make_graph(
        store,
        ["t:a"],
        violations=[
            ("v:rep", "t:a", "CN_FALSE_MATERIAL", "2025-01-01", {"penalty_done_on": date(2025, 2, 1)}),
            ("v:obj", "t:a", "CN_COMMITMENT_BROKEN", "2025-03-01", {}),
        ],
    )
    run(store, date(2025, 3, 1))
    granted = repair(store, RepairRequest(violation_uid="v:rep", actor="a", reason="done", on=date(2025, 7, 2)))
    assert _state(store, "v:rep")["r"] == "repair" and str(_state(store, "v:rep")["e"]) == "2025-07-02"
    feed = changes_since(store, 0, 100)
    assert any(c.cause_uid == granted.event_uid and c.publication_ended == ["v:rep"] for c in feed)
    filed = file_objection(store, ObjectionRequest(violation_uid="v:obj", actor="a", reason="x", on=date(2025, 4, 1)))
    assert _published(store, "v:obj", date(2025, 4, 1))  # a pending objection does not end publication
    resolve_objection(
        store,
        ResolveRequest(
            objection_uid=filed.objection_uid or "", outcome=Outcome.UPHELD, actor="b", reason="y", on=date(2025, 4, 2)
        ),
    )
    assert _state(store, "v:obj")["r"] == "objection_upheld"
    assert not _published(store, "v:obj", date(2025, 4, 2))


def test_cli_run(store: Store, neo4j_uri: str, monkeypatch: pytest.MonkeyPatch) -> None:
    make_graph(store, ["t:a"], violations=[("v:1", "t:a", "CN_FALSE_MATERIAL", "2025-01-01", {})])
    monkeypatch.setenv("NEO4J_URI", neo4j_uri)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["publication", "run", "--on", "2025-02-01", "--json"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert '"started": 1' in result.output
    assert _published(store, "v:1", date(2025, 2, 1))
