"""TIPO trademark XML adapter on the shared gazette and TmarkAppl samples, checked against counts and
records read from the raw files with plain regular expressions."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

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
)
from graph.store import Store
from loaders.adapters.tipo import is_organisation, read_tipo, split_proprietorship
from loaders.pipeline import load
from loaders.records import Item, Reject
from tests.conftest import SHARED_DATA

TIPO = SHARED_DATA / "tipo-trademarks"
GAZETTE = TIPO / "trademark_gazette_regcontent_index.xml"
APPL_ONE = TIPO / "TmarkAppl_100000001.xml"
APPL_API = TIPO / "api_TmarkAppl_sample25.xml"


@pytest.fixture(scope="module")
def gazette() -> list[Item]:
    return list(read_tipo(GAZETTE))


def of(items: list[Item], model: type) -> list:  # type: ignore[type-arg]
    return [i for i in items if type(i) is model]


def roc(text: str) -> date:
    year, month, day = (int(p) for p in text.split("."))
    return date(year + 1911, month, day)


def test_one_trademark_per_registration(gazette: list[Item]) -> None:
    raw = GAZETTE.read_text(encoding="utf-8")
    registrations = len(re.findall(r"<RegContent\s", raw))
    declared = int(re.search(r'total-count="(\d+)"', raw).group(1))  # type: ignore[union-attr]
    assert registrations == declared == 2434
    marks = of(gazette, Trademark)
    assert len(marks) == registrations
    assert not of(gazette, Reject)
    # every owner and every agent element becomes one link to its mark
    assert len(of(gazette, ApplicantOfTrademark)) == raw.count("<RegContentOwner>")
    assert len(of(gazette, RepresentsTrademark)) == raw.count("<RegContentAgent>")
    blocks = re.findall(r"<RegContent\s.*?</RegContent>", raw, re.S)
    distinct = sum(len({int(c) for c in re.findall(r"<Class>(\d+)</Class>", b)}) for b in blocks)
    assert sum(len(m.classes) for m in marks) == distinct


def test_known_registration_against_raw(gazette: list[Item]) -> None:
    raw = GAZETTE.read_text(encoding="utf-8")
    block = re.search(r"<RegContent no=\"4\">.*?</RegContent>", raw, re.S).group(0)  # type: ignore[union-attr]
    field = {k: re.search(rf"<{k}>([^<]*)</{k}>", block).group(1) for k in ("CaseNo", "RegisterNo", "SDate")}  # type: ignore[union-attr]
    owner = re.search(r"<AChinese>([^<]*)</AChinese>", block).group(1)  # type: ignore[union-attr]
    agents = re.findall(r"<BChinese>([^<]*)</BChinese>", block)
    mark = next(m for m in of(gazette, Trademark) if m.uid == f"tipo-trademark:{field['CaseNo']}")
    assert mark.number == field["RegisterNo"]
    assert mark.registered_on == roc(field["SDate"]) == date(2022, 3, 16)
    company = next(c for c in of(gazette, Company) if c.name == owner)
    assert owner == "景岳生物科技股份有限公司" and company.aliases == ["GENMONT BIOTECH INC."]
    assert (company.uid, mark.uid) in {(a.start_uid, a.end_uid) for a in of(gazette, ApplicantOfTrademark)}
    represented = {r.start_uid for r in of(gazette, RepresentsTrademark) if r.end_uid == mark.uid}
    names = {a.uid: a.name for a in of(gazette, Agent)}
    assert sorted(names[u] for u in represented) == sorted(agents)


def test_persons_never_merged_on_name(gazette: list[Item]) -> None:
    raw = GAZETTE.read_text(encoding="utf-8")
    times = raw.count("<AChinese>黃秋翰</AChinese>")
    assert times >= 2
    persons = [p for p in of(gazette, Person) if p.name == "黃秋翰"]
    assert len(persons) == len({p.uid for p in persons}) == times
    # a company is one node however many marks it registers
    companies = [c for c in of(gazette, Company) if c.name == "景岳生物科技股份有限公司"]
    assert len(companies) == 1


def test_sole_proprietorship_and_application_records() -> None:
    items = list(read_tipo(APPL_ONE))
    mark = of(items, Trademark)[0]
    assert mark.uid == "tipo-trademark:100000001" and mark.classes == [41] and mark.filed_on == date(2011, 1, 3)
    business = of(items, Company)[0]
    proprietor = of(items, Person)[0]
    assert (business.name, proprietor.name) == ("私立高強珠心算短期補習班", "洪嘉鴻")
    assert [(t.start_uid, t.end_uid) for t in of(items, LegalRep)] == [(proprietor.uid, business.uid)]
    # both agents share one office address: one Address node, two LOCATED_AT links
    agents = of(items, Agent)
    assert len(agents) == 2
    office = {a.uid for a in of(items, Address) if "建平五街122號" in a.value}
    assert len(office) == 1
    located = [link for link in of(items, LocatedAt) if link.end_uid in office]
    assert {link.start_uid for link in located} == {a.uid for a in agents}


def test_old_national_classes_rejected_with_reason() -> None:
    raw = APPL_API.read_text(encoding="utf-8")
    records = re.findall(r"<tmarkcontent .*?</tmarkcontent>", raw, re.S)
    non_nice = [r for r in records if any(int(c) > 45 for c in re.findall(r"<goodsclass-code>(\d+)<", r))]
    items = list(read_tipo(APPL_API))
    rejects = of(items, Reject)
    assert len(records) == 25
    assert len(rejects) == len(non_nice) > 0
    assert all("is not a Nice class (1-45)" in r.reason for r in rejects)
    assert len(of(items, Trademark)) == len(records) - len(non_nice)


def test_owner_classification() -> None:
    assert is_organisation("景岳生物科技股份有限公司")
    assert is_organisation("美商費雪科學公司", "FISHER SCIENTIFIC COMPANY L.L.C.")
    assert not is_organisation("黃秋翰")
    assert not is_organisation("美籍鄭莉容")
    assert not is_organisation("大陸地區華小鋒")
    assert not is_organisation("日籍林")
    assert is_organisation("美商伯朗")
    assert split_proprietorship("高帝園茶業　林淑媛") == ("高帝園茶業", "林淑媛")
    assert split_proprietorship("黃秋翰") is None


def test_broken_and_empty_files(tmp_path: Path) -> None:
    raw = GAZETTE.read_text(encoding="utf-8")
    cut = raw[: raw.index('<RegContent no="3">') + 40]
    broken = tmp_path / "broken.xml"
    broken.write_text(cut, encoding="utf-8")
    items = list(read_tipo(broken))
    assert len(of(items, Trademark)) == 2
    rejects = of(items, Reject)
    assert len(rejects) == 1 and "XML breaks after 2 records" in rejects[0].reason
    empty = tmp_path / "empty.xml"
    empty.write_text('<?xml version="1.0"?><RegContentList total-count="0"></RegContentList>', encoding="utf-8")
    rejects = list(read_tipo(empty))
    assert len(rejects) == 1 and isinstance(rejects[0], Reject) and "no <RegContent>" in rejects[0].reason


def test_load_into_graph_and_reload_is_idempotent(store: Store, tmp_path: Path) -> None:
    first = load(store, read_tipo(TIPO), rejects_path=tmp_path / "r1.jsonl", batch_size=1000, resolve=False)
    for name, count in first.kinds.items():
        assert count.balanced(), name
    marks = store.read("MATCH (t:Trademark) RETURN count(t) AS n")[0]["n"]
    expected = len({i.uid for i in read_tipo(TIPO) if isinstance(i, Trademark)})
    assert marks == expected > 2434
    owners = store.read("MATCH (:Subject)-[r:APPLICANT_OF]->(:Trademark) RETURN count(r) AS n")[0]["n"]
    assert owners == first.count("applicant_trademark").loaded > 2434
    second = load(store, read_tipo(TIPO), rejects_path=tmp_path / "r2.jsonl", batch_size=1000, resolve=False)
    assert second.total.loaded == 0
    assert second.total.unchanged == first.total.read - first.total.rejected
