"""Regions: the division code inside a credit code (GB/T 2260), else a recognised address; stored by
`assign` (changes only); region-scoped keys see only their region's subjects."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from credit.supervision.regions import assign, region_of, region_of_address, region_of_credit_code
from graph.settings import get_settings
from graph.store import Store


@pytest.mark.parametrize(
    ("code", "region", "names"),
    [
        ("91110108MA01ABCD1X", "110108", ("北京市", "北京市", "海淀区")),
        ("91440305MA5D9XYZ2K", "440305", ("广东省", "深圳市", "南山区")),
        ("92330106MA2H00001A", "330106", ("浙江省", "杭州市", "西湖区")),
        ("91500101MA600001XX", "500101", ("重庆市", "重庆市", "万州区")),  # a municipality's county
        ("91110104MA0000000X", "110100", ("北京市", "北京市", None)),  # 宣武区, merged away: its city stays
        ("91441900MA4UUUUU1B", "441900", ("广东省", "东莞市", None)),  # a city without counties
        ("91440000MA4W00000C", "440000", ("广东省", None, None)),  # registered at the province
    ],
)
def test_region_from_the_credit_code(code: str, region: str, names: tuple[str | None, ...]) -> None:
    found = region_of_credit_code(code)
    assert found is not None
    assert found.region_code == region
    assert (found.province, found.city, found.county) == names


@pytest.mark.parametrize(
    "code",
    [None, "", "91110108", "91110108MA01ABCD1X9", "91999999MA01ABCD1X", "91AB0108MA01ABCD1X", " 9111010 8MA01ABCD1"],
)
def test_no_region_from_a_code_that_does_not_carry_one(code: str | None) -> None:
    assert region_of_credit_code(code) is None


@pytest.mark.parametrize(
    ("address", "region"),
    [
        ("北京市朝阳区建国路88号", "110105"),
        ("吉林省长春市朝阳区人民大街1号", "220104"),  # the same county name, under another city
        ("浙江杭州西湖区文三路", "330106"),  # suffixes left out
        ("深圳市南山区科技园", "440305"),  # starting at the city
        ("上海市浦东新区张江路", "310115"),
        ("广东省东莞市长安镇", "441900"),
        ("江苏省某某路1号", "320000"),  # only the province is named
    ],
)
def test_region_from_an_address(address: str, region: str) -> None:
    found = region_of_address(address)
    assert found is not None and found.region_code == region


@pytest.mark.parametrize("address", ["", "123 Main St, Springfield, VA", "Unit 5, 10 Downing Street, London"])
def test_no_region_from_an_address_naming_none(address: str) -> None:
    assert region_of_address(address) is None


def test_the_credit_code_comes_before_the_address() -> None:
    found = region_of("91110108MA01ABCD1X", ["深圳市南山区科技园"])
    assert found is not None and found.region_code == "110108"
    fallback = region_of("not-a-code", ["深圳市南山区科技园"])
    assert fallback is not None and fallback.region_code == "440305"


REGION_GRAPH = """
CREATE (:Subject:Company {uid: 'c:bj', name: '北京甲公司', credit_code: '91110108MA01ABCD1X'})
CREATE (:Subject:Company {uid: 'c:sz', name: '深圳乙公司', credit_code: '91440305MA5D9XYZ2K'})
CREATE (p:Subject:Person {uid: 'p:1', name: '李四'})
       -[:LOCATED_AT]->(:Address {uid: 'addr:1', value: '广东省深圳市南山区粤海街道'})
