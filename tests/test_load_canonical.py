"""Canonical CSV and JSON-lines round trips into the real graph: properties, labels, links, idempotency."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from graph.model import contact_uid, uscc_check_character
from graph.store import Store
from loaders.canonical import CanonicalReader, detect_encoding
from loaders.formats import reader_for
from loaders.pipeline import load
from loaders.rows import LoadSummary

CODE_A = "91110108MA01ABCDE" + uscc_check_character("91110108MA01ABCDE")
CODE_B = "91440300MA5F00012" + uscc_check_character("91440300MA5F00012")

DATASET: dict[str, list[dict[str, Any]]] = {
    "subjects": [
        {
            "kind": "company",
            "uid": f"uscc:{CODE_A}",
            "name": "北京 星河 科技有限公司",
            "credit_code": CODE_A,
            "country": "CN",
            "registered_on": "2015-03-02",
            "status": "active",
            "aliases": "星河科技|Xinghe Tech",
        },
        # a credit code with a non-uscc uid: becomes uscc:<code>, and the ties below that name t-co:2 follow it
        {"kind": "company", "uid": "t-co:2", "name": "Shenzhen Ｂｅｔａ Ltd", "credit_code": CODE_B, "country": "CN"},
        {"kind": "agency", "uid": "t-ag:1", "name": "Apex IP Agency", "licence_no": "L-77"},
        {"kind": "person", "uid": "t-p:1", "name": "Zhang Wei", "birth_date": "1980年5月6日", "id_number": "X1"},
        {"kind": "person", "uid": "t-p:2", "name": "zhang  wei", "birth_date": "1980-05-06"},
        {"kind": "agent", "uid": "t-at:1", "name": "Li Na", "licence_no": "A-1"},
    ],
    "patents": [
        {
            "uid": "t-pat:1",
            "number": "CN1001",
            "title": "A widget",
            "kind_code": "B",
            "filed_on": "20190102",
            "granted_on": "111.03.16",
        }
    ],
    "trademarks": [
        {
            "uid": "t-tm:1",
            "number": "TM9",
            "name": "STAR",
            "classes": "9|35",
            "status": "registered",
            "filed_on": "2020/01/01",
        }
    ],
    "violations": [
        {
            "uid": "t-v:1",
            "subject_uid": "t-co:2",
            "behaviour_code": "TM_BULK_FILING",
            "decided_on": "2022-07-01",
            "authority": "CNIPA",
            "doc_number": "D-1",
            "status": "in_force",
            "trademark_uid": "t-tm:1",
        }
    ],
    "contacts": [
        {"kind": "phone", "subject_uid": f"uscc:{CODE_A}", "value": "010-8888 1234"},
        {"kind": "phone", "subject_uid": "t-co:2", "value": "01088881234"},
        {"kind": "address", "subject_uid": "t-co:2", "value": "1 Centre  Road", "since": "2020-01-01"},
    ],
    "ties": [
        {"kind": "legal_rep", "start_uid": "t-p:1", "end_uid": f"uscc:{CODE_A}"},
        {"kind": "shareholder", "start_uid": f"uscc:{CODE_A}", "end_uid": "t-co:2", "ratio": "30%"},
        {"kind": "officer", "start_uid": "t-p:1", "end_uid": "t-co:2", "role": "director"},
        {"kind": "officer", "start_uid": "t-p:1", "end_uid": "t-co:2", "role": "supervisor"},
        {"kind": "agent_of", "start_uid": "t-at:1", "end_uid": "t-ag:1"},
    ],
    "ip_links": [
        {"kind": "applicant", "subject_uid": f"uscc:{CODE_A}", "patent_uid": "t-pat:1"},
        {"kind": "inventor", "subject_uid": "t-p:1", "patent_uid": "t-pat:1"},
        {"kind": "represents", "subject_uid": "t-ag:1", "trademark_uid": "t-tm:1"},
        {"kind": "applicant", "subject_uid": "t-co:2", "trademark_uid": "t-tm:1"},
    ],
}
NODES = 6 + 1 + 1 + 1 + 2 + 1  # subjects, patent, trademark, violation, 2 phones (one shared value) + address
LINKS = 5 + 4 + 3 + 2  # ties, ip links, contact links, committed + concerns


def write_csv(folder: Path, dataset: dict[str, list[dict[str, Any]]], encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for kind, rows in dataset.items():
        header = sorted({key for row in rows for key in row})
        with (folder / f"{kind}.csv").open("w", encoding=encoding, newline="") as fh:
            writer = csv.DictWriter(fh, header)
            writer.writeheader()
            writer.writerows(rows)
    return folder


def write_jsonl(folder: Path, dataset: dict[str, list[dict[str, Any]]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for kind, rows in dataset.items():
        with (folder / f"{kind}.jsonl").open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return folder


def run(store: Store, fmt: str, path: Path, tmp_path: Path, **kw: Any) -> LoadSummary:
    return load(
        store,
        reader_for(fmt, kw.pop("encoding", "auto"))(path),
        rejects_path=tmp_path / "rejects.jsonl",
        batch_size=kw.pop("batch_size", 3),
        **kw,
    )


def count(store: Store, query: str) -> int:
    return int(store.read(query)[0]["n"])


def check_graph(store: Store) -> None:
    assert count(store, "MATCH (n) WHERE NOT n:SchemaMigration RETURN count(n) AS n") == NODES - 1  # shared phone
    a = store.read("MATCH (c:Company {uid: $u}) RETURN c, labels(c) AS l", {"u": f"uscc:{CODE_A}"})[0]
    assert a["c"]["name"] == "北京 星河 科技有限公司"
    assert a["c"]["name_norm"] == "北京 星河 科技有限公司"
    assert a["c"]["aliases"] == ["星河科技", "Xinghe Tech"]
    assert a["c"]["registered_on"] == "2015-03-02"
    assert a["c"]["source"] in ("csv", "jsonl")
    assert a["c"]["source_ref"].endswith("subjects.csv:2") or a["c"]["source_ref"].endswith("subjects.jsonl:1")
    assert a["c"]["loaded_at"] and a["c"]["content_hash"]
    b = store.read("MATCH (c:Company {uid: $u}) RETURN c", {"u": f"uscc:{CODE_B}"})[0]["c"]
    assert b["credit_code"] == CODE_B and b["name_norm"] == "shenzhen beta ltd"
    assert count(store, "MATCH (n {uid: 't-co:2'}) RETURN count(n) AS n") == 0
    agency = store.read("MATCH (a {uid: 't-ag:1'}) RETURN labels(a) AS l")[0]["l"]
    assert sorted(agency) == ["Agency", "Company", "Subject"]
    agent = store.read("MATCH (a {uid: 't-at:1'}) RETURN labels(a) AS l")[0]["l"]
    assert sorted(agent) == ["Agent", "Person", "Subject"]
    p = store.read("MATCH (p:Patent) RETURN p")[0]["p"]
    assert (p["filed_on"], p["granted_on"]) == ("2019-01-02", "2022-03-16")
    t = store.read("MATCH (t:Trademark) RETURN t")[0]["t"]
    assert t["classes"] == [9, 35]
    ratio = store.read(
        "MATCH (:Company {uid: $a})-[r:SHAREHOLDER_OF]->(:Company {uid: $b}) RETURN r.ratio AS x",
        {"a": f"uscc:{CODE_A}", "b": f"uscc:{CODE_B}"},
    )
    assert ratio == [{"x": pytest.approx(0.3)}]
    roles = store.read("MATCH (:Person {uid: 't-p:1'})-[r:OFFICER_OF]->() RETURN r.role AS role ORDER BY role")
    assert [r["role"] for r in roles] == ["director", "supervisor"]
    shared = store.read("MATCH (ph:Phone)<-[:USES_PHONE]-(s) RETURN ph.uid AS ph, count(s) AS n")
    assert shared == [{"ph": contact_uid("phone", "01088881234"), "n": 2}]
    chain = store.read(
        "MATCH (c:Company {uid: $b})-[:COMMITTED]->(v:Violation)-[:CONCERNS]->(t:Trademark) "
        "RETURN v.status AS s, v.decided_on AS d, t.uid AS t",
        {"b": f"uscc:{CODE_B}"},
    )
    assert chain == [{"s": "in_force", "d": "2022-07-01", "t": "t-tm:1"}]
    assert count(store, "MATCH ()-[r]->() WHERE type(r) <> 'POSSIBLE_SAME_AS' RETURN count(r) AS n") == LINKS
    assert count(store, "MATCH ()-[r]->() WHERE r.source IS NULL OR r.loaded_at IS NULL RETURN count(r) AS n") == 0


def graph_snapshot(store: Store) -> list[Any]:
    nodes = store.read("MATCH (n) WHERE NOT n:SchemaMigration RETURN n ORDER BY n.uid")
    links = store.read("MATCH (a)-[r]->(b) RETURN a.uid AS a, r, b.uid AS b ORDER BY a, type(r), b, r.link_key")
    return [nodes, links]


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_round_trip_and_idempotent_reload(store: Store, tmp_path: Path, fmt: str) -> None:
    folder = (write_csv if fmt == "csv" else write_jsonl)(tmp_path / "data", DATASET)
    first = run(store, fmt, folder, tmp_path)
    total = first.total
    assert total.rejected == 0, (tmp_path / "rejects.jsonl").read_text()
    assert total.read == NODES + LINKS
    # the second row with the shared phone finds that phone node already written: unchanged
    assert (total.loaded, total.unchanged) == (NODES + LINKS - 1, 1)
    assert first.kinds["officer"].loaded == 2 and first.kinds["phone"].read == 2
    check_graph(store)
    # the two Zhang Wei persons share a normalised name and birth date: linked, never merged
    same = store.read("MATCH (a:Person)-[r:POSSIBLE_SAME_AS]->(b:Person) RETURN a.uid AS a, b.uid AS b, r.reason AS r")
    assert same == [{"a": "t-p:1", "b": "t-p:2", "r": "same name and birth date"}]
    before = graph_snapshot(store)

    second = run(store, fmt, folder, tmp_path)
    assert second.total.read == total.read
    assert second.total.unchanged == total.read and second.total.loaded == 0
    assert graph_snapshot(store) == before  # loaded_at and every property untouched


def test_changed_record_is_updated_and_counted(store: Store, tmp_path: Path) -> None:
    folder = write_csv(tmp_path / "v1", DATASET)
    run(store, "csv", folder, tmp_path)
    changed = {**DATASET, "patents": [{**DATASET["patents"][0], "title": "A better widget", "kind_code": ""}]}
    v2 = write_csv(tmp_path / "v2", changed)
    summary = run(store, "csv", v2, tmp_path)
    assert summary.kinds["patent"].loaded == 1 and summary.kinds["patent"].unchanged == 0
    assert summary.kinds["company"].unchanged == 2
    p = store.read("MATCH (p:Patent) RETURN p")[0]["p"]
    assert p["title"] == "A better widget" and "kind_code" not in p  # an emptied cell removes the property


def test_gb18030_file_is_detected_and_loaded(store: Store, tmp_path: Path) -> None:
    rows = {"subjects": [{"kind": "company", "uid": "t-co:gb", "name": "深圳市华强电子有限公司", "country": "CN"}]}
    folder = write_csv(tmp_path / "gb", rows, encoding="gb18030")
    path = folder / "subjects.csv"
    assert detect_encoding(path) == "gb18030"
    summary = run(store, "csv", path, tmp_path)
    assert summary.total.loaded == 1
    assert store.read("MATCH (c:Company) RETURN c.name AS n") == [{"n": "深圳市华强电子有限公司"}]


def test_bom_and_explicit_encoding(store: Store, tmp_path: Path) -> None:
    rows = {"subjects": [{"kind": "person", "uid": "t-p:bom", "name": "王芳"}]}
    folder = write_csv(tmp_path / "bom", rows, encoding="utf-8-sig")
    assert detect_encoding(folder / "subjects.csv") == "utf-8-sig"
    assert run(store, "csv", folder, tmp_path).total.loaded == 1
    # the same GB18030 bytes read as UTF-8 on request: every row is rejected for its bytes, none garbled
    gb = write_csv(tmp_path / "gb", {"subjects": [{"kind": "person", "uid": "t-p:gb", "name": "王芳"}]}, "gb18030")
    summary = run(store, "csv", gb, tmp_path, encoding="utf-8")
    assert summary.total.rejected == 1 and summary.total.loaded == 0
    assert "not valid utf-8" in (tmp_path / "rejects.jsonl").read_text()


def test_reader_layout_errors(tmp_path: Path) -> None:
    from loaders.canonical import CanonicalInputError

    reader = CanonicalReader("csv")
    (tmp_path / "people.csv").write_text("uid\n")
    with pytest.raises(CanonicalInputError, match="kind one of"):
        list(reader(tmp_path / "people.csv"))
    with pytest.raises(CanonicalInputError, match="no canonical csv files"):
        list(reader(tmp_path))
    with pytest.raises(CanonicalInputError, match="no such file"):
        list(reader(tmp_path / "missing"))
