"""USPTO patent-grant full-text XML (`ipgYYMMDD.xml`): patents, assignees, applicants, inventors,
and the attorneys and law firms that filed them.

A weekly file is several XML documents concatenated, one `<?xml …?>` declaration each, so it is cut at
the declarations while reading block by block and each document is parsed alone, up to the end of its
bibliographic data (memory holds one document, never the file). Documents that are not grants
(`<sequence-cwu>` sequence listings) and documents that do not parse are rejected with the reason.
A grant that ends before `</us-patent-grant>` (a file cut in the description) is rejected as truncated.
Both DTD generations are read: v4.2 (`<parties>/<applicants>`, applicant-inventors) and v4.3+
(`<us-parties>/<us-applicants>` + `<inventors>`).

Keys: a patent is `uspto-patent:<number>` (leading zeros dropped, as PatentsView writes it); an
organisation (assignee or law firm) is keyed by its normalised name; a person (inventor, applicant,
individual assignee, attorney) only within one patent (`uspto-person:<patent>:<name>`), because persons
are never merged on a name alone. Across patents of one file, persons with the same name and city
get a `POSSIBLE_SAME_AS` candidate link (the basis PatentsView's disambiguation starts from).
Addresses become `Address` nodes only with a street line: the grant XML gives most parties a city
and country only, and a city shared by thousands of companies is no contact point.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Generator, Iterator
from pathlib import Path

from graph.model import (
    Address,
    Agency,
    Agent,
    AgentOf,
    ApplicantOfPatent,
    Company,
    InventorOf,
    Link,
    LocatedAt,
    Patent,
    Person,
    PossibleSameAs,
    RepresentsPatent,
    normalize_name,
    person_uid,
)
from loaders.adapters.common import Builder, Orgs, read_xml_files, slug, verbatim
from loaders.records import Item

SOURCE = "uspto-xml"
_DECLARATION = b"<?xml"
_NUMBER = re.compile(r"^([A-Z]*)0*(\d+)$")


def patent_number(doc_number: str) -> str:
    """`D0656296` -> `D656296`, `08142345` -> `8142345` (the form on the patent and in PatentsView)."""
    text = doc_number.strip().upper()
    m = _NUMBER.match(text)
    return f"{m.group(1)}{m.group(2)}" if m else text


def documents(path: Path, block_size: int = 1 << 20) -> Iterator[tuple[int, int, bytes]]:
    """(index, first line, bytes) of each XML document in a concatenated file.

    Read in blocks and cut at each `<?xml` declaration: memory holds one document and one block.
    """
    index = 0
    line = 1
    pending = bytearray()
    scan = 1  # where to look for the next declaration (not at 0: that one opens the current document)
    with path.open("rb") as fh:
        while block := fh.read(block_size):
            pending += block
            while (at := pending.find(_DECLARATION, scan)) >= 0:
                doc = bytes(pending[:at])
                del pending[:at]
                scan = 1
                if doc.strip():
                    yield index, line, doc
                    index += 1
                line += doc.count(b"\n")
            scan = max(1, len(pending) - len(_DECLARATION))
    if pending.strip():
        yield index, line, bytes(pending)


_BIB_END = b"</us-bibliographic-data-grant>"
_GRANT_END = b"</us-patent-grant>"
RAW_TAIL = 2000  # bytes of a truncated document's end kept in its reject


def _bibliographic(data: bytes) -> bytes:
    """The document up to its bibliographic data, closed: the description and claims (most of a grant)
    are never read, so they are not parsed either."""
    end = data.find(_BIB_END)
    if end < 0 or b"<us-patent-grant" not in data[:end]:
        return data
    return data[: end + len(_BIB_END)] + b"</us-patent-grant>"


def _text(element: ET.Element | None, path: str) -> str:
    if element is None:
        return ""
    found = element.find(path)
    return "".join(found.itertext()).strip() if found is not None else ""


class _Party:
    """One addressbook entry: an organisation name, or a person's last and first name, and where."""

    def __init__(self, element: ET.Element) -> None:
        book = element.find("addressbook")
        book = book if book is not None else element
        self.org = verbatim(book, "orgname")
        self.last = verbatim(book, "last-name")
        self.first = verbatim(book, "first-name")
        self.city = _text(book, "address/city")
        self.state = _text(book, "address/state")
        country = _text(book, "address/country")
        self.country = country.upper() if country and country.lower() not in ("unknown", "omitted") else ""
        self.street = _text(book, "address/address-1") or _text(book, "address/street")
        self.app_type = element.get("app-type", "")
        nationality = _text(element, "nationality/country")
        self.nationality = nationality.upper() if nationality.lower() not in ("", "unknown", "omitted") else ""

    @property
    def person_name(self) -> str:
        return " ".join(part for part in (self.first, self.last) if part)

    @property
    def address(self) -> str:
        """A full postal address, or "" when only a city and country are given."""
        if not self.street:
            return ""
        return ", ".join(p for p in (self.street, self.city, self.state, self.country) if p)


