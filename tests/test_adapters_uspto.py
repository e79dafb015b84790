"""USPTO grant XML adapter on the shared real files, checked against counts taken from the raw text
and against PatentsView's own parse of the same grants (parsed_ipg120327.18)."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from graph.identity import is_opaque
from graph.model import (
    Address,
    Agency,
    Agent,
    AgentOf,
    ApplicantOfPatent,
    Company,
    InventorOf,
    LocatedAt,
    Patent,
    Person,
    PossibleSameAs,
    RepresentsPatent,
)
from graph.store import Store
from loaders.adapters.uspto import documents, patent_number, read_uspto
from loaders.pipeline import load
from loaders.records import Item, Reject
from tests.conftest import SHARED_DATA

XML = SHARED_DATA / "uspto-grants" / "xml"
PARSED = SHARED_DATA / "uspto-grants" / "parsed_ipg120327.18"
FILE_2012 = XML / "ipg120327.196.xml"
FILE_2013 = XML / "ipg130416.small.xml"


@pytest.fixture(scope="module")
def items_2012() -> list[Item]:
    return list(read_uspto(FILE_2012))


@pytest.fixture(scope="module")
def items_all() -> list[Item]:
    return list(read_uspto(XML))


def of(items: list[Item], model: type) -> list:  # type: ignore[type-arg]
    return [i for i in items if type(i) is model]


def raw_count(path: Path, pattern: str) -> int:
    return len(re.findall(pattern, path.read_text(encoding="utf-8")))


def test_one_patent_per_grant_document_and_sequence_listings_rejected(items_all: list[Item]) -> None:
    grants = sum(raw_count(f, r"<us-patent-grant[\s>]") for f in (FILE_2012, FILE_2013))
    listings = raw_count(FILE_2013, r"<sequence-cwu[\s>]")
    assert listings == 2
    patents = of(items_all, Patent)
    assert len(patents) == grants == 221
    assert len({p.uid for p in patents}) == grants
    rejects = of(items_all, Reject)
    assert len(rejects) == listings
    assert all("sequence-cwu" in r.reason for r in rejects)


def test_documents_split_on_declarations_line_by_line() -> None:
    docs = list(documents(FILE_2013))
    assert len(docs) == raw_count(FILE_2013, r"<\?xml ")
    assert all(data.startswith(b"<?xml") for _, _, data in docs)
    lines = [line for _, line, _ in docs]
    assert lines == sorted(lines) and lines[0] == 1


def test_patents_match_patentsview(items_2012: list[Item]) -> None:
    patents = {p.number: p for p in of(items_2012, Patent)}
    with (PARSED / "patent.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    with (PARSED / "application.csv").open(encoding="utf-8") as fh:
        filed = {r[1]: r[5] for r in csv.reader(fh)}
    assert len(rows) == 18
    for row in rows:
        number, granted, title = row[0], row[4], row[6]
        patent = patents[number]
        assert patent.uid == f"uspto-patent:{number}"
        assert patent.granted_on is not None and patent.granted_on.isoformat() == granted
        assert patent.title == title
        assert patent.kind_code == row[7]
        assert patent.filed_on is not None and patent.filed_on.isoformat() == filed[number]


def test_parties_match_patentsview(items_2012: list[Item]) -> None:
    """PatentsView lists every v4.2 applicant as an inventor, legal representatives included: compare
    its rows with our applicant links to persons, and its assignees and lawyers with ours."""
    with (PARSED / "rawinventor.csv").open(encoding="utf-8") as fh:
        inventors = Counter(r[0] for r in csv.reader(fh))
    with (PARSED / "rawassignee.csv").open(encoding="utf-8") as fh:
        assignees = {(r[0], r[6]) for r in csv.reader(fh)}
    with (PARSED / "rawlawyer.csv").open(encoding="utf-8") as fh:
        lawyers = Counter(r[1] for r in csv.reader(fh))
    names = {i.uid: i.name for i in items_2012 if isinstance(i, Company | Person)}
    applicants = Counter(
        link.end_uid.split(":")[1]
        for link in of(items_2012, ApplicantOfPatent)
        if link.start_uid.startswith("uspto-person:")
    )
    ours_assignees = {
        (link.end_uid.split(":")[1], names[link.start_uid])
        for link in of(items_2012, ApplicantOfPatent)
        if link.start_uid.startswith("uspto-org:")
    }
    represents = Counter(link.end_uid.split(":")[1] for link in of(items_2012, RepresentsPatent))
    for number in inventors:
        assert applicants[number] == inventors[number], number
        assert represents[number] == lawyers[number], number
    assert assignees <= ours_assignees


def test_legal_representatives_are_applicants_not_inventors(items_2012: list[Item]) -> None:
    text = FILE_2012.read_text(encoding="utf-8")
    doc = text[text.index("<doc-number>D0656313</doc-number>") :]
    doc = doc[: doc.index("</parties>")]
    heirs = len(re.findall(r'app-type="applicant"', doc))
    assert heirs == 2
    inventors = [link for link in of(items_2012, InventorOf) if link.end_uid == "uspto-patent:D656313"]
    applicants = [link for link in of(items_2012, ApplicantOfPatent) if link.end_uid == "uspto-patent:D656313"]
    persons = [a for a in applicants if a.start_uid.startswith("uspto-person:")]
    assert len(persons) - len(inventors) == heirs


def test_law_firm_and_attorneys(items_2012: list[Item]) -> None:
    firm = next(a for a in of(items_2012, Agency) if a.name == "Carston & Cahoon, LLP")
    on_patent = {r.start_uid for r in of(items_2012, RepresentsPatent) if r.end_uid == "uspto-patent:D656296"}
    attorneys = {a.uid: a.name for a in of(items_2012, Agent) if a.uid in on_patent}
    assert all(is_opaque(uid) and "corr" not in uid.lower() for uid in attorneys)  # no name in the uid
    assert sorted(attorneys.values()) == ["Celina M. Corr", "Colin P. Cahon"]
    ties = {(t.start_uid, t.end_uid) for t in of(items_2012, AgentOf)}
    assert {(uid, firm.uid) for uid in attorneys} <= ties
    represented = {(r.start_uid, r.end_uid) for r in of(items_2012, RepresentsPatent)}
    assert (firm.uid, "uspto-patent:D656296") in represented
    # a firm is one node however many patents it filed
    firm_docs = raw_count(FILE_2012, r"<orgname>Carston &#x26; Cahoon, LLP</orgname>")
    assert sum(1 for r in represented if r[0] == firm.uid) == firm_docs


def test_persons_are_keyed_per_patent_and_only_linked_as_candidates(tmp_path: Path) -> None:
    grant = FILE_2012.read_text(encoding="utf-8").split('<?xml version="1.0" encoding="UTF-8"?>\n')[1]
    second = grant.replace("D0656296", "D0999999")
    other_city = second.replace("D0999999", "D0999998").replace("<city>Frisco</city>", "<city>Dallas</city>")
    path = tmp_path / "three.xml"
    declaration = '<?xml version="1.0" encoding="UTF-8"?>\n'
    path.write_text(declaration + grant + declaration + second + declaration + other_city, encoding="utf-8")
    items = list(read_uspto(path))
    cavins = [p.uid for p in of(items, Person) if p.name == "Nicole Cavin"]
    assert len(cavins) == 3  # one per patent: never merged on the name
    same = of(items, PossibleSameAs)
    pairs = {frozenset((s.start_uid, s.end_uid)) for s in same if s.start_uid in cavins}
    assert pairs == {frozenset((cavins[0], cavins[1]))}  # same name and city; not the Dallas one


def test_street_address_and_broken_document(tmp_path: Path) -> None:
    grant = FILE_2012.read_text(encoding="utf-8").split('<?xml version="1.0" encoding="UTF-8"?>\n')[1]
    at = grant.index("<assignees>")
    street = "<address-1>7701 Legacy Drive</address-1><city>Plano</city>"
    with_street = grant[:at] + grant[at:].replace("<city>Plano</city>", street, 1)
    broken = grant.replace("D0656296", "D0999999")[:5000]
    path = tmp_path / "mixed.xml"
    declaration = '<?xml version="1.0" encoding="UTF-8"?>\n'
    path.write_text(declaration + with_street + declaration + broken, encoding="utf-8")
    items = list(read_uspto(path))
    assert len(of(items, Patent)) == 1
    rejects = of(items, Reject)
    assert len(rejects) == 1 and "does not parse" in rejects[0].reason and rejects[0].raw
    frito = next(c for c in of(items, Company) if c.name.startswith("Frito-Lay"))
    assert frito.country == "US"
    addresses = of(items, Address)
    assert any("7701 legacy drive" in a.value for a in addresses)
    assert any(link.start_uid == frito.uid for link in of(items, LocatedAt))


def test_patent_numbers() -> None:
    assert patent_number("D0656296") == "D656296"
    assert patent_number("08142345") == "8142345"
    assert patent_number("RE043210") == "RE43210"


def test_load_into_graph_and_reload_is_idempotent(store: Store, tmp_path: Path) -> None:
    first = load(store, read_uspto(XML), rejects_path=tmp_path / "r1.jsonl", batch_size=500, resolve=False)
    for name, count in first.kinds.items():
        assert count.balanced(), name
    assert store.read("MATCH (p:Patent) RETURN count(p) AS n")[0]["n"] == 221
    persons = len({i.uid for i in read_uspto(XML) if type(i) is Person})
    assert store.read("MATCH (p:Person) WHERE NOT p:Agent RETURN count(p) AS n")[0]["n"] == persons
    represented = store.read("MATCH (:Agency)-[r:REPRESENTS]->(:Patent) RETURN count(r) AS n")[0]["n"]
    assert represented > 0
    assert first.total.rejected == 2  # the two sequence listings
    second = load(store, read_uspto(XML), rejects_path=tmp_path / "r2.jsonl", batch_size=500, resolve=False)
    assert second.total.loaded == 0
    assert second.total.read == first.total.read
    assert second.total.unchanged == first.total.read - first.total.rejected
