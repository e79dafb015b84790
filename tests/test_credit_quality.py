"""Quality of the credit model on synthetic data with planted rings, judged against `truth.jsonl`:
serious offenders are D, strongly tied clean members C or below, recall and precision of "C or D"
against `expected_risky` at least 0.95, and no subject without records or chains graded D."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from credit.classify import classify_all
from credit.policy import Severity, default_policy
from graph.store import Store
from loaders.formats import reader_for
from loaders.pipeline import load
from synth.generator import generate

SUBJECTS = 3000  # three planted rings (one of each kind)
AS_OF = date(2026, 6, 30)  # the generator's reference day


def test_levels_against_planted_rings(store: Store, tmp_path: Path) -> None:
    policy = default_policy()
    out = tmp_path / "synth"
    generate(out, SUBJECTS, seed=11)
    summary = load(store, reader_for("csv")(out), rejects_path=None, batch_size=5000, resolve=False)
    assert summary.total.rejected == 0
    truth = [json.loads(line) for line in (out / "truth.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {t["ring_kind"] for t in truth if t["ring"]} == {"shell_tm", "patent_split", "cert_hanging"}

    run = classify_all(store, AS_OF, policy)
    assert run.subjects == len(truth)
    rows = store.read("MATCH (s:Subject) RETURN s.uid AS uid, s.level AS level, coalesce(s.factors, '{}') AS factors")
    level = {r["uid"]: r["level"] for r in rows}
    factors = {r["uid"]: json.loads(r["factors"]) for r in rows}
    assert len(level) == len(truth)

    serious_codes = {c for c, b in policy.catalogue.behaviours.items() if b.severity is Severity.SERIOUS}
    serious_offenders = {
        r["uid"]
        for r in store.read(
            "MATCH (s:Subject)-[:COMMITTED]->(v:Violation) WHERE v.behaviour_code IN $codes "
            "AND coalesce(v.status, 'in_force') = 'in_force' RETURN DISTINCT s.uid AS uid",
            {"codes": sorted(serious_codes)},
        )
    }
    offenders = {t["uid"] for t in truth if t["role"] == "offender"}
    assert serious_offenders and serious_offenders <= offenders
    assert all(level[u] == "D" for u in serious_offenders), {u: level[u] for u in serious_offenders}
    tied = [t["uid"] for t in truth if t["role"] == "tied"]
    assert tied and all(level[u] in ("C", "D") for u in tied), {u: level[u] for u in tied}

    flagged = {u for u, lv in level.items() if lv in ("C", "D")}
    expected = {t["uid"] for t in truth if t["expected_risky"]}
    recall = len(flagged & expected) / len(expected)
    precision = len(flagged & expected) / len(flagged)
    print(f"\nquality on {len(truth)} subjects: recall {recall:.3f}, precision {precision:.3f}, flagged {len(flagged)}")
    assert recall >= 0.95 and precision >= 0.95

    # nobody without a counted record or a chain is graded D
    bare = [u for u, f in factors.items() if not f.get("records") and not f.get("chains")]
    assert bare and all(level[u] != "D" for u in bare)
    assert all(level[u] in ("A", "A+", "B") for u in bare)
