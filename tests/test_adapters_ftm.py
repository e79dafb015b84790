"""FollowTheMoney adapter on the shared OpenSanctions samples, checked against counts taken from the
JSON lines with `json` alone (no followthemoney), and a load into the real graph."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from graph.model import (
    Address,
    Committed,
    Company,
    Family,
    LocatedAt,
    Officer,
    Person,
    Shareholding,
    Violation,
)
from graph.store import Store
from loaders import rows
from loaders.adapters.ftm import read_ftm
from loaders.pipeline import load
from loaders.records import Item, Reject
from tests.conftest import SHARED_DATA

FTM = SHARED_DATA / "opensanctions-ftm"
ZALA = FTM / "zala.entities.ftm.json"
DONATIONS = FTM / "parteispenden.entities.ftm.json"


def entities(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def of(items: list[Item], model: type) -> list:  # type: ignore[type-arg]
    return [i for i in items if type(i) is model]


@pytest.fixture(scope="module")
def zala() -> list[Item]:
    return list(read_ftm(ZALA))


def test_counts_per_schema(zala: list[Item]) -> None:
    schemas = Counter(e["schema"] for e in entities(ZALA))
    ownerships = [e for e in entities(ZALA) if e["schema"] == "Ownership"]
    pairs = {(e["properties"]["owner"][0], e["properties"]["asset"][0]) for e in ownerships}
    assert len(ownerships) == schemas["Ownership"] == 14
    # one owner holds several stakes in one asset over time: each Ownership is a tie of its own
    assert len(pairs) < len(of(zala, Shareholding)) == len(ownerships)
    assert not [r for r in of(zala, Reject) if r.kind == "shareholder"]
    assert len(of(zala, Officer)) == schemas["Directorship"]
    assert len(of(zala, Family)) == schemas["Family"]
    assert len(of(zala, Violation)) == len(of(zala, Committed)) == schemas["Sanction"]
    assert len(of(zala, Person)) == schemas["Person"]
    assert len(of(zala, Company)) == schemas["Company"] + schemas["Organization"] + schemas["LegalEntity"]
    address_entities = {a.uid for a in of(zala, Address)}
    assert len(address_entities) >= len(
        {e["properties"]["full"][0] for e in entities(ZALA) if e["schema"] == "Address"}
    )
    unmapped = [r for r in of(zala, Reject) if r.kind == "record"]
    assert len(unmapped) == schemas["Passport"] and "Passport has no counterpart" in unmapped[0].reason


def test_ownership_percentage_becomes_ratio(zala: list[Item]) -> None:
    raw = {e["id"]: e for e in entities(ZALA) if e["schema"] == "Ownership"}
    with_percent = [e for e in raw.values() if e["properties"].get("percentage")]
    assert with_percent
    by_ref = {s.source_ref.split(":")[-1]: s for s in of(zala, Shareholding)}
    kept = [e for e in with_percent if e["id"] in by_ref]
    assert len(kept) == len(with_percent)
    for entity in kept:
        link = by_ref[entity["id"]]
        props = entity["properties"]
        assert link.ratio == pytest.approx(float(props["percentage"][0]) / 100)
        assert link.start_uid == f"ftm:{props['owner'][0]}" and link.end_uid == f"ftm:{props['asset'][0]}"
    # three shareholdings over time in one company are three ties, each with its own period and ratio
    owner, asset = "NK-aU5ybkbRFJucf8YMwsJvDw", "NK-abdzbEBkqyT29GyREbiURZ"
    over_time = [
        e for e in with_percent if (e["properties"]["owner"][0], e["properties"]["asset"][0]) == (owner, asset)
    ]
    assert len(over_time) == 3
    for entity in over_time:
        link = by_ref[entity["id"]]
        assert link.until == (
            date.fromisoformat(entity["properties"]["endDate"][0]) if "endDate" in entity["properties"] else None
        )
        assert link.ratio == pytest.approx(float(entity["properties"]["percentage"][0]) / 100)
    assert (
        len(
            {
                rows.link_key(Shareholding.kind, rows.link_props(by_ref[e["id"]], Shareholding.kind))
                for e in over_time
            }
        )
        == 3
    )
    # a percentage of 1 is 1 %, not a whole
    ones = [e for e in kept if e["properties"]["percentage"][0] == "1"]
    assert ones and all(by_ref[e["id"]].ratio == pytest.approx(0.01) for e in ones)


def test_sanctions_become_violations(zala: list[Item]) -> None:
    raw = {e["id"]: e for e in entities(ZALA) if e["schema"] == "Sanction"}
    violations = {v.uid: v for v in of(zala, Violation)}
    for entity_id, entity in raw.items():
        violation = violations[f"ftm:{entity_id}"]
        props = entity["properties"]
        country = props.get("country", [""])[0]
        if country == "us":
            assert violation.behaviour_code == "US_SANCTION"
        elif country == "eu":
            assert violation.behaviour_code == "EU_SANCTION"
        day = (props.get("listingDate") or props.get("startDate") or props.get("date") or [None])[0]
        if day is not None and len(day) >= 10:
            assert violation.decided_on is not None and violation.decided_on.isoformat() == day[:10]
        else:
            assert violation.decided_on is not None
            assert violation.decided_on.isoformat() == entity["first_seen"][:10]
            assert violation.description and "first seen" in violation.description
    committed = {(c.start_uid, c.end_uid) for c in of(zala, Committed)}
    assert {(f"ftm:{e['properties']['entity'][0]}", f"ftm:{i}") for i, e in raw.items()} == committed


def test_addresses_and_unmapped_schemata() -> None:
    items = list(read_ftm(DONATIONS))
    schemas = Counter(e["schema"] for e in entities(DONATIONS))
    payments = [r for r in of(items, Reject) if "Payment has no counterpart" in r.reason]
    assert len(payments) == schemas["Payment"] == 290
    assert len(of(items, Reject)) == len(payments)
    with_address = [e for e in entities(DONATIONS) if e["properties"].get("addressEntity")]
    located = of(items, LocatedAt)
    assert len(located) >= len(with_address) > 0
    assert {link.end_uid for link in located} <= {a.uid for a in of(items, Address)}


def test_bad_lines_are_rejected_with_reasons(tmp_path: Path) -> None:
    path = tmp_path / "bad.ftm.json"
    lines = [
        '{"id": "p1", "schema": "Person", "properties": {"name": ["Ann Example"]}}',
        "{not json",
        '{"id": "x1", "schema": "NoSuchSchema", "properties": {}}',
        '{"schema": "Person", "properties": {"name": ["No Id"]}}',
        '{"id": "o1", "schema": "Ownership", "properties": {"owner": ["p1"], "asset": ["c9"], "percentage": ["lots"]}}',
        '{"id": "o2", "schema": "Ownership", "properties": {"owner": ["p1"]}}',
        '{"id": "s1", "schema": "Sanction", "properties": {"entity": ["p1"]}}',
        "[1, 2]",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_ftm(path))
    rejects = of(items, Reject)
    reasons = " | ".join(r.reason for r in rejects)
    assert len(rejects) == 7, reasons
    for expected in (
        "not JSON",
        "NoSuchSchema",
        "without an id",
        "is not a number",
        "without asset",
        "without any date",
    ):
        assert expected in reasons
    assert [p.uid for p in of(items, Person)] == ["ftm:p1"]


def test_load_into_graph_dangling_rejected_and_reload_idempotent(store: Store, tmp_path: Path) -> None:
    first = load(store, read_ftm(FTM), rejects_path=tmp_path / "r1.jsonl", batch_size=200, resolve=False)
    for name, count in first.kinds.items():
        assert count.balanced(), name
    sanctions = sum(1 for p in sorted(FTM.glob("*.json")) for e in entities(p) if e["schema"] == "Sanction")
    assert store.read("MATCH (v:Violation) RETURN count(v) AS n")[0]["n"] == sanctions
    stored = store.read("MATCH ()-[r:SHAREHOLDER_OF]->() RETURN count(r) AS n")[0]["n"]
    shareholder = first.count("shareholder")
    assert stored == shareholder.loaded and shareholder.read == 14
    rejects = [json.loads(line) for line in (tmp_path / "r1.jsonl").read_text(encoding="utf-8").splitlines()]
    refused = [r for r in rejects if r["kind"] == "shareholder"]
    assert len(refused) == shareholder.rejected == shareholder.read - stored
    assert all("one shareholding per pair" in r["reason"] for r in refused)
    second = load(store, read_ftm(FTM), rejects_path=tmp_path / "r2.jsonl", batch_size=200, resolve=False)
    assert second.total.loaded == 0
    assert second.total.unchanged == first.total.read - first.total.rejected


def test_link_to_an_absent_entity_is_rejected_by_the_pipeline(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "dangling.ftm.json"
    lines = [
        {"id": "p1", "schema": "Person", "properties": {"name": ["Ann Example"]}},
        {"id": "o1", "schema": "Ownership", "properties": {"owner": ["p1"], "asset": ["gone"], "percentage": ["30"]}},
        {"id": "d1", "schema": "Directorship", "properties": {"director": ["p1"], "organization": ["gone"]}},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    items = list(read_ftm(path))
    assert [type(i) for i in items] == [Person, Shareholding, Officer]  # the reader emits the links
    summary = load(store, iter(items), rejects_path=tmp_path / "r.jsonl", batch_size=10, resolve=False)
    assert summary.count("person").loaded == 1
    assert summary.count("shareholder").rejected == summary.count("officer").rejected == 1
    rejects = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    assert all("ftm:gone" in r["reason"] for r in rejects) and len(rejects) == 2
