"""The interface language: Simplified Chinese by default, English on request (`?lang=en`, the switch's
cookie, `Accept-Language`); every visible template string goes through the catalogue and has a Chinese
translation; the report says in sentences why the level is what it is, with names and provenance; the
CLI speaks the language of `IPCREDIT_LANG` / `LANG`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient
from jinja2 import Environment
from typer.testing import CliRunner

from api import viz
from api.cli import app as cli_app
from api.i18n import COOKIE, LOCALE_DIR, Lang, cli_locale, from_accept_language, negotiate, parse_locale
from credit.policy import default_policy
from graph.settings import get_settings
from graph.store import Store
from tests.api_fixtures import HEADERS, client, graph

__all__ = ["client", "graph"]
ROOT = Path(__file__).resolve().parent.parent
ZH = Lang("zh_Hans")
EN = Lang("en")
CJK = re.compile(r"[\u4e00-\u9fff]")

PAGES = [
    "/",
    "/ui/search?q=华为",
    "/ui/subject/uscc:HELD",
    "/ui/chains/uscc:HELD",
    "/ui/paths?from=uscc:HELD&to=uscc:TWIN",
    "/ui/report/uscc:RING",
    "/ui/report/uscc:HELD",
    "/ui/lists/serious",
]


def _catalogue(locale: str) -> Any:
    with (LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=locale)


def _extracted() -> set[str | tuple[str, ...]]:
    """Every msgid the code and templates use, extracted as `pybabel extract -F babel.cfg` does."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)  # type: ignore[no-untyped-call]
    found: set[str | tuple[str, ...]] = set()
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2)}
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        found.add(message)
    return found


def test_every_msgid_has_a_chinese_translation_with_the_same_placeholders() -> None:
    used = _extracted()
    assert len(used) > 50  # the extraction saw the templates and the Python
    zh = _catalogue("zh_Hans")
    en = _catalogue("en")
    for msgid in used:
        key = msgid[0] if isinstance(msgid, tuple) else msgid
        message = zh.get(key)
        assert message is not None, f"not in the Chinese catalogue: {msgid!r}"
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"no Chinese translation: {msgid!r}"
        assert en.get(key) is not None, f"not in the English catalogue: {msgid!r}"
    assert not [error for _message, errors in zh.check() for error in errors]  # placeholders agree (babel)


def test_no_catalogue_entry_is_left_unused() -> None:
    used = {m[0] if isinstance(m, tuple) else m for m in _extracted()}
    stale = [m.id for m in _catalogue("zh_Hans") if m.id and (m.id[0] if isinstance(m.id, tuple) else m.id) not in used]
    assert stale == []


