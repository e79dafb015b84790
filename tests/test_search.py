"""Search finds what people type: Traditional and Simplified Chinese folded, one-character names and
surnames, company-form words not deciding the ranking, the alias that matched, and `relevance`."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from graph.store import Store
from tests.api_fixtures import HEADERS, client, graph

__all__ = ["client", "graph"]

MORE = """
CREATE (:Subject:Company {uid: 'uscc:TSMC', name: '臺灣積體電路製造股份有限公司', source: 'test', source_ref: 's1'})
CREATE (:Subject:Company {uid: 'uscc:XIN', name: '鑫', source: 'test', source_ref: 's2'})
CREATE (:Subject:Company {uid: 'uscc:STAR', name: '星光科技有限公司', source: 'test', source_ref: 's3'})
CREATE (:Subject:Company {uid: 'uscc:YUAN', name: '远大有限公司', source: 'test', source_ref: 's4'})
CREATE (:Subject:Company {uid: 'uscc:GREAT', name: '长城股份有限公司', source: 'test', source_ref: 's5'})
CREATE (:Subject:Company {uid: 'uscc:ALPHA', name: 'Alpha Ltd', source: 'test', source_ref: 's6'})
CREATE (:Subject:Company {uid: 'uscc:BETA', name: 'Beta Trading Ltd', source: 'test', source_ref: 's7'})
"""


@pytest.fixture
def searched(graph: Store, client: TestClient) -> TestClient:
    graph.write(MORE)
    graph.run_autocommit("CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()")
    return client


def _uids(client: TestClient, q: str, role: str | None = None) -> list[str]:
    headers = HEADERS[role] if role else {}
    response = client.get("/search", params={"q": q}, headers=headers)
    assert response.status_code == 200, response.text
    return [h["uid"] for h in response.json()["items"]]


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("華為測試", "uscc:RING"),
        ("华为测试", "uscc:RING"),
        ("台湾积体电路", "uscc:TSMC"),
        ("臺灣積體電路", "uscc:TSMC"),
    ],
)
def test_simplified_and_traditional_find_each_other(searched: TestClient, typed: str, found: str) -> None:
    assert found in _uids(searched, typed)


def test_single_characters_find_names(searched: TestClient) -> None:
    assert _uids(searched, "鑫") == ["uscc:XIN"]  # a one-character name
    assert "person:P1" in _uids(searched, "张", "investigator")  # a surname: 张三丰
    assert "person:P1" in _uids(searched, "張", "investigator")  # typed in Traditional script


def test_company_form_words_do_not_decide_the_ranking(searched: TestClient) -> None:
    assert _uids(searched, "星光有限公司") == ["uscc:STAR"]  # not every 有限公司
    assert _uids(searched, "長城有限公司") == ["uscc:GREAT"]  # 股份有限公司 vs 有限公司, Traditional typed
    assert _uids(searched, "Widgets Ltd") == ["uscc:HELD"]  # not every Ltd


def test_hits_say_which_alias_matched_and_their_relevance(searched: TestClient) -> None:
    hits = searched.get("/search", params={"q": "ring tech"}).json()["items"]
    assert hits[0]["uid"] == "uscc:RING"
    assert (hits[0]["matched"], hits[0]["matched_on"]) == ("Ring Tech Co", "alias")
    assert "score" not in hits[0] and hits[0]["relevance"] > 0
    by_name = searched.get("/search", params={"q": "华为"}).json()["items"][0]
    assert (by_name["matched"], by_name["matched_on"]) == ("华为测试科技有限公司", "name")
    by_code = searched.get("/search", params={"q": "91110108MA01ABCD1X"}).json()["items"][0]
    assert by_code["matched_on"] == "credit_code" and by_code["relevance"] > hits[0]["relevance"]


def test_search_page_shows_the_alias_that_matched(searched: TestClient) -> None:
    page = searched.get("/ui/search", params={"q": "ring tech", "lang": "en"})
    assert page.status_code == 200 and "alias: Ring Tech Co" in page.text
