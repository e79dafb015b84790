"""FollowTheMoney entities as JSON lines (OpenSanctions exports, `*.ftm.json`).

The `followthemoney` package reads each line into an entity proxy, so schema inheritance (a
`PublicBody` is a `LegalEntity`), property types and value cleaning come from its model rather than
from code here. Mapping:
  Person -> Person; LegalEntity, Company, Organization (and their sub-schemata) -> Company, keyed
  `uscc:<code>` when a valid unified social credit code (`uscCode`) is given, else `ftm:<id>`;
  Address -> Address (by its full text) and `addressEntity` / `address` -> LOCATED_AT;
  Ownership -> SHAREHOLDER_OF (percentage / 100 -> ratio; several Ownerships of one owner in one asset
  with different periods are several ties, each in force on its own dates);
  Directorship -> OFFICER_OF (role);
  Family -> FAMILY_OF (relationship); Sanction -> a Violation committed by its entity, with the
  behaviour code `US_SANCTION`, `EU_SANCTION` or `OTHER_SANCTION` (from the sanction's country).
Other schemata (Payment, Passport, …) are rejected with that reason. Links to entities absent from
the file are still emitted: the pipeline rejects them as "endpoint missing".

Dates given as a year or a year-month (`2005`, `2005-09`) are kept with that precision on subjects and
ties (`partial_dates`, see graph.model); a sanction's decision date must be a whole day.

The file is read three times, line by line: a first pass notes only what links need in order to name
their endpoints (address texts by id, credit-code uids by id), then every
node is yielded, then every link, so memory holds that index, never the file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from followthemoney import model as ftm_model
from followthemoney.proxy import EntityProxy

from graph.model import (
    Address,
    Committed,
    Company,
    Family,
    Link,
    LocatedAt,
    Officer,
    Person,
    Shareholding,
    Violation,
    contact_uid,
    normalize_address,
    validate_uscc,
)
from graph.schema import LINK_KINDS
from loaders.adapters.common import Builder
from loaders.records import Item, Reject

SOURCE = "ftm"
US_SANCTION = "US_SANCTION"
EU_SANCTION = "EU_SANCTION"
OTHER_SANCTION = "OTHER_SANCTION"
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2})?$")
_SURROGATE = re.compile("[\udc80-\udcff]")


def _first(proxy: EntityProxy, prop: str) -> str | None:
    values = proxy.get(prop, quiet=True)
    return values[0] if values else None


def _full_date(value: str | None) -> str | None:
    """A date only when it is a whole day (a sanction's decision date must be one)."""
    return value[:10] if value and _FULL_DATE.match(value) else None


def _date(value: str | None) -> str | None:
    """A whole day, or a year or year-month as given (FtM allows `2005`, `2005-09`): the models keep
    its precision."""
    if value and _PARTIAL_DATE.match(value):
        return value
    return _full_date(value)


def _address_text(proxy: EntityProxy) -> str | None:
    full = _first(proxy, "full")
    if full:
        return full
    parts = [_first(proxy, p) for p in ("street", "postalCode", "city", "region", "country")]
    text = ", ".join(p for p in parts if p)
    return text or None


def _uscc(proxy: EntityProxy) -> str | None:
    for code in proxy.get("uscCode", quiet=True):
        try:
            return validate_uscc(code)
        except ValueError:
            continue
    return None


def sanction_code(proxy: EntityProxy) -> str:
    """The behaviour code of a sanction, from the country of the listing body."""
    countries = set(proxy.get("country", quiet=True))
    programmes = [p.upper() for p in proxy.get("programId", quiet=True)]
    if "us" in countries or any(p.startswith("US-") for p in programmes):
        return US_SANCTION
    if "eu" in countries or any(p.startswith("EU-") for p in programmes):  # EU regimes, national lists too
        return EU_SANCTION
    return OTHER_SANCTION


class _Index:
    """What the second pass needs from the whole file: address texts and credit-code uids by id."""

    def __init__(self) -> None:
        self.addresses: dict[str, str] = {}
        self.uids: dict[str, str] = {}

    def uid(self, entity_id: str) -> str:
        return self.uids.get(entity_id) or f"ftm:{entity_id}"


def _lines(file: Path) -> Iterator[tuple[int, str]]:
    with file.open("r", encoding="utf-8", errors="surrogateescape") as fh:
        for number, line in enumerate(fh, start=1):
            if line.strip():
                yield number, line


def _proxy(line: str) -> EntityProxy:
    """The entity of one line. Values are taken as given (`cleaned=True`: FtM exports are cleaned by
    their producer, and FtM's own cleaning would take two thirds of the time); every value we keep is
    validated again by the graph models, and a property the schema does not know is ignored."""
    data = json.loads(line)
    if not isinstance(data, dict):
        raise ValueError("a line must hold one JSON object")
    if ftm_model.get(str(data.get("schema"))) is None:
        raise ValueError(f"unknown FtM schema {data.get('schema')!r}")
    return ftm_model.get_proxy(data, cleaned=True)


def _index(file: Path) -> _Index:
    index = _Index()
    for _, line in _lines(file):
        try:
            proxy = _proxy(line)
        except Exception:  # the second pass rejects the line with its reason
            continue
        if proxy.id is None:
            continue
        # ids merged into this entity (`referents`) still appear in other entities' references
        ids = [proxy.id, *(r for r in proxy.context.get("referents", []) if isinstance(r, str))]
        if proxy.schema.is_a("Address"):
            text = _address_text(proxy)
            if text:
                index.addresses.update(dict.fromkeys(ids, text))
        elif proxy.schema.is_a("Thing"):
            code = _uscc(proxy) if proxy.schema.is_a("LegalEntity") and not proxy.schema.is_a("Person") else None
            uid = f"uscc:{code}" if code else f"ftm:{proxy.id}"
            index.uids.update(dict.fromkeys(ids[0 if code else 1 :], uid))
    return index


class _Entity:
    """Items of one FtM entity."""

    def __init__(self, build: Builder, index: _Index, proxy: EntityProxy, record: str, raw: str) -> None:
        self.build = build
        self.index = index
        self.proxy = proxy
        self.record = record
        self.raw = raw

    def items(self) -> Iterator[Item]:
        schema = self.proxy.schema
        if schema.is_a("Person"):
            yield from self._person()
        elif schema.is_a("LegalEntity"):
            yield from self._company()
        elif schema.is_a("Address"):
            yield from self._address()
        elif schema.is_a("Ownership"):
            yield from self._ownership()
        elif schema.is_a("Directorship"):
            yield from self._link(Officer, "director", "organization", role=_first(self.proxy, "role"))
        elif schema.is_a("Family"):
            yield from self._link(Family, "person", "relative", relation=_first(self.proxy, "relationship"))
        elif schema.is_a("Sanction"):
            yield from self._sanction()
        else:
            why = f"FtM schema {schema.name} has no counterpart in the graph"
            yield self.build.reject(self.record, "record", why, self.raw)

    # nodes --------------------------------------------------------------------------------------

    def _names(self) -> tuple[str, list[str]]:
        caption = self.proxy.caption
        names = [*self.proxy.get("name", quiet=True), *self.proxy.get("alias", quiet=True)]
        aliases = sorted({n for n in names if n != caption and len(n) <= 500})[:50]
        return caption, aliases

    def _person(self) -> Iterator[Item]:
        name, aliases = self._names()
        uid = self.index.uid(str(self.proxy.id))
        ids = [*self.proxy.get("idNumber", quiet=True), *self.proxy.get("innCode", quiet=True)]
        node = self.build.make(
            Person,
            self.record,
            raw=self.raw,
            uid=uid,
            name=name,
            aliases=aliases,
            id_number=ids[0] if ids and len(ids[0]) <= 50 else None,
            birth_date=_date(_first(self.proxy, "birthDate")),
            nationality=_first(self.proxy, "nationality") or _first(self.proxy, "country"),
        )
        yield node
        if isinstance(node, Person):
            yield from self._located(uid)

    def _company(self) -> Iterator[Item]:
        name, aliases = self._names()
        uid = self.index.uid(str(self.proxy.id))
        node = self.build.make(
            Company,
            self.record,
            raw=self.raw,
            uid=uid,
            name=name,
            aliases=aliases,
            credit_code=uid.removeprefix("uscc:") if uid.startswith("uscc:") else None,
            country=_first(self.proxy, "jurisdiction") or _first(self.proxy, "country"),
            registered_on=_date(_first(self.proxy, "incorporationDate")),
            status=(_first(self.proxy, "status") or "")[:50] or None,
        )
        yield node
        if isinstance(node, Company):
            yield from self._located(uid)

    def _address(self) -> Iterator[Item]:
        text = _address_text(self.proxy)
        if not text:
            yield self.build.reject(self.record, "address", "address entity without any text", self.raw)
            return
        yield self.build.make(Address, self.record, raw=self.raw, value=text)

    def _located(self, uid: str) -> Iterator[Item]:
        """LOCATED_AT for each linked Address entity and each plain address text; the text ones also
        bring their Address node (linked ones come with their own entity line)."""
        done: set[str] = set()
        for ref in self.proxy.get("addressEntity", quiet=True):
            text = self.index.addresses.get(ref)
            if text is None:
                why = f"addressEntity {ref} is not an Address entity of this file"
                yield self.build.reject(self.record, "located_at", why, self.raw)
                continue
            key = normalize_address(text)
            if key not in done:
                done.add(key)
                yield self.build.make(LocatedAt, self.record, start_uid=uid, end_uid=contact_uid("address", text))
        for text in self.proxy.get("address", quiet=True):
            key = normalize_address(text)
            if key in done:
                continue
            done.add(key)
            node = self.build.make(Address, self.record, value=text)
            yield node
            if isinstance(node, Address):
                yield self.build.make(LocatedAt, self.record, start_uid=uid, end_uid=node.uid)

    # links --------------------------------------------------------------------------------------

    def _ends(self, start_prop: str, end_prop: str) -> tuple[str, str] | str:
        start = _first(self.proxy, start_prop)
        end = _first(self.proxy, end_prop)
        if not start or not end:
            return f"{self.proxy.schema.name} without {start_prop if not start else end_prop}"
        return self.index.uid(start), self.index.uid(end)

    def _link(self, model: type[Officer] | type[Family], start: str, end: str, **extra: Any) -> Iterator[Item]:
        ends = self._ends(start, end)
        if isinstance(ends, str):
            yield self.build.reject(self.record, model.kind.name, ends, self.raw)
            return
        yield self.build.make(
            model,
            self.record,
            raw=self.raw,
            start_uid=ends[0],
            end_uid=ends[1],
            since=_date(_first(self.proxy, "startDate")),
            until=_date(_first(self.proxy, "endDate")),
            **{k: (v[:100] if isinstance(v, str) else v) for k, v in extra.items()},
        )

    def _ownership(self) -> Iterator[Item]:
        ends = self._ends("owner", "asset")
        if isinstance(ends, str):
            yield self.build.reject(self.record, "shareholder", ends, self.raw)
            return
        ratio: float | None = None
        percentage = _first(self.proxy, "percentage")
        if percentage:
            try:
                ratio = float(percentage.strip().rstrip("%").replace(",", ".")) / 100
            except ValueError:
                yield self.build.reject(
                    self.record, "shareholder", f"percentage {percentage!r} is not a number", self.raw
                )
                return
        yield self.build.make(
            Shareholding,
            self.record,
            raw=self.raw,
            start_uid=ends[0],
            end_uid=ends[1],
            ratio=ratio,
            since=_date(_first(self.proxy, "startDate")),
            until=_date(_first(self.proxy, "endDate")),
        )

    def _sanction(self) -> Iterator[Item]:
        entity = _first(self.proxy, "entity")
        if not entity:
            yield self.build.reject(self.record, "violation", "Sanction without entity", self.raw)
            return
        notes: list[str] = []
        decided = next(
            (d for p in ("listingDate", "startDate", "date") if (d := _full_date(_first(self.proxy, p)))), None
        )
        if decided is None:
            seen = _full_date(str(self.proxy.context.get("first_seen") or ""))
            if seen is None:
                yield self.build.reject(self.record, "violation", "Sanction without any date", self.raw)
                return
            decided = seen
            notes.append(f"no decision date given; first seen by the publisher on {seen}")
        ended = _full_date(_first(self.proxy, "endDate"))
        status = "expired" if ended and date.fromisoformat(ended) < date.today() else "in_force"
        program = _first(self.proxy, "program")
        reason = _first(self.proxy, "reason") or _first(self.proxy, "summary")
        description = "; ".join(p for p in (program, reason, *notes) if p) or None
        uid = f"ftm:{self.proxy.id}"
        node = self.build.make(
            Violation,
            self.record,
            raw=self.raw,
            uid=uid,
            behaviour_code=sanction_code(self.proxy),
            decided_on=decided,
            authority=_first(self.proxy, "authority"),
            doc_number=(_first(self.proxy, "programId") or _first(self.proxy, "authorityId") or "")[:200] or None,
            status=status,
            description=description[:5000] if description else None,
            expires_on=ended,
        )
        yield node
        if isinstance(node, Violation):
            yield self.build.make(Committed, self.record, start_uid=self.index.uid(entity), end_uid=uid)


def read_ftm(path: Path) -> Iterator[Item]:
    """Items from one FtM JSON-lines file (or every `*.json`/`*.jsonl` file in a folder)."""
    files = sorted(p for p in path.iterdir() if p.suffix in (".json", ".jsonl")) if path.is_dir() else [path]
    for file in files:
        yield from _read_file(file)


def _read_file(file: Path) -> Iterator[Item]:
    """Three passes, each line by line: the index, then every node, then every link.

    FtM files are ordered by id, not by schema, so an Ownership may come before its company; the
    pipeline rejects a link whose endpoint it has not seen, so nodes are all yielded first.
    """
    build = Builder(SOURCE, file)
    index = _index(file)
    for links in (False, True):
        for item in _entities(build, index, file):
            if _is_link(item) == links:
                yield item


def _is_link(item: Item) -> bool:
    if isinstance(item, Reject):
        return item.kind in LINK_KINDS
    return isinstance(item, Link)


def _entities(build: Builder, index: _Index, file: Path) -> Iterator[Item]:
    for number, line in _lines(file):
        record = f"line{number}"
        if _SURROGATE.search(line):
            yield build.reject(record, "record", "bytes that are not valid UTF-8", line)
            continue
        try:
            proxy = _proxy(line)
        except json.JSONDecodeError as exc:
            yield build.reject(record, "record", f"not JSON: {exc}", line)
            continue
        except Exception as exc:  # followthemoney raises several types for bad entities
            yield build.reject(record, "record", f"not a FollowTheMoney entity: {exc}", line)
            continue
        if proxy.id is None:
            yield build.reject(record, "record", "entity without an id", line)
            continue
        yield from _Entity(build, index, proxy, f"{record}:{proxy.id}", line).items()
