"""HTML error pages for the visual pages: a person following a link gets a page, a program gets JSON.

The error handlers (`api.errors`) ask `wants_html` for every error: the pages (`/` and `/ui/...`) answer
HTML unless the client asks for JSON only; every other route keeps the one JSON error shape.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse

from api import viz
from api.i18n.web import page_lang

_PAGE_PREFIX = "/ui/"


def wants_html(request: Request) -> bool:
    """A page route, and a client that accepts HTML (a browser, or one that sent no preference)."""
    path = request.url.path
    if not (path == "/" or path.startswith(_PAGE_PREFIX)):
        return False
    accept = request.headers.get("accept", "")
    return not accept or "text/html" in accept or "*/*" in accept


def error_page(
    request: Request, status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> HTMLResponse:
    """The error as a page in the site's layout, in the reader's language: the status, what it means and
    where to go on."""
    page = page_lang(request)
    html = viz.render_page(
        "error.html",
        title=str(status),
        link_base="",
        status=status,
        code=code,
        message=message,
        lang=page.lang,
        switch=page.switch,
    )
    return HTMLResponse(html, status_code=status, headers=headers)
