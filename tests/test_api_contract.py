"""The typed HTTP contract: response models, the schema's errors and security, bounds, rounding, offline docs."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from openapi_spec_validator import validate
from pydantic import BaseModel

from api.app import create_app
from api.contract import possible_errors
from credit.classify import classify_all
from credit.evaluate import evaluate
from graph.store import Store
from queries.shapes import SHOWN_DECIMALS, Figure, Page, showing
from tests.api_fixtures import HEADERS, api_settings, client, graph

__all__ = ["client", "graph"]

ERROR_REF = "#/components/schemas/ErrorBody"


@pytest.fixture(scope="module")
def app() -> FastAPI:
    return create_app(api_settings())


def _routes(app: FastAPI) -> list[APIRoute]:
    """Every API route of the app, through the included routers."""
    return [c.original_route for c in iter_route_contexts(app.routes) if isinstance(c.original_route, APIRoute)]


def _is_html(route: APIRoute) -> bool:
    response_class = getattr(route.response_class, "value", route.response_class)
    return isinstance(response_class, type) and issubclass(response_class, HTMLResponse)


def _is_json(route: APIRoute) -> bool:
    response_class = getattr(route.response_class, "value", route.response_class)
    return isinstance(response_class, type) and issubclass(response_class, JSONResponse)


def _operations(app: FastAPI) -> list[tuple[str, str, dict[str, Any]]]:
    return [(m, path, op) for path, ops in app.openapi()["paths"].items() for m, op in ops.items()]


def test_every_json_route_has_a_response_model_and_pages_are_out_of_the_schema(app: FastAPI) -> None:
    routes = _routes(app)
    in_schema = [r for r in routes if r.include_in_schema]
    typed = [r for r in in_schema if isinstance(r.response_model, type) and issubclass(r.response_model, BaseModel)]
    files = [r for r in in_schema if not _is_json(r)]  # CSV / JSON lines downloads: a declared content type
    untyped = [r.path for r in in_schema if r not in typed and r not in files]
    assert untyped == []
    assert [r.path for r in in_schema if _is_html(r) or r.path == "/" or r.path.startswith("/ui/")] == []
    pages = [r.path for r in routes if _is_html(r)]
    assert {"/", "/ui/subject/{uid:path}", "/ui/lists/{name}"} <= set(pages)  # the walk does reach the pages
    assert len(in_schema) >= 30


def test_the_openapi_document_is_valid(app: FastAPI) -> None:
    validate(app.openapi())  # raises on an invalid document


def test_x_api_key_is_a_declared_security_scheme(app: FastAPI) -> None:
    schema = app.openapi()
    schemes = schema["components"]["securitySchemes"]
    assert [(s["type"], s["in"], s["name"]) for s in schemes.values()] == [("apiKey", "header", "X-API-Key")]
    for method, path, op in _operations(app):
        errors = op["responses"]
        assert ("401" in errors) == ("security" in op), (method, path)
        assert all(h["name"].lower() != "x-api-key" for h in op.get("parameters", [])), (method, path)
    assert "security" not in schema["paths"]["/health"]["get"]
    assert schema["paths"]["/audit"]["get"]["security"] == [{"ApiKey": []}]


def test_errors_are_documented_with_the_error_model_where_they_can_occur(app: FastAPI) -> None:
    by_operation = {(m, r.path_format): r for r in _routes(app) if r.include_in_schema for m in r.methods or ()}
    for method, path, op in _operations(app):
        documented = {int(s) for s in op["responses"] if s[0] in "45"}
        assert possible_errors(by_operation[(method.upper(), path)]) <= documented, (method, path)
        for status in documented:
            if (path, status) == ("/ready", 503):  # readiness answers its own documented shape
                continue
            content = op["responses"][str(status)]["content"]["application/json"]["schema"]
            assert content == {"$ref": ERROR_REF}, (method, path, status)
    paths = app.openapi()["paths"]
    assert {s for s in paths["/health"]["get"]["responses"] if s[0] in "45"} == set()
    assert {"401", "403", "422", "503"} <= set(paths["/audit"]["get"]["responses"])
    assert {"401", "403", "404", "409", "413", "422", "503"} <= set(paths["/repairs"]["post"]["responses"])
    assert "413" not in paths["/check/{uid}"]["get"]["responses"]  # no body, no 413
    assert "403" not in paths["/check/{uid}"]["get"]["responses"]  # any role may check


def _bounded_query_params(app: FastAPI) -> list[tuple[str, str, int | None, int]]:
    """(path, name, minimum, maximum) of every integer query parameter of a GET with an upper bound."""
    found = []
    for method, path, op in _operations(app):
        for param in op.get("parameters", []):
            schema = param["schema"]
            schema = next((s for s in schema.get("anyOf", [schema]) if s.get("type") == "integer"), schema)
            if method == "get" and param["in"] == "query" and schema.get("type") == "integer" and "maximum" in schema:
                found.append((path, param["name"], schema.get("minimum"), schema["maximum"]))
    return found


REQUIRED: dict[str, dict[str, str]] = {"/search": {"q": "ring"}, "/paths": {"from": "uscc:HELD", "to": "uscc:TWIN"}}


def test_every_bound_the_schema_advertises_is_the_one_the_route_accepts(client: TestClient) -> None:
    app: FastAPI = client.app  # type: ignore[assignment]
    bounded = _bounded_query_params(app)
    names = {name for _, name, _, _ in bounded}
    assert {"depth", "k", "max_hops", "limit"} <= names
    assert ("/controllers/{uid}", "depth") in {(p, n) for p, n, _, _ in bounded}
    for path, name, minimum, maximum in bounded:
        url = path.replace("{uid}", "uscc:HELD").replace("{name}", "serious").replace("{kind}", "penalties")
        base = REQUIRED.get(path, {})
        at_max = client.get(url, params={**base, name: maximum}, headers=HEADERS["admin"])
        assert at_max.status_code != 422, (path, name, maximum, at_max.text[:300])
        over = client.get(url, params={**base, name: maximum + 1}, headers=HEADERS["admin"])
        assert over.status_code == 422, (path, name, maximum + 1)
        if minimum is not None:
            under = client.get(url, params={**base, name: minimum - 1}, headers=HEADERS["admin"])
            assert under.status_code == 422, (path, name, minimum - 1)


def test_list_results_share_one_envelope(client: TestClient) -> None:
    for path in ("/chains/uscc:HELD", "/related/uscc:HELD", "/controllers/uscc:HELD", "/equity/uscc:HELD", "/queries"):
        body = client.get(path, headers=HEADERS["investigator"]).json()
        assert set(body) == {"items", "total"} and body["total"] == len(body["items"]) > 0, path
    search = client.get("/search", params={"q": "widgets"}).json()
    assert search["total"] == len(search["items"]) and search["query"] == "widgets"
    batch = client.post("/check", json={"uids": ["uscc:RING", "uscc:NOPE"]}).json()
    assert batch["total"] == 2 and [i["found"] for i in batch["items"]] == [True, False]


class _Shown(BaseModel):
    score: Figure
    weight: Figure | None = None
    ratio: float


def test_a_figure_is_rounded_only_where_shown() -> None:
    value = _Shown(score=12.345678, weight=0.1234567, ratio=0.3333333)
    assert value.model_dump(mode="json") == {"score": 12.345678, "weight": 0.1234567, "ratio": 0.3333333}
    with showing():
        assert value.model_dump(mode="json") == {"score": 12.346, "weight": 0.123, "ratio": 0.3333333}
        assert value.model_dump() == {"score": 12.345678, "weight": 0.1234567, "ratio": 0.3333333}  # python: exact
        page = Page[_Shown].of([value]).model_dump_json()
        assert page == '{"items":[{"score":12.346,"weight":0.123,"ratio":0.3333333}],"total":1}'
    assert value.model_dump_json() == '{"score":12.345678,"weight":0.1234567,"ratio":0.3333333}'


def _decimals(value: float) -> int:
    text = repr(value)
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


def test_scores_and_weights_are_shown_rounded_and_kept_exact(client: TestClient, graph: Store) -> None:
    held = "MATCH (:Subject {uid: 'uscc:RING'})-[t:SHAREHOLDER_OF]->(:Subject {uid: 'uscc:HELD'})"
    graph.write(held + " SET t.ratio = 0.1234567")  # a minority stake: its weight has many decimals
    classify_all(graph)
    exact = evaluate(graph, "uscc:HELD")
    chain = exact.chains[0]
    computed = [chain.chain.strength, chain.contribution, exact.score, *(s.weight for s in chain.chain.steps)]
    assert max(_decimals(v) for v in computed) > SHOWN_DECIMALS  # the case shows something to round
    shown = client.get("/check/uscc:HELD", headers=HEADERS["investigator"]).json()
    assert shown["source"] == "maintained"
    first = shown["chains"][0]
    assert first["chain"]["strength"] == round(chain.chain.strength, SHOWN_DECIMALS)
    assert first["contribution"] == round(chain.contribution, SHOWN_DECIMALS)
    assert shown["score"] == round(exact.score, SHOWN_DECIMALS)
    weights = [round(s.weight, SHOWN_DECIMALS) for s in chain.chain.steps]
    assert [s["weight"] for s in first["chain"]["steps"]] == weights
    chains = client.get("/chains/uscc:HELD", headers=HEADERS["investigator"]).json()["items"]
    assert all(_decimals(c["strength"]) <= SHOWN_DECIMALS for c in chains)
    stored = graph.read("MATCH (s:Subject {uid: 'uscc:HELD'}) RETURN s.score AS score")[0]["score"]
    assert stored == exact.score  # what is stored keeps every decimal


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [v for k, v in attrs if k in ("src", "href") and v]


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_docs_use_only_assets_the_app_serves(app: FastAPI, page: str) -> None:
    local = TestClient(app)  # no lifespan: the docs need no database
    response = local.get(page)
    assert response.status_code == 200 and "text/html" in response.headers["content-type"]
    parser = _Assets()
    parser.feed(response.text)
    assert parser.urls, "the page references its script"
    for url in parser.urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc and url.startswith("/"), url  # same origin
        asset = local.get(url)
        assert asset.status_code == 200 and len(asset.content) > 1000, url
    assert "fonts.googleapis" not in response.text and "cdn." not in response.text
    scripts = [u for u in parser.urls if u.endswith(".js")]
    assert scripts and all("javascript" in local.get(u).headers["content-type"] for u in scripts)
