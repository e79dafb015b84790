"""Taiwan IPO (TIPO) trademark XML: the registration gazette (`<RegContentList>`/`<RegContent>`) and
the application records of the TmarkAppl open-data API (`<tmarkcontent>`).

Streamed with `iterparse`, one record at a time. Dates are ROC-calendar (`111.03.16` = 2022-03-16)
or `YYYY/MM/DD`; `graph.model.parse_date` reads both. A trademark is keyed by its application number
(`tipo-trademark:<CaseNo or appl-no>`), so a registration and its application are one node.

Owners are told apart by their names: companies and other bodies by Chinese or English company
markers (公司, 有限, 協會, Inc., LLC, …), keyed by normalised name; everyone else is a person, keyed
within the record (persons are never merged on a name alone). A sole proprietorship written as
`<trade name>　<proprietor>` becomes the business (the owner) and its proprietor as legal
representative. Agents are persons (licensed trademark agents), keyed within the record; the
gazette names them only, so no duplicate candidates are derived from the name.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from pathlib import Path

from graph.model import (
    Address,
    Agent,
    ApplicantOfTrademark,
    Company,
    LegalRep,
    LocatedAt,
    Person,
    RepresentsTrademark,
    Trademark,
    person_uid,
)
from loaders.adapters.common import Builder, Orgs, read_xml_files, slug, verbatim
from loaders.records import Item

SOURCE = "tipo-xml"

_ZH_MARKERS = (
    "公司",
    "有限",
    "股份",
    "企業",
    "商行",
    "商號",
    "工作室",
    "協會",
    "學會",
    "公會",
    "基金會",
    "大學",
    "學院",
    "學校",
    "醫院",
    "診所",
    "研究院",
    "研究所",
    "合作社",
    "銀行",
    "集團",
    "事務所",
    "法人",
    "中心",
    "工廠",
    "實業",
    "委員會",
    "政府",
    "株式",
    "會社",
    "補習班",
    "農會",
    "寺",
    "宮",
)
_ZH_END = "行店館坊堂園社會院所團廠部局署處"
_EN_COMPANY = re.compile(
    r"\b(INC|INCORPORATED|LLC|L\.L\.C|LTD|LIMITED|CO|CORP|CORPORATION|COMPANY|GMBH|AG|S\.?A|B\.?V|N\.?V|KK|"
    r"KABUSHIKI|KAISHA|PLC|SRL|S\.?P\.?A|SAS|HOLDINGS?|GROUP|ASSOCIATION|FOUNDATION|UNIVERSITY|INSTITUTE)\b",
    re.IGNORECASE,
)
_HAN = r"[\u4e00-\u9fff·．.]"
# a person: 2-6 Han characters, or a nationality prefix (日籍, 美籍, 大陸地區, 香港, …) and the name
_PERSON_ZH = re.compile(rf"^(?:[^\W\d_]{{1,3}}籍{_HAN}{{1,6}}|(?:大陸地區|香港|澳門)?{_HAN}{{2,6}})$")
_PROPRIETOR = re.compile(r"^[\u4e00-\u9fff]{2,4}$")


# `美商…` (a US company), `開曼群島商…`: TIPO's prefix for a foreign company
_FOREIGN_COMPANY = re.compile(
    r"^(?:美|日|英|德|法|韓|南韓|港|香港|澳門|大陸|新加坡|瑞士|荷蘭|義大利|加拿大|澳大利亞|澳洲|開曼群島|英屬維京群島|"
    r"英屬蓋曼群島|薩摩亞|塞席爾|盧森堡|瑞典|丹麥|芬蘭|比利時|西班牙|奧地利|泰國|馬來西亞|越南|印度|紐西蘭|以色列|"
    r"百慕達|巴拿馬|挪威|愛爾蘭|葡萄牙|模里西斯|菲律賓|印尼)商"
)


def is_organisation(chinese: str, english: str = "") -> bool:
    """Whether an owner name names a company or other body rather than a natural person."""
    zh = unicodedata.normalize("NFKC", chinese).strip()
    if _FOREIGN_COMPANY.match(zh) or any(marker in zh for marker in _ZH_MARKERS):
        return True
    if len(zh) > 4 and zh[-1] in _ZH_END:
        return True
    if english and _EN_COMPANY.search(english):
        return True
    if zh:
        return not _PERSON_ZH.match(zh)
    return False


def split_proprietorship(name: str) -> tuple[str, str] | None:
    """`高帝園茶業　林淑媛` -> (`高帝園茶業`, `林淑媛`): a business written with its proprietor."""
    parts = name.split()  # the parts as given (the ideographic space U+3000 is a space here too)
    if len(parts) == 2 and _PROPRIETOR.match(unicodedata.normalize("NFKC", parts[1])):
        return parts[0], parts[1]
    return None


def _text(element: ET.Element, path: str) -> str:
    found = element.find(path)
    return "".join(found.itertext()).strip() if found is not None else ""


class _Record:
    """Items of one gazette registration or one application."""

    def __init__(self, build: Builder, record: str, orgs: Orgs) -> None:
        self.build = build
        self.record = record
        self.seen: set[str] = set()
        # companies are keyed by normalised name across records: the first record's facts are kept,
        # other spellings and aliases join its aliases (see common.Orgs)
        self.orgs = orgs

    def owner(self, chinese: str, english: str, address: str, country: str) -> Iterator[Item | str]:
        """Yields the owner's items, then its uid as the last element ("" when it was rejected)."""
        name = chinese or english
        if not name:
            yield self.build.reject(self.record, "company", "owner without a name")
            yield ""
            return
        aliases = [english] if chinese and english else []
        business = split_proprietorship(chinese) if chinese else None
        if business is not None:
            trade, proprietor = business
            uid = f"tipo-company:{slug(trade)}"
            node = self.build.make(Company, self.record, uid=uid, name=trade, country=country or None, name_keyed=True)
            proprietor_uid = person_uid("tipo-person", slug(trade), slug(proprietor))
            yield from self._org_once(node)
            yield from self._once(self.build.make(Person, self.record, uid=proprietor_uid, name=proprietor))
            yield self.build.make(LegalRep, self.record, start_uid=proprietor_uid, end_uid=uid)
        elif is_organisation(chinese, english):
            uid = f"tipo-company:{slug(name)}"
            node = self.build.make(
                Company, self.record, uid=uid, name=name, aliases=aliases, country=country or None, name_keyed=True
            )
            yield from self._org_once(node)
        else:
            uid = person_uid("tipo-person", self.record, slug(name))
            node = self.build.make(Person, self.record, uid=uid, name=name, aliases=aliases)
            yield from self._once(node)
        if not isinstance(node, Company | Person):
            yield ""
            return
        yield from self._address(uid, address)
        yield uid

    def agent(self, name: str, address: str) -> Iterator[Item | str]:
        if not name:
            yield self.build.reject(self.record, "agent", "agent without a name")
            yield ""
            return
        uid = person_uid("tipo-agent", self.record, slug(name))
        node = self.build.make(Agent, self.record, uid=uid, name=name)
        yield from self._once(node)
        if not isinstance(node, Agent):
            yield ""
            return
        yield from self._address(uid, address)
        yield uid

    def _org_once(self, item: Item) -> Iterator[Item]:
        yield from self.orgs.once(item)

    def _once(self, item: Item) -> Iterator[Item]:
        uid = getattr(item, "uid", None)
        if uid is None or uid not in self.seen:
            if uid is not None:
                self.seen.add(uid)
            yield item

    def _address(self, uid: str, address: str) -> Iterator[Item]:
        if not address:
            return
        node = self.build.make(Address, self.record, value=address)
        yield node
        if isinstance(node, Address):
            yield self.build.make(LocatedAt, self.record, start_uid=uid, end_uid=node.uid)


