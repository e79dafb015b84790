"""Matching by example (`POST /match`) on the real samples: the TIPO gazette (Traditional Chinese
company names, agents named on many records) and the OpenSanctions FollowTheMoney entities (persons
with birth dates and ID numbers), plus two companies with credit codes (the samples hold none)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from credit.matching import PartyQuery, fold, fulltext_terms, id_tokens, score, similarity
from graph.model import uscc_check_character
from graph.store import Store
from loaders.adapters.ftm import read_ftm
from loaders.adapters.tipo import read_tipo
from loaders.pipeline import load
from queries.matching import CandidateRow
from tests.api_fixtures import HEADERS, api_settings
from tests.conftest import SHARED_DATA

TIPO = SHARED_DATA / "tipo-trademarks"
FTM = SHARED_DATA / "opensanctions-ftm"
CODE = "91110108MA01ABCD1" + uscc_check_character("91110108MA01ABCD1")
OTHER_CODE = "91310000MA1FL0000" + uscc_check_character("91310000MA1FL0000")


@pytest.fixture(scope="module")
def samples(session_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Store:
    from queries.statements import cypher

    session_store.run_autocommit(cypher("admin/clear_graph"))
    rejects = tmp_path_factory.mktemp("match") / "rejects.jsonl"
    for items in (read_tipo(TIPO), read_ftm(FTM)):
        load(session_store, items, rejects_path=rejects, batch_size=2000)
    session_store.write(
        "CREATE (:Subject:Company {uid: 'uscc:' + $code, name: '北京星河知识产权代理有限公司', credit_code: $code,"
        " source: 'test', source_ref: 't1'}),"
        " (:Subject:Company {uid: 'uscc:' + $other, name: '北京星河知识产权代理股份有限公司', credit_code: $other,"
        " source: 'test', source_ref: 't2'})",
        {"code": CODE, "other": OTHER_CODE},
    )
    session_store.run_autocommit("CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()")
    return session_store


@pytest.fixture(scope="module")
def client(samples: Store) -> Iterator[TestClient]:
    with TestClient(create_app(api_settings(), store=samples)) as test_client:
        yield test_client


def _match(client: TestClient, *queries: dict[str, Any], role: str | None = "investigator", **extra: Any) -> Any:
    headers = HEADERS[role] if role else {}
    response = client.post("/match", json={"queries": list(queries), **extra}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def _top(result: dict[str, Any]) -> dict[str, Any]:
    assert result["candidates"], result
    top: dict[str, Any] = result["candidates"][0]
    return top


def _features(candidate: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["feature"]: f for f in candidate["features"]}


def test_simplified_query_with_a_typo_finds_the_traditional_company(client: TestClient) -> None:
    # the samples hold 富山製藥股份有限公司; the caller types Simplified, another company form, a typo
    exact, typo = _match(client, {"name": "富山制药有限公司"}, {"name": "富山製樂股份有限公司", "kind": "company"})
    top = _top(exact)
    assert top["name"] == "富山製藥股份有限公司" and top["match"] is True
    assert _features(top)["name"]["similarity"] == 1.0  # script and company form do not count
    top = _top(typo)
    assert top["name"] == "富山製藥股份有限公司"
    assert 0.7 <= _features(top)["name"]["similarity"] < 1.0
    assert fold("富山製葯") == fold("富山製藥") == "富山制药"  # a variant character is no typo


def test_company_form_words_do_not_dominate(client: TestClient) -> None:
    (result,) = _match(client, {"name": "富山股份有限公司"})
    for candidate in result["candidates"]:  # sharing only 股份有限公司 is no name evidence
        if "富山" not in (candidate["name"] or ""):
            assert _features(candidate)["name"]["contribution"] == 0.0, candidate
    assert fold("ACME Widgets Ltd.") == fold("acme widgets limited") == "acme widgets"
    assert similarity(fold("景岳生物科技股份有限公司"), fold("景岳生物科技有限公司")) == 1.0


def test_latin_typo_and_alias(client: TestClient) -> None:
    (result,) = _match(client, {"name": "Genmont Biotek Incorporated", "kind": "company"})
    top = _top(result)  # found through its English alias, with a typo and another company form
    assert top["uid"] == "tipo-company:景岳生物科技股份有限公司"
    assert _features(top)["name"]["matched"] == "GENMONT BIOTECH INC."
    assert top["match"] is True


def test_credit_code_decides_and_a_different_one_caps(client: TestClient) -> None:
    (by_code, wrong_code) = _match(
        client,
        {"name": "完全不同的名字", "credit_code": CODE.lower()},
        {"name": "北京星河知识产权代理有限公司", "credit_code": OTHER_CODE},
    )
    top = _top(by_code)
    assert top["credit_code"] == CODE and top["score"] == 1.0 and top["match"] is True
    assert "credit code" in " ".join(top["rules"])
    scores = {c["credit_code"]: c for c in wrong_code["candidates"]}
    assert scores[OTHER_CODE]["score"] == 1.0  # its own code, though the name says 股份 (a form word)
    assert scores[CODE]["match"] is False and scores[CODE]["score"] <= 0.3  # same name, other code


def test_persons_with_the_same_name_stay_below_the_threshold(client: TestClient) -> None:
    # 林景郁 is the agent on 132 gazette records, one person node per record: a name alone merges none
    (result,) = _match(client, {"name": "林景郁", "kind": "person"}, threshold=0.1, limit=25)
    assert len(result["candidates"]) == 25
    for candidate in result["candidates"]:
        assert candidate["name"] == "林景郁" and _features(candidate)["name"]["similarity"] == 1.0
        assert candidate["match"] is False
        assert "a person is never matched on a name alone" in candidate["rules"]


def test_person_with_birth_date_matches_despite_a_typo(client: TestClient) -> None:
    right, wrong = _match(
        client,
        {"name": "Aleksandr Vyacheslavovich Zakarov", "birth_date": "1965-09-21"},
        {"name": "Aleksandr Vyacheslavovich Zakharov", "birth_date": "1970-01-01"},
    )
    top = _top(right)
    assert top["name"] == "Aleksandr Vyacheslavovich Zakharov" and top["match"] is True
    assert _features(top)["birth_date"]["contribution"] > 0
    assert not any(c["match"] for c in wrong["candidates"])  # the name is exact, the birth date is not


def test_id_number_decides_for_a_person(client: TestClient) -> None:
    # stored as "TIN: 183111242572"; the caller sends the bare number and a name in another order
    (result,) = _match(client, {"name": "Zakharova Svetlana", "id_number": "183111242572"})
    top = _top(result)
    assert top["name"] == "Svetlana Nikolaevna Zakharova" and top["score"] == 1.0 and top["match"] is True
    assert id_tokens("Taxpayer No. 184101937739") == {"184101937739"}


@pytest.mark.parametrize(
    "query",
    [
        {"name": "Aleksandr Zakharov", "id_number": "183111242406"},
        {"name": "Aleksandr Zakharov", "birth_date": "1965-09-21"},
        {"name": "Aleksandr Zakharov", "phone": "+7 495 000 00 00"},
        {"credit_code": CODE, "phone": "010-8888 1234"},
        {"id_number": "183111242406"},
    ],
)
def test_public_callers_cannot_match_on_personal_fields(client: TestClient, query: dict[str, Any]) -> None:
    response = client.post("/match", json={"queries": [{"name": "富山製藥"}, query]})
    assert response.status_code == 403
    assert response.json()["error"]["detail"]["fields"]["1"]


def test_public_callers_get_no_person_decision_and_masked_names(client: TestClient) -> None:
    (person, company) = _match(
        client, {"name": "Aleksandr Vyacheslavovich Zakharov", "kind": "person"}, {"name": "富山製藥"}, role=None
    )
    for candidate in person["candidates"]:
        assert candidate["match"] is False
        assert "Zakharov" not in (candidate["name"] or "")
        assert all("Zakharov" not in (f["matched"] or "") for f in candidate["features"])
    assert _top(company)["name"] == "富山製藥股份有限公司"  # company names are public registry data
    assert client.post("/match", json={"queries": [{"name": "富山製藥", "id_number": "  "}]}).status_code == 200


def test_batch_bounds_and_validation(client: TestClient) -> None:
    too_many = [{"name": f"company {i}"} for i in range(6)]  # the test settings allow 5
    response = client.post("/match", json={"queries": too_many}, headers=HEADERS["investigator"])
    assert response.status_code == 422 and response.json()["error"]["code"] == "batch_too_large"
    bodies: list[dict[str, Any]] = [
        {"queries": []},
        {"queries": [{"address": "x"}]},
        {"queries": [{"name": "x", "uid": "y"}]},
    ]
    for body in bodies:
        assert client.post("/match", json=body).status_code == 422, body


@pytest.mark.parametrize("name", ['a" OR b', "x) AND (y", "name:*", "\\", "~1 ^2 [a TO b]", "NOT", "有限公司"])
def test_query_syntax_in_names_is_plain_text(client: TestClient, name: str) -> None:
    terms = fulltext_terms(name)
    assert terms is None or all(ch.isalnum() or ch in " ~1" for ch in terms)
    assert client.post("/match", json={"queries": [{"name": name}]}).status_code == 200


def test_the_weights_file_is_read(tmp_path: Path) -> None:
    from credit.matching import default_weights

    weights = default_weights()
    assert weights.person.name < weights.threshold <= weights.company.name


def _row(**fields: Any) -> CandidateRow:
    return CandidateRow.model_validate({"i": 0, "uid": "x:1", "via": ["name"], **fields})


PERSON = ["Subject", "Person"]
COMPANY = ["Subject", "Company"]


@pytest.mark.parametrize("threshold", [0.1, 0.3, 0.55, 0.7, 0.9])
def test_score_never_matches_a_person_on_the_name_alone(threshold: float) -> None:
    query = PartyQuery(name="王伟", country="CN")
    row = _row(name="王偉", labels=PERSON, country="cn", addresses=["北京市海淀区"], phones=["13800000000"])
    candidate = score(query, row, threshold, personal=True)
    assert candidate.match is False and candidate.features[0].similarity == 1.0
    with_birth = score(query.model_copy(update={"birth_date": date(1980, 1, 2)}), row, threshold, personal=True)
    assert with_birth.match is False  # the candidate has no birth date: nothing corroborates
    dated = row.model_copy(update={"birth_date": date(1980, 1, 2)})
    assert score(query.model_copy(update={"birth_date": date(1980, 1, 2)}), dated, threshold, personal=True).match
    assert not score(query.model_copy(update={"birth_date": date(1980, 1, 2)}), dated, threshold, personal=False).match


def test_score_keys_decide_and_mismatches_cap() -> None:
    row = _row(name="Alpha Widgets Ltd", labels=COMPANY, credit_code=CODE)
    assert score(PartyQuery(name="Omega", credit_code=CODE), row, 0.7, personal=False).score == 1.0
    capped = score(PartyQuery(name="Alpha Widgets Limited", credit_code=OTHER_CODE), row, 0.7, personal=False)
    assert capped.score <= 0.3 and capped.match is False
    plain = score(PartyQuery(name="Alpha Widgets Limited"), row, 0.7, personal=False)
    assert plain.match is True and plain.score == pytest.approx(0.8)
    person = _row(name="Li Lei", labels=PERSON, id_number="110101199001011234")
    assert score(PartyQuery(name="Han Meimei", id_number="110101199001011234"), person, 0.7, personal=True).match
    assert not score(PartyQuery(name="Li Lei", id_number="110101199001011234"), person, 0.7, personal=False).match
    foreign = score(
        PartyQuery(name="Alpha Widgets", country="US"), row.model_copy(update={"country": "DE"}), 0.7, personal=False
    )
    assert foreign.match is False and any(f.feature == "country" and f.contribution < 0 for f in foreign.features)
