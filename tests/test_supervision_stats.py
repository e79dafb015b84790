"""Statistics equal counts taken independently (plain Cypher reads and Python counting in the test),
over a random graph of assessment histories, records, objections, repairs and inspections; the CLI
and the printable report page show them."""

from __future__ import annotations

import json
import random
from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from api.cli import app
from credit.supervision.stats import UNASSESSED, annual, statistics
from graph.settings import get_settings
from graph.store import Store

LEVELS = ("A+", "A", "B", "C", "D")
REGIONS = ("110108", "440305", None)
KINDS = {"company": "Company", "agency": "Company:Agency", "person": "Person"}
CODES = ("CN_ABNORMAL_PATENT", "CN_MALICIOUS_TM", "CN_FALSE_MATERIAL")
START = date(2025, 1, 1)


def _random_graph(store: Store, seed: int = 11) -> None:
    rng = random.Random(seed)
    for n in range(90):
        kind = rng.choice(list(KINDS))
        uid = f"s:{n}"
        days = sorted(rng.sample(range(0, 700), rng.randint(0, 4)))
        history = [
            {"uid": f"a:{n}:{i}", "level": rng.choice(LEVELS), "as_of": START + timedelta(days=d)}
            for i, d in enumerate(days)
        ]
        records = [
            {
                "uid": f"v:{n}:{i}",
                "code": rng.choice(CODES),
                "decided_on": START + timedelta(days=rng.randrange(700)),
                "repaired_on": START + timedelta(days=rng.randrange(700)) if rng.random() < 0.3 else None,
                "objection": rng.choice([None, "pending", "upheld", "rejected"]),
                "filed_on": START + timedelta(days=rng.randrange(700)),
            }
            for i in range(rng.randint(0, 3))
        ]
        inspections = [
            {
                "uid": f"i:{n}:{i}",
                "level": rng.choice(LEVELS),
                "status": rng.choice(["planned", "done", "done"]),
                "outcome": rng.choice(["clean", "findings"]),
                "recorded_on": START + timedelta(days=rng.randrange(700)),
            }
            for i in range(rng.randint(0, 2))
        ]
        store.write(
            f"""
            CREATE (s:Subject:{KINDS[kind]} {{uid: $uid, name: $uid, region_code: $region}})
            WITH s
            CALL (s) {{
              UNWIND $history AS h
              CREATE (:Assessment {{uid: h.uid, level: h.level, as_of: h.as_of,
                                    created_at: datetime()}})-[:OF]->(s)
            }}
            CALL (s) {{
              UNWIND $records AS r
              CREATE (s)-[:COMMITTED]->(v:Violation {{uid: r.uid, behaviour_code: r.code, decided_on: r.decided_on,
                                                    repaired_on: r.repaired_on}})
              FOREACH (_ IN CASE WHEN r.objection IS NULL THEN [] ELSE [1] END |
                CREATE (:Objection {{uid: r.uid + ':o', status: r.objection, filed_on: r.filed_on}})-[:OBJECTS_TO]->(v))
            }}
            CALL (s) {{
              UNWIND $inspections AS i
              CREATE (:Inspection {{uid: i.uid, level: i.level, status: i.status, outcome: i.outcome,
                                    recorded_on: i.recorded_on}})-[:INSPECTS]->(s)
            }}
            """,
            {
                "uid": uid,
                "region": rng.choice(REGIONS),
                "history": history,
                "records": records,
                "inspections": inspections,
            },
        )


def _raw(store: Store) -> list[dict[str, Any]]:
    """Every subject with its raw facts, read plainly: the independent side of the comparison."""
    return store.read(
        """
        MATCH (s:Subject)
        RETURN s.uid AS uid, s.region_code AS region, labels(s) AS labels,
               [(a:Assessment)-[:OF]->(s) | [a.as_of, a.level]] AS history,
               [(s)-[:COMMITTED]->(v:Violation) | v {.behaviour_code, .decided_on, .repaired_on}] AS records,
               [(s)-[:COMMITTED]->(:Violation)<-[:OBJECTS_TO]-(o:Objection) | o {.status, .filed_on}] AS objections,
               [(i:Inspection)-[:INSPECTS]->(s) | i {.level, .status, .outcome, .recorded_on}] AS inspections
        """
    )


