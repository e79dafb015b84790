"""The page language of one request (query, cookie, `Accept-Language`) and the switch's cookie."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import MutableHeaders, QueryParams
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.i18n import COOKIE, HTML_LANG, LOCALES, SHORT, Lang, negotiate, parse_locale

COOKIE_MAX_AGE = 365 * 24 * 3600


@dataclass(frozen=True)
class SwitchLink:
    label: str  # the language's own name, so a reader finds theirs whatever the page's language
    href: str
    current: bool
    html_lang: str


NATIVE = {"zh_Hans": "中文", "en": "English"}


@dataclass(frozen=True)
class PageLang:
    lang: Lang
    switch: tuple[SwitchLink, ...]


def page_lang(request: Request) -> PageLang:
    """The request's language and the switch's links (this page in each language)."""
    locale = negotiate(
        request.query_params.get("lang"), request.cookies.get(COOKIE), request.headers.get("accept-language")
    )
    links = tuple(
        SwitchLink(NATIVE[other], _with_lang(request, SHORT[other]), other == locale, HTML_LANG[other])
        for other in LOCALES
    )
    return PageLang(Lang(locale), links)


def _with_lang(request: Request, short: str) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"] + [("lang", short)]
    return f"{request.url.path}?{QueryParams(params)}"


PageLangDep = Annotated[PageLang, Depends(page_lang)]


class LanguageCookie:
    """Remembers a language asked for with `?lang=` in a cookie, so the next pages keep it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        locale = parse_locale(QueryParams(scope.get("query_string", b"").decode("latin-1")).get("lang"))
        if locale is None:
            await self.app(scope, receive, send)
            return

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.append(
                    "set-cookie", f"{COOKIE}={SHORT[locale]}; Max-Age={COOKIE_MAX_AGE}; Path=/; SameSite=Lax"
                )
            await send(message)

        await self.app(scope, receive, send_with_cookie)