CREATE (:Subject:Company {uid: 'c:us', name: 'Acme Inc', credit_code: 'US-123'})
"""


def _regions(store: Store) -> dict[str, str | None]:
    rows = store.read("MATCH (s:Subject) RETURN s.uid AS uid, s.region_code AS region")
    return {r["uid"]: r["region"] for r in rows}


def test_assign_stores_regions_and_a_second_run_changes_nothing(store: Store) -> None:
    store.write(REGION_GRAPH)
    first = assign(store)
    assert (first.subjects, first.assigned, first.unknown) == (4, 3, 1)
    assert _regions(store) == {"c:bj": "110108", "c:sz": "440305", "p:1": "440305", "c:us": None}
    city = store.read("MATCH (s:Subject {uid: 'p:1'}) RETURN s.province AS p, s.city AS c, s.county AS k")[0]
    assert (city["p"], city["c"], city["k"]) == ("广东省", "深圳市", "南山区")
    assert assign(store).assigned == 0
    store.write("MATCH (s:Subject {uid: 'c:bj'}) SET s.credit_code = '91440305MA5D9XYZ3K'")  # re-registered
    assert assign(store).assigned == 1
    assert _regions(store)["c:bj"] == "440305"


KEYS = {"sz-key": "analyst", "all-key": "analyst", "adm-key": "admin"}


@pytest.fixture
def scoped(store: Store) -> Iterator[TestClient]:
    store.write(REGION_GRAPH)
    assign(store)
    store.run_autocommit("CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()")
    settings = get_settings().model_copy(update={"api_keys": KEYS, "api_key_regions": {"sz-key": "4403"}})
    with TestClient(create_app(settings, store=store)) as client:
        yield client


SZ = {"X-API-Key": "sz-key"}
ALL = {"X-API-Key": "all-key"}


def test_a_scoped_key_finds_only_its_regions_subjects(scoped: TestClient) -> None:
    for query in ("公司", "c:bj", "91110108MA01ABCD1X"):
        hits = {h["uid"] for h in scoped.get("/search", params={"q": query}, headers=SZ).json()["items"]}
        assert "c:bj" not in hits, query
    assert {h["uid"] for h in scoped.get("/search", params={"q": "公司"}, headers=SZ).json()["items"]} == {"c:sz"}
    assert {h["uid"] for h in scoped.get("/search", params={"q": "公司"}, headers=ALL).json()["items"]} == {
        "c:sz",
        "c:bj",
    }
    narrowed = scoped.get("/search", params={"q": "公司", "region": "11"}, headers=ALL).json()["items"]
    assert {h["uid"] for h in narrowed} == {"c:bj"}
    assert scoped.get("/search", params={"q": "公司", "region": "11"}, headers=SZ).status_code == 403


# every route about one subject, JSON and pages: one router dependency decides, so a new route is covered
ABOUT_ONE = (
    "/subjects/{}",
    "/history/{}",
    "/check/{}",
    "/network/{}",
    "/chains/{}",
    "/related/{}",
    "/controllers/{}",
    "/equity/{}",
    "/suspected/{}",
    "/report/{}",
    "/ui/subject/{}",
    "/ui/chains/{}",
    "/ui/report/{}",
    "/ui/expand/{}",
)


def test_a_scoped_key_is_told_nothing_of_other_regions(scoped: TestClient) -> None:
    for template in ABOUT_ONE:
        path = template.format("c:bj")
        assert scoped.get(path, headers=SZ).status_code == 404, path
        assert scoped.get(path, headers=ALL).status_code != 404, path
    assert scoped.get("/subjects/c:sz", headers=SZ).status_code == 200
    for path in ("/paths", "/ui/paths"):
        assert scoped.get(path, params={"from": "c:sz", "to": "c:bj"}, headers=SZ).status_code == 404, path
    by_name = scoped.get("/ui/paths", params={"from": "c:sz", "to": "公司"}, headers=SZ)
    assert "c:bj" not in by_name.text
    batch = scoped.post("/check", json={"uids": ["c:bj", "c:sz"]}, headers=SZ).json()["items"]
    assert {r["uid"]: r["found"] for r in batch} == {"c:bj": False, "c:sz": True}


def test_a_scoped_key_runs_no_query_that_reads_the_whole_graph(scoped: TestClient) -> None:
    """Free Cypher and the catalogue read across regions: refused to a scoped key, whatever it asks."""
    asks: tuple[tuple[str, dict[str, str]], ...] = (
        ("/cypher", {"query": "MATCH (n:Subject) RETURN n.uid"}),
        ("/cypher", {"query": "RETURN 1"}),
        ("/queries/related_parties", {"uid": "c:sz"}),
        ("/queries/risk_scan", {}),
    )
    for path, body in asks:
        refused = scoped.post(path, json=body, headers=SZ)
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden", path
    assert scoped.post("/cypher", json={"query": "RETURN 1"}, headers=ALL).status_code == 200


def test_a_scoped_key_gets_statistics_of_its_region_only(scoped: TestClient) -> None:
    mine = scoped.get("/stats", headers=SZ).json()
    assert mine["region"] == "4403"
    assert {c["region_code"] for c in mine["cells"]} == {"440305"}
    assert scoped.get("/stats", params={"region": "440305"}, headers=SZ).json()["region"] == "440305"
    assert scoped.get("/stats", params={"region": "11"}, headers=SZ).status_code == 403
    everything = scoped.get("/stats", headers=ALL).json()
    assert {c["region_code"] for c in everything["cells"]} == {"110108", "440305", None}


def test_key_regions_setting_is_parsed_and_checked() -> None:
    settings = get_settings().model_validate({"IPCREDIT_API_KEY_REGIONS": "a-key:4403, b-key:11"})
    assert settings.api_key_regions == {"a-key": "4403", "b-key": "11"}
    for bad in ("a-key", "a-key:44x3", "a-key:4", "a-key:1234567", ":4403"):
        with pytest.raises(ValueError, match="IPCREDIT_API_KEY_REGIONS"):
            get_settings().model_validate({"IPCREDIT_API_KEY_REGIONS": bad})