def _kind(labels: list[str]) -> str:
    return "agency" if "Agency" in labels else "company" if "Company" in labels else "person"


def _level_on(history: list[list[str]], on: date) -> str | None:
    known = sorted((date.fromisoformat(d), level) for d, level in history if date.fromisoformat(d) <= on)
    return known[-1][1] if known else None


def _within(value: str | None, start: date, end: date) -> bool:
    return value is not None and start <= date.fromisoformat(value) <= end


@pytest.mark.parametrize(("region", "kind"), [(None, None), ("4403", None), (None, "agency"), ("110108", "company")])
def test_statistics_equal_independent_counts(store: Store, region: str | None, kind: str | None) -> None:
    _random_graph(store)
    on, start, end = date(2026, 3, 31), date(2025, 6, 1), date(2026, 3, 31)
    got = statistics(store, as_of=on, start=start, end=end, region=region, kind=kind)
    rows = [
        r
        for r in _raw(store)
        if (region is None or (r["region"] or "").startswith(region)) and (kind is None or _kind(r["labels"]) == kind)
    ]
    assert rows, "the random graph has subjects in scope"
    levels = Counter(_level_on(r["history"], on) or UNASSESSED for r in rows)
    assert got.by_level == dict(levels)
    cells = Counter((_level_on(r["history"], on), r["region"], _kind(r["labels"])) for r in rows)
    assert {(c.level, c.region_code, c.kind): c.subjects for c in got.cells} == dict(cells)
    moves = Counter(
        (_level_on(r["history"], start), _level_on(r["history"], end))
        for r in rows
        if _level_on(r["history"], end) is not None and _level_on(r["history"], start) != _level_on(r["history"], end)
    )
    assert {(t.before, t.after): t.subjects for t in got.transitions} == dict(moves)
    decided = Counter(v["behaviour_code"] for r in rows for v in r["records"] if _within(v["decided_on"], start, end))
    assert {b.behaviour_code: b.records for b in got.top_behaviours} == dict(decided)
    filed = Counter(o["status"] for r in rows for o in r["objections"] if _within(o["filed_on"], start, end))
    assert got.objections_filed == dict(filed)
    assert got.repairs == sum(1 for r in rows for v in r["records"] if _within(v["repaired_on"], start, end))
    done = [
        i for r in rows for i in r["inspections"] if i["status"] == "done" and _within(i["recorded_on"], start, end)
    ]
    by_level = Counter(i["level"] for i in done)
    hits = Counter(i["level"] for i in done if i["outcome"] == "findings")
    assert {r.level: (r.done, r.with_findings) for r in got.inspections} == {
        level: (n, hits[level]) for level, n in by_level.items()
    }
    for rate in got.inspections:
        assert rate.hit_rate == round(rate.with_findings / rate.done, 4)


def test_the_annual_report_covers_the_calendar_year(store: Store) -> None:
    _random_graph(store)
    year = annual(store, 2025)
    assert (year.as_of, year.start, year.end) == (date(2025, 12, 31), date(2025, 1, 1), date(2025, 12, 31))


def test_the_report_page_and_the_cli_show_the_statistics(
    store: Store, neo4j_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _random_graph(store)
    settings = get_settings().model_copy(update={"api_keys": {}})
    with TestClient(create_app(settings, store=store)) as client:
        page = client.get("/ui/stats", params={"year": 2025, "region": "4403", "lang": "en"})
        assert page.status_code == 200
        assert page.text.count("<svg") >= 2 and "Annual credit supervision report" in page.text
        assert "pygal.org/js" not in page.text and "<script src" not in page.text  # drawn offline
        data = annual(store, 2025, region="4403")
        for level, n in data.by_level.items():
            assert f"<th>{level}</th>" in page.text and f"<td>{n}</td>" in page.text
        as_json = client.get("/stats", params={"as_of": "2025-12-31", "from": "2025-01-01", "region": "4403"}).json()
        assert as_json["by_level"] == data.by_level
        assert as_json["objections_filed"] == data.objections_filed  # counts, shown to the public too
    monkeypatch.setenv("NEO4J_URI", neo4j_uri)
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["stats", "--as-of", "2025-12-31", "--region", "4403", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["by_level"] == annual(store, 2025, region="4403").by_level
    get_settings.cache_clear()