class _Doc:
    """Turns one parsed grant into items; persons are keyed within this patent."""

    def __init__(
        self, build: Builder, root: ET.Element, record: str, same_as: dict[tuple[str, str], str], orgs: Orgs
    ) -> None:
        self.build = build
        self.root = root
        self.record = record
        self.same_as = same_as
        self.orgs = orgs  # organisations already emitted in this read (see `_party`)
        self.seen: set[str] = set()

    def items(self) -> Iterator[Item]:
        bib = self.root.find("us-bibliographic-data-grant")
        if bib is None:
            yield self.build.reject(self.record, "patent", "grant without <us-bibliographic-data-grant>")
            return
        number = patent_number(_text(bib, "publication-reference/document-id/doc-number"))
        self.record = number or self.record
        patent_uid = f"uspto-patent:{number}"
        patent = self.build.make(
            Patent,
            self.record,
            uid=patent_uid,
            number=number,
            title=verbatim(bib, "invention-title") or None,
            kind_code=_text(bib, "publication-reference/document-id/kind") or None,
            granted_on=_text(bib, "publication-reference/document-id/date") or None,
            filed_on=_text(bib, "application-reference/document-id/date") or None,
        )
        yield patent
        if not isinstance(patent, Patent):
            return  # the reject says why; its parties have nothing to attach to
        parties = bib.find("us-parties")
        if parties is None:
            parties = bib.find("parties")
        applicants = [] if parties is None else [*parties.iterfind("*/applicant"), *parties.iterfind("*/us-applicant")]
        inventors = [] if parties is None else list(parties.iterfind("inventors/inventor"))
        agents = [] if parties is None else list(parties.iterfind("agents/agent"))
        assignees = list(bib.iterfind("assignees/assignee"))
        for element in applicants:
            party = _Party(element)
            uid = yield from self._party(party, "applicant")
            if uid:
                yield self._link(ApplicantOfPatent, uid, patent_uid)
                if party.app_type == "applicant-inventor":
                    yield self._link(InventorOf, uid, patent_uid)
        for element in inventors:
            party = _Party(element)
            uid = yield from self._party(party, "inventor")
            if uid:
                yield self._link(InventorOf, uid, patent_uid)
        for element in assignees:
            party = _Party(element)
            uid = yield from self._party(party, "assignee")
            if uid:
                yield self._link(ApplicantOfPatent, uid, patent_uid)
        firms: list[str] = []
        attorneys: list[str] = []
        for element in agents:
            party = _Party(element)
            uid = yield from self._party(party, "agent")
            if uid:
                (firms if party.org else attorneys).append(uid)
                yield self._link(RepresentsPatent, uid, patent_uid)
        if len(firms) == 1:  # attorneys named beside exactly one firm practise at that firm
            for uid in attorneys:
                yield self._link(AgentOf, uid, firms[0])

    def _link(self, model: type[Link], start: str, end: str) -> Item:
        return self.build.make(model, self.record, start_uid=start, end_uid=end)

    def _party(self, party: _Party, role: str) -> Generator[Item, None, str]:
        """Yields the party's nodes; returns its uid, or "" when it was rejected or is empty."""
        if party.org:
            name = party.org
            if role == "agent":
                uid = f"uspto-agency:{slug(name)}"
                node = self.build.make(
                    Agency, self.record, uid=uid, name=name, country=party.country or None, name_keyed=True
                )
            else:
                uid = f"uspto-org:{slug(name)}"
                node = self.build.make(
                    Company, self.record, uid=uid, name=name, country=party.country or None, name_keyed=True
                )
        elif party.person_name:
            name = party.person_name
            prefix = "uspto-agent" if role == "agent" else "uspto-person"
            uid = person_uid(prefix, self.record, slug(name))
            model = Agent if role == "agent" else Person
            # the address country is where they live, not a nationality: only <nationality> says that
            nationality = party.nationality or None
            node = self.build.make(model, self.record, uid=uid, name=name, nationality=nationality)
        else:
            yield self.build.reject(self.record, role, f"{role} without an organisation or person name")
            return ""
        if uid in self.seen:  # the same person as applicant and inventor, or a repeated firm
            return uid
        self.seen.add(uid)
        if party.org:
            # spellings that normalise to one key (`Morgan Lewis & Bockius LLP` / `Morgan, Lewis & …`)
            # are one organisation: each new spelling comes again with the first one's other facts, and
            # the loader adds it as an alias (the first name stays)
            again = uid in self.orgs
            yield from self.orgs.once(node)
            if again:
                return uid  # its address and ties came with its first record
        else:
            yield node
        if not isinstance(node, Company | Person):
            return ""
        if party.address:
            address = self.build.make(Address, self.record, value=party.address)
            yield address
            if isinstance(address, Address):
                yield self.build.make(LocatedAt, self.record, start_uid=uid, end_uid=address.uid)
        if not party.org and role != "agent" and party.city:
            key = (normalize_name(name), normalize_name(f"{party.city}|{party.state}|{party.country}"))
            first = self.same_as.setdefault(key, uid)
            if first != uid:
                yield self.build.make(
                    PossibleSameAs,
                    self.record,
                    start_uid=min(first, uid),
                    end_uid=max(first, uid),
                    reason="same name and city (USPTO)",
                    score=0.5,
                )
        return uid


def read_uspto(path: Path) -> Iterator[Item]:
    """Items from one USPTO grant XML file (or every `*.xml` file in a folder)."""
    return read_xml_files(path, _read_file)


def _read_file(file: Path, orgs: Orgs) -> Iterator[Item]:
    build = Builder(SOURCE, file)
    same_as: dict[tuple[str, str], str] = {}
    for index, line, data in documents(file):
        record = f"doc{index}@line{line}"
        try:
            root = ET.fromstring(_bibliographic(data))
        except ET.ParseError as exc:
            yield build.reject(record, "patent", f"XML does not parse: {exc}", data)
            continue
        if root.tag != "us-patent-grant":
            yield build.reject(record, "patent", f"not a patent grant: <{root.tag}> document, skipped", data)
            continue
        if _GRANT_END not in data:
            # cut after its bibliographic data (a file truncated in the description or claims): what it
            # names may be whole, but a silently incomplete grant is not one to accept
            why = "document truncated: it ends before </us-patent-grant> (the file was cut?)"
            yield build.reject(record, "patent", why, data[-RAW_TAIL:])
            continue
        yield from _Doc(build, root, record, same_as, orgs).items()
