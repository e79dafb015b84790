"""The public lists: entries and exits over time, as of a date, by region, as JSON, CSV and a page."""

from __future__ import annotations

import csv
import io
from datetime import date

from fastapi.testclient import TestClient

from api.app import create_app
from credit.classify import classify_all
from credit.lists import ListName, PublicList, public_list
from credit.register import run
from credit.workflow import RepairRequest, repair
from graph.store import Store
from tests.api_fixtures import api_settings
from tests.test_chains import make_graph


def build(store: Store) -> None:
    make_graph(
        store,
        {"t:a": "Company", "t:b": "Company", "t:c": "Company", "t:d": "Company", "t:p": "Person"},
        violations=[
            ("v:a", "t:a", "CN_MALICIOUS_TM", "2025-01-01", {"doc_number": "DOC-A"}),
            ("v:b", "t:b", "CN_WILFUL_INFRINGEMENT", "2025-03-01", {"penalty_done_on": date(2025, 4, 1)}),
            ("v:c", "t:c", "POS_COMMENDATION", "2025-01-01", {}),
            ("v:d1", "t:d", "POS_COMMENDATION", "2025-01-01", {}),
            ("v:d2", "t:d", "CN_OTHER_CATALOGUE", "2025-01-01", {}),
        ],
    )
    store.write("MATCH (s:Subject {uid: 't:a'}) SET s.credit_code = '91110108000000000X'")
    classify_all(store, as_of=date(2025, 3, 1))
    run(store, date(2025, 3, 1))
    repair(store, RepairRequest(violation_uid="v:b", actor="a", reason="done", on=date(2026, 4, 1)))
    classify_all(store, as_of=date(2027, 2, 1))


def on_list(found: PublicList) -> dict[str, object]:
    return {e.subject_uid: e.entered_on for e in found.entries}


def left(found: PublicList) -> dict[str, object]:
    return {e.subject_uid: e.exited_on for e in found.exits}


def test_serious_list_entries_and_exits(store: Store) -> None:
    build(store)
    before = public_list(store, ListName.SERIOUS, date(2025, 2, 1))
    assert on_list(before) == {"t:a": date(2025, 1, 1)} and not before.exits
    assert before.entries[0].until == date(2028, 1, 1) and before.entries[0].basis[0].doc_number == "DOC-A"
    both = public_list(store, ListName.SERIOUS, date(2025, 6, 1))
    assert on_list(both) == {"t:a": date(2025, 1, 1), "t:b": date(2025, 3, 1)}
    after = public_list(store, ListName.SERIOUS, date(2026, 5, 1))
    assert on_list(after) == {"t:a": date(2025, 1, 1)} and left(after) == {"t:b": date(2026, 4, 1)}
    assert on_list(public_list(store, ListName.SERIOUS, date(2026, 5, 1), region="11")) == {"t:a": date(2025, 1, 1)}
    assert not public_list(store, ListName.SERIOUS, date(2026, 5, 1), region="44").entries


def test_key_supervision_list_follows_level_d(store: Store) -> None:
    build(store)
    during = public_list(store, ListName.KEY_SUPERVISION, date(2025, 6, 1))
    assert on_list(during) == {"t:a": date(2025, 3, 1), "t:b": date(2025, 3, 1)}
    after = public_list(store, ListName.KEY_SUPERVISION, date(2026, 5, 1))
    assert on_list(after) == {"t:a": date(2025, 3, 1)} and left(after) == {"t:b": date(2026, 4, 1)}
    assert not public_list(store, ListName.KEY_SUPERVISION, date(2025, 2, 1)).entries


def test_trustworthy_list_a_plus_or_a_with_positive_records(store: Store) -> None:
    build(store)
    during = public_list(store, ListName.TRUSTWORTHY, date(2025, 6, 1))
    assert on_list(during) == {"t:c": date(2025, 3, 1), "t:d": date(2025, 3, 1)}  # A+, and A with a commendation
    basis = {e.subject_uid: e.basis[0] for e in during.entries}
    assert basis["t:c"].code == "A+" and basis["t:d"].code == "A" and basis["t:d"].positive_records == ["v:d1"]
    later = public_list(store, ListName.TRUSTWORTHY, date(2027, 3, 1))  # the commendations have expired
    assert left(later) == {"t:c": date(2027, 2, 1), "t:d": date(2027, 2, 1)}
    assert "t:b" not in on_list(later)  # plain A (after its repair) is not enough


def test_lists_over_http_json_csv_and_page(store: Store) -> None:
    build(store)
    with TestClient(create_app(api_settings(), store=store)) as client:
        body = client.get("/lists/serious", params={"as_of": "2026-05-01"}).json()
        assert [e["subject_uid"] for e in body["entries"]] == ["t:a"]
        assert [e["exited_on"] for e in body["exits"]] == ["2026-04-01"]
        text = client.get("/lists/serious", params={"as_of": "2026-05-01", "format": "csv"})
        assert text.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(text.text)))
        assert {(r["subject_uid"], r["exited_on"]) for r in rows} == {("t:a", ""), ("t:b", "2026-04-01")}
        page = client.get("/ui/lists/key-supervision", params={"as_of": "2025-06-01"})
        assert page.status_code == 200 and "t:a" in page.text and "重点关注" in page.text
        assert client.get("/lists/unknown").status_code == 422
        assert client.get("/lists/serious", params={"region": "x1"}).status_code == 422