class _Visible(HTMLParser):
    """The text a reader sees in a template once its Jinja code is taken out: text nodes outside
    script/style and the attributes a browser shows."""

    SHOWN_ATTRS = frozenset({"placeholder", "title", "alt", "aria-label", "value"})

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        self.texts += [v for k, v in attrs if k in self.SHOWN_ATTRS and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.texts.append(data.strip())


# words that are names, not language: the product, identifiers and formats
NOT_LANGUAGE = frozenset({"ipcredit", "uid", "JSON", "CSV", "docs"})  # docs: the /docs link


@pytest.mark.parametrize("template", sorted(p.name for p in viz.TEMPLATES_DIR.glob("*.html")))
def test_templates_hold_no_visible_text_outside_the_catalogue(template: str) -> None:
    source = (viz.TEMPLATES_DIR / template).read_text(encoding="utf-8")
    env = Environment(extensions=["jinja2.ext.i18n"])
    raw = "".join(value for _line, kind, value in env.lex(source) if kind == "data")
    parser = _Visible()
    parser.feed(raw)
    words = [w for text in parser.texts for w in re.findall(r"[A-Za-z\u4e00-\u9fff]+", text)]
    assert [w for w in words if w not in NOT_LANGUAGE] == []


@pytest.mark.parametrize(
    ("value", "locale"),
    [
        ("zh", "zh_Hans"),
        ("zh-CN", "zh_Hans"),
        ("zh_Hans", "zh_Hans"),
        ("zh-TW", "zh_Hans"),
        ("en", "en"),
        ("en-GB", "en"),
        ("en_US.UTF-8", "en"),
        ("fr", None),
        ("C", None),
        ("", None),
        ("<script>", None),
        ("zz-ZZ-x", None),
    ],
)
def test_parse_locale(value: str, locale: str | None) -> None:
    assert parse_locale(value) == locale


@pytest.mark.parametrize(
    ("header", "locale"),
    [
        ("en-US,en;q=0.9", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh_Hans"),
        ("fr-FR, en;q=0.5, zh;q=0.4", "en"),
        ("fr-FR, zh-TW;q=0.5, en;q=0.4", "zh_Hans"),
        ("en;q=0.2, zh;q=0.9", "zh_Hans"),
        ("en;q=0, fr", None),
        ("*", None),
        ("de;q=abc", None),
    ],
)
def test_accept_language_negotiation(header: str, locale: str | None) -> None:
    assert from_accept_language(header) == locale


def test_order_query_then_cookie_then_header_then_chinese() -> None:
    assert negotiate("en", "zh", "zh-CN") == "en"
    assert negotiate(None, "en", "zh-CN") == "en"
    assert negotiate("xx", None, "en-GB") == "en"
    assert negotiate(None, None, None) == "zh_Hans"
    assert negotiate(None, "bogus", "fr") == "zh_Hans"


@pytest.mark.parametrize("path", PAGES)
def test_each_page_is_chinese_by_default_and_english_on_request(client: TestClient, path: str) -> None:
    zh = client.get(path)
    assert zh.status_code == 200, zh.text
    assert '<html lang="zh-CN">' in zh.text
    assert ZH.gettext("IP credit investigation") in zh.text and "IP credit investigation" not in zh.text
    assert 'hreflang="en"' in zh.text and "lang=en" in zh.text  # the switch to English

    en = client.get(path + ("&" if "?" in path else "?") + "lang=en")
    assert en.status_code == 200
    assert '<html lang="en">' in en.text and "IP credit investigation" in en.text
    assert ZH.gettext("IP credit investigation") not in en.text
    assert f"{COOKIE}=en" in en.headers["set-cookie"]


def test_the_switch_keeps_the_page_and_its_parameters(client: TestClient) -> None:
    page = client.get("/ui/search", params={"q": "华为"})
    hrefs = re.findall(r'hreflang="en"[^>]*href="([^"]+)"', page.text)
    assert hrefs and "q=%E5%8D%8E%E4%B8%BA" in hrefs[0] and hrefs[0].startswith("/ui/search?")
    assert "lang=en" in hrefs[0]


def test_cookie_then_accept_language(graph: Store) -> None:
    from api.app import create_app
    from tests.api_fixtures import api_settings

    with TestClient(create_app(api_settings(), store=graph)) as fresh:
        assert '<html lang="en">' in fresh.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).text
        assert '<html lang="zh-CN">' in fresh.get("/", headers={"Accept-Language": "zh-CN,en;q=0.5"}).text
        fresh.get("/", params={"lang": "en"})  # the switch: the cookie remembers English
        assert '<html lang="en">' in fresh.get("/ui/subject/uscc:HELD").text
        fresh.get("/", params={"lang": "zh"})
        assert '<html lang="zh-CN">' in fresh.get("/", headers={"Accept-Language": "en"}).text


def _visible(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return "\n".join(parser.texts)


def _names(codes: set[str], lang: Lang) -> list[str]:
    catalogue = default_policy().catalogue
    return [lang.name(b.name_zh, b.name_en) for code in codes if (b := catalogue.get(code)) is not None]


def test_report_states_why_in_sentences_with_names_and_counts(client: TestClient) -> None:
    for uid in ("uscc:RING", "uscc:HELD"):
        data = client.get(f"/report/{uid}", headers=HEADERS["investigator"]).json()
        ev = data["evaluation"]
        assert ev["level"] in ("C", "D")
        own = [r for r in ev["records"] if r["counted"] and r["deduction"] > 0]
        linked = [c for c in ev["chains"] if c["counted"]]
        offenders = {c["chain"]["offender_uid"] for c in linked}
        for lang, param in ((ZH, "zh"), (EN, "en")):
            text = _visible(
                client.get(f"/ui/report/{uid}", params={"lang": param}, headers=HEADERS["investigator"]).text
            )
            headline = lang.gettext(
                "The subject's credit level is %(level)s, with a score of %(score)s (base %(base)s)."
            )
            assert (
                headline % {"level": ev["level"], "score": f"{ev['score']:g}", "base": f"{ev['base_score']:g}"} in text
            )
            for name in _names({r["behaviour_code"] for r in own}, lang):
                assert name in text
            if own:
                assert (str(len(own)) + (" 条" if lang is ZH else " dishonesty record")) in text
            if offenders:
                assert (str(len(offenders)) + (" 个失信主体" if lang is ZH else " dishonest subject")) in text
                for name in _names({c["chain"]["violation"]["behaviour_code"] for c in linked}, lang):
                    assert name in text
                assert all((c["chain"]["offender_name"] or c["chain"]["offender_uid"]) in text for c in linked)
        assert own or offenders  # each of the two subjects has a reason for its level


def test_report_shows_registry_facts_with_provenance_and_masks_them_for_the_public(client: TestClient) -> None:
    staff = _visible(client.get("/ui/report/uscc:RING", headers=HEADERS["investigator"]).text)
    legal_rep = ZH.gettext("legal representative")
    assert legal_rep in staff
    line = next(t for t in staff.splitlines() if "张三丰" in t)
    assert line  # the legal representative, named for staff
    assert "t3" in staff  # the person's record, with its source_ref
    assert "t9" in staff  # the record's provenance (source_ref of the violation)
    assert ZH.gettext("filing agency") in staff and "Fast IP Agency" in staff  # the agency filing its marks
    held = _visible(client.get("/ui/report/uscc:HELD", headers=HEADERS["investigator"]).text)
    assert "华为测试科技有限公司 (60%)" in held  # a shareholder and its share

    public = client.get("/ui/report/uscc:RING").text
    assert "张三丰" not in public and "张**" in public
    assert "110101199001011234" not in public


def test_behaviour_names_first_codes_second_on_pages(client: TestClient) -> None:
    name = default_policy().catalogue.behaviours["CN_MALICIOUS_TM"]
    zh = _visible(client.get("/ui/subject/uscc:RING").text)
    assert f"{name.name_zh} (CN_MALICIOUS_TM)" in zh
    en = _visible(client.get("/ui/subject/uscc:RING", params={"lang": "en"}).text)
    assert f"{name.name_en} (CN_MALICIOUS_TM)" in en


def test_measures_named_in_both_languages_from_the_toml() -> None:
    for measures in default_policy().measures.values():
        assert CJK.search(measures.inspection_zh) and not CJK.search(measures.inspection_en)
        for m in measures.measures:
            assert CJK.search(m.name_zh) and not CJK.search(m.name_en)


def test_cli_language_from_the_environment() -> None:
    assert cli_locale({}) == "zh_Hans"
    assert cli_locale({"LANG": "C.UTF-8"}) == "zh_Hans"
    assert cli_locale({"LANG": "en_US.UTF-8"}) == "en"
    assert cli_locale({"IPCREDIT_LANG": "zh", "LANG": "en_US.UTF-8"}) == "zh_Hans"
    assert cli_locale({"IPCREDIT_LANG": "en"}) == "en"


@pytest.fixture
def cli(neo4j_uri: str, graph: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("NEO4J_URI", neo4j_uri)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_cli_check_reads_in_chinese_by_default_and_english_on_request(cli: CliRunner) -> None:
    day = date.today().isoformat()
    zh = cli.invoke(cli_app, ["check", "uscc:RING", "--as-of", day], env={"IPCREDIT_LANG": "", "LANG": "C.UTF-8"})
    assert zh.exit_code == 0, zh.output
    name = default_policy().catalogue.behaviours["CN_MALICIOUS_TM"]
    assert "该主体信用等级为" in zh.stdout and name.name_zh in zh.stdout
    en = cli.invoke(cli_app, ["check", "uscc:RING", "--as-of", day], env={"IPCREDIT_LANG": "en"})
    assert "The subject's credit level is" in en.stdout and name.name_en in en.stdout
    raw = cli.invoke(cli_app, ["check", "uscc:RING", "--as-of", day, "--json"])
    assert json.loads(raw.stdout)["records"][0]["behaviour_code"] == "CN_MALICIOUS_TM"  # keys stay codes


def test_the_demo_tips_are_said_in_the_pages_language(graph: Store) -> None:
    from api.app import create_app
    from api.demo import Tip
    from tests.api_fixtures import api_settings

    tip = Tip("a ringleader: %(name)s (level %(level)s)", "/ui/subject/x", {"name": "<甲公司>", "level": "D"})
    app = create_app(api_settings(), store=graph)
    app.state.tips = [tip]
    with TestClient(app) as fresh:
        zh = fresh.get("/").text
        assert ZH.gettext(tip.text) % {"name": "&lt;甲公司&gt;", "level": "D"} in zh  # translated, and escaped
        assert "a ringleader: &lt;甲公司&gt; (level D)" in fresh.get("/?lang=en").text


def test_json_keeps_codes_and_adds_names(client: TestClient) -> None:
    behaviour = default_policy().catalogue.behaviours["CN_MALICIOUS_TM"]
    record = client.get("/subjects/uscc:RING").json()["violations"][0]
    assert record["behaviour_code"] == "CN_MALICIOUS_TM"
    assert (record["behaviour_name_zh"], record["behaviour_name_en"]) == (behaviour.name_zh, behaviour.name_en)
    check = client.get("/check/uscc:RING").json()
    assert check["records"][0]["name_zh"] == behaviour.name_zh
    assert all(m["name_zh"] and m["name_en"] for m in check["measures"]["measures"])
