"""The synthetic generator: exact size, determinism, referential integrity, the planted rings and their
ground truth, the heavy-tailed shapes, and a clean load through the canonical reader into the graph."""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from typer.testing import CliRunner

from api.cli import app
from graph.store import Store
from loaders.formats import reader_for
from loaders.pipeline import load
from loaders.records import Reject
from synth.generator import FILES, RING_KINDS, generate

SERIOUS = {"CN_MALICIOUS_TM", "CN_AGENCY_ILLEGAL"}
STRONG = ("legal_rep", "officer")


def rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def truth(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (folder / "truth.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "set"
    generate(out, 12_000, seed=7, chunk_size=3_000)
    return out


def test_same_seed_same_bytes_other_seed_differs(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate(a, 3_000, seed=11, chunk_size=1_000)
    generate(b, 3_000, seed=11, chunk_size=1_000)
    generate(c, 3_000, seed=12, chunk_size=1_000)
    names = [f"{n}.csv" for n in FILES] + ["truth.jsonl"]
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert any((a / n).read_bytes() != (c / n).read_bytes() for n in names)


def test_exact_subject_count_and_one_truth_line_each(dataset: Path) -> None:
    subjects = rows(dataset, "subjects")
    assert len(subjects) == 12_000
    uids = [s["uid"] for s in subjects]
    assert len(set(uids)) == len(uids)
    truth_uids = [t["uid"] for t in truth(dataset)]
    assert len(truth_uids) == len(uids) and set(truth_uids) == set(uids)
    assert Counter(s["kind"] for s in subjects).keys() == {"company", "person", "agency", "agent"}


def test_every_reference_resolves(dataset: Path) -> None:
    subjects = {s["uid"] for s in rows(dataset, "subjects")}
    patents = {p["uid"] for p in rows(dataset, "patents")}
    marks = {t["uid"] for t in rows(dataset, "trademarks")}
    for tie in rows(dataset, "ties"):
        assert tie["start_uid"] in subjects and tie["end_uid"] in subjects, tie
    for contact in rows(dataset, "contacts"):
        assert contact["subject_uid"] in subjects
    for link in rows(dataset, "ip_links"):
        assert link["subject_uid"] in subjects
        assert (link["patent_uid"] in patents) != (link["trademark_uid"] in marks), link
    for violation in rows(dataset, "violations"):
        assert violation["subject_uid"] in subjects
        assert not violation["patent_uid"] or violation["patent_uid"] in patents
        assert not violation["trademark_uid"] or violation["trademark_uid"] in marks


def test_rings_and_ground_truth(dataset: Path) -> None:
    lines = truth(dataset)
    role = {t["uid"]: t for t in lines}
    in_force: dict[str, set[str]] = defaultdict(set)
    for v in rows(dataset, "violations"):
        if v["status"] == "in_force":
            in_force[v["subject_uid"]].add(v["behaviour_code"])
    rings: dict[str, set[str]] = defaultdict(set)
    for t in lines:
        if t["ring"]:
            rings[t["ring_kind"]].add(t["ring"])
    assert set(rings) == set(RING_KINDS) and all(len(r) >= 1 for r in rings.values())
    # offenders and only offenders hold violations in force; serious ones in shell and hanging rings
    assert set(in_force) == {u for u, t in role.items() if t["role"] == "offender"}
    for uid, codes in in_force.items():
        if role[uid]["ring_kind"] in ("shell_tm", "cert_hanging"):
            assert codes & SERIOUS
        else:
            assert codes == {"CN_ABNORMAL_PATENT"}
    # every tied subject has a strong tie (legal rep, officer, >= 50 % shareholding) to an offender
    # of its own ring; clean ones have none
    strong: dict[str, set[str]] = defaultdict(set)
    for tie in rows(dataset, "ties"):
        holding = tie["kind"] == "shareholder" and float(tie["ratio"]) >= 0.5
        if tie["kind"] in STRONG or holding:
            strong[tie["start_uid"]].add(tie["end_uid"])
            strong[tie["end_uid"]].add(tie["start_uid"])
    for uid, t in role.items():
        offenders = {o for o in strong[uid] if role[o]["role"] == "offender"}
        if t["role"] == "tied":
            assert any(role[o]["ring"] == t["ring"] for o in offenders), uid
        elif t["role"] == "clean":
            assert not offenders, uid
        assert t["expected_risky"] == (t["role"] in ("offender", "tied"))
    # some ring members are clean: the rings are not all-guilty
    assert any(t["ring"] and t["role"] == "clean" for t in lines)


def test_shell_ring_shares_phone_address_and_agency(dataset: Path) -> None:
    lines = truth(dataset)
    ring = next(t["ring"] for t in lines if t["ring_kind"] == "shell_tm")
    subjects = {s["uid"]: s["kind"] for s in rows(dataset, "subjects")}
    shells = {t["uid"] for t in lines if t["ring"] == ring and subjects[t["uid"]] == "company"}
    contacts: dict[str, Counter[str]] = defaultdict(Counter)
    for c in rows(dataset, "contacts"):
        if c["subject_uid"] in shells:
            contacts[c["kind"]][c["value"]] += 1
    assert contacts["phone"].most_common(1)[0][1] >= 5
    assert contacts["address"].most_common(1)[0][1] >= 5
    filings = Counter(link["subject_uid"] for link in rows(dataset, "ip_links") if link["kind"] == "applicant")
    bulk = [s for s in shells if filings[s] >= 20]
    assert len(bulk) >= 5


def test_heavy_tails_shared_centres_and_cycles(dataset: Path) -> None:
    addresses = Counter(c["value"] for c in rows(dataset, "contacts") if c["kind"] == "address")
    assert addresses.most_common(1)[0][1] >= 100  # a business centre
    subjects = {s["uid"]: s["kind"] for s in rows(dataset, "subjects")}
    represented = Counter(
        link["subject_uid"]
        for link in rows(dataset, "ip_links")
        if link["kind"] == "represents" and subjects[link["subject_uid"]] == "agency"
    )
    counts = sorted(represented.values(), reverse=True)
    assert counts[0] >= 5 * counts[len(counts) // 2]  # the biggest agency dwarfs the median one
    holdings = nx.DiGraph()
    holdings.add_edges_from((t["start_uid"], t["end_uid"]) for t in rows(dataset, "ties") if t["kind"] == "shareholder")
    assert any(len(c) >= 3 for c in nx.simple_cycles(holdings, length_bound=3))
    persons = Counter(t["start_uid"] for t in rows(dataset, "ties") if t["kind"] in ("legal_rep", "officer"))
    assert persons.most_common(1)[0][1] >= 5  # someone sits in several companies


def test_every_row_valid_for_the_canonical_reader(dataset: Path) -> None:
    rejects = [item for item in reader_for("csv")(dataset) if isinstance(item, Reject)]
    assert rejects == []


def test_cli_and_load_into_graph(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "small"
    result = CliRunner().invoke(app, ["synth", "--subjects", "400", "--seed", "5", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["subjects"] == 400
    first = load(store, reader_for("csv")(out), rejects_path=tmp_path / "r1.jsonl", batch_size=500)
    assert first.total.rejected == 0
    assert store.read("MATCH (s:Subject) RETURN count(s) AS n")[0]["n"] == 400
    expected = sum(summary["rows"][k] for k in ("patents", "trademarks", "violations"))
    assert store.read("MATCH (n) WHERE n:Patent OR n:Trademark OR n:Violation RETURN count(n) AS n")[0]["n"] == expected
    second = load(store, reader_for("csv")(out), rejects_path=tmp_path / "r2.jsonl", batch_size=500)
    assert second.total.loaded == 0


def test_too_small_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 50"):
        generate(tmp_path / "x", 20, seed=1)