def _split(items: Iterator[Item | str]) -> tuple[list[Item], str]:
    got = list(items)
    uid = got.pop()
    assert isinstance(uid, str)
    return [i for i in got if not isinstance(i, str)], uid


def _classes(values: list[str]) -> list[int] | str:
    out: list[int] = []
    for value in values:
        if not value.strip():
            continue
        try:
            number = int(value)
        except ValueError:
            return f"goods class {value!r} is not a number"
        if not 1 <= number <= 45:
            return f"goods class {value.strip()} is not a Nice class (1-45)"
        out.append(number)
    return sorted(set(out))


def _registration(build: Builder, el: ET.Element, index: int, orgs: Orgs) -> Iterator[Item]:
    """One `<RegContent>` of the registration gazette."""
    register_no, case_no = _text(el, "RegisterNo"), _text(el, "CaseNo")
    owners = ((verbatim(o, "AChinese"), verbatim(o, "AEnglish"), "", "") for o in el.iterfind("RegContentOwner"))
    agents = ((verbatim(a, "BChinese"), "") for a in el.iterfind("RegContentAgent"))
    yield from _trademark(
        build,
        el,
        record=f"reg{register_no or '?'}#{el.get('no', index)}",
        orgs=orgs,
        classes=[c.text or "" for c in el.iterfind("RegContentClassification/Class")],
        key=case_no,
        missing="registration without an application number (CaseNo)",
        fields={
            "number": register_no or case_no,
            "name": verbatim(el, "Trademark_Name") or None,
            "status": "registered",
            "filed_on": _text(el, "Filing_Date") or None,
            "registered_on": _text(el, "SDate") or None,
        },
        owners=owners,
        agents=agents,
    )


