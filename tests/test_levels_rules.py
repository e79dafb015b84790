"""Pure rules of supervision by level, without a database: which measures an evaluation calls for
(serious-only ones only with a serious record counted), who may use the commitment route, and the
rules file refusing a measure its level does not list."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from credit.commitments import route_refusals
from credit.grading import grade
from credit.measures_applied import wanted
from credit.policy import HERE, PolicyError, add_months, default_policy
from credit.supervision_rules import default_rules, load_rules
from graph.model import Level

ON = date(2026, 6, 1)


def test_wanted_measures_by_level_and_severity() -> None:
    policy, rules = default_policy(), default_rules()
    base = grade(policy, "t:x", agency=False, as_of=ON, records=[], chains=[])
    assert base.level == Level.A and wanted(base, rules) == []
    for level in Level:
        forced = base.model_copy(update={"level": level})
        got = {w.rule: w for w in wanted(forced, rules)}
        always = {r.id for r in rules.applied if r.level is level and r.when == "always"}
        assert set(got) == always  # no serious record counted: the serious-only ones stay out
        for rule in rules.applied:
            if rule.id in got:
                assert got[rule.id].planned_end == add_months(ON, rule.months)
                assert got[rule.id].key == f"{level.value}|{rule.id}"


def test_route_refusals() -> None:
    rules = default_rules()
    assert route_refusals("A", [], rules) == []
    assert route_refusals(None, [], rules) == []
    assert len(route_refusals("D", ["v:1"], rules)) == 2
    assert route_refusals("B", ["v:1"], rules) == ["serious record(s) in force: v:1"]


def test_rules_file_refuses_a_measure_its_level_does_not_list(tmp_path: Path) -> None:
    text = (HERE / "supervision_measures.toml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('level = "C"', 'level = "A"', 1), encoding="utf-8")
    with pytest.raises(PolicyError, match="not a measure of level A"):
        load_rules(bad)
    unknown = tmp_path / "unknown.toml"
    unknown.write_text(text.replace('code = "AG_FILINGS_PER_AGENT"', 'code = "AG_NOPE"'), encoding="utf-8")
    with pytest.raises(PolicyError, match=r"AG_NOPE is not in behaviours\.toml"):
        load_rules(unknown)