def _application(build: Builder, el: ET.Element, index: int, orgs: Orgs) -> Iterator[Item]:
    """One `<tmarkcontent>` of the TmarkAppl API."""
    appl_no = _text(el, "appl-no")
    owners = (
        (verbatim(a, "chinese-name"), verbatim(a, "english-name"), _text(a, "address"), _text(a, "country-code"))
        for a in el.iterfind("parties/applicants/applicant")
    )
    agents = ((verbatim(a, "chinese-name"), _text(a, "address")) for a in el.iterfind("parties/agents/agent"))
    yield from _trademark(
        build,
        el,
        record=f"appl{appl_no or '?'}#{el.get('sequence', index)}",
        orgs=orgs,
        classes=[c.text or "" for c in el.iterfind("goodsclasses/goodsclass/goodsclass-code")],
        key=appl_no,
        missing="application without a number (appl-no)",
        fields={
            "number": appl_no,
            "name": verbatim(el, "tmark-name") or None,
            "status": "filed",
            "filed_on": _text(el, "appl-date") or None,
        },
        owners=owners,
        agents=agents,
    )


def _trademark(
    build: Builder,
    el: ET.Element,
    *,
    record: str,
    orgs: Orgs,
    classes: list[str],
    key: str,
    missing: str,
    fields: dict[str, str | None],
    owners: Iterable[tuple[str, str, str, str]],
    agents: Iterable[tuple[str, str]],
) -> Iterator[Item]:
    """What both record shapes become: the mark (keyed by its application number `key`), its owners
    (Chinese name, English name, address, country) as applicants and its agents (name, address)."""
    numbers = _classes(classes)
    if isinstance(numbers, str):
        yield build.reject(record, "trademark", numbers, ET.tostring(el, encoding="unicode"))
        return
    if not key:
        yield build.reject(record, "trademark", missing)
        return
    uid = f"tipo-trademark:{key}"
    mark = build.make(
        Trademark, record, raw=lambda: ET.tostring(el, encoding="unicode"), uid=uid, classes=numbers, **fields
    )
    yield mark
    if not isinstance(mark, Trademark):
        return
    rec = _Record(build, record, orgs)
    for owner in owners:
        items, owner_uid = _split(rec.owner(*owner))
        yield from items
        if owner_uid:
            yield build.make(ApplicantOfTrademark, record, start_uid=owner_uid, end_uid=uid)
    for agent in agents:
        items, agent_uid = _split(rec.agent(*agent))
        yield from items
        if agent_uid:
            yield build.make(RepresentsTrademark, record, start_uid=agent_uid, end_uid=uid)


_RECORDS = {"RegContent": _registration, "tmarkcontent": _application}


def read_tipo(path: Path) -> Iterator[Item]:
    """Items from one TIPO trademark XML file (or every `*.xml` file in a folder)."""
    return read_xml_files(path, _read_file)


def _read_file(file: Path, orgs: Orgs) -> Iterator[Item]:
    build = Builder(SOURCE, file)
    index = 0
    root: ET.Element | None = None
    try:
        for event, el in ET.iterparse(file, events=("start", "end")):
            if event == "start":
                if root is None:
                    root = el
                continue
            handler = _RECORDS.get(el.tag)
            if handler is None:
                continue
            index += 1
            yield from handler(build, el, index, orgs)
            el.clear()
            if root is not None:
                root.clear()  # drop finished records: memory stays flat in the file size
    except ET.ParseError as exc:
        yield build.reject(f"record{index + 1}", "trademark", f"XML breaks after {index} records: {exc}")
        return
    if index == 0:
        yield build.reject("file", "trademark", "no <RegContent> or <tmarkcontent> records in the file")
