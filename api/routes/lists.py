"""The public lists (serious, key-supervision, trustworthy) as JSON, CSV and an HTML page, current or as
of a date. Public callers get them masked like every answer (natural persons' names abbreviated)."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from api import viz
from api.auth import CallerDep
from api.contract import ContractRoute
from api.domain import shown
from api.i18n.web import PageLangDep
from api.routes.deps import StoreDep
from api.scope import region_for
from credit.evaluate import today
from credit.lists import ListName, PublicList, public_list
from credit.policy import default_policy

router = APIRouter(tags=["lists"], route_class=ContractRoute)

ListAsOf = Annotated[date | None, Query(description="The list as it was on this date (ISO); today when omitted")]
Region = Annotated[
    str | None, Query(pattern=r"^[0-9]{2,6}$", description="Division code (GB/T 2260) carried by the credit code")
]
Format = Annotated[Literal["json", "csv"], Query(description="json, or csv (UTF-8)")]
COLUMNS = ("list", "as_of", "subject_uid", "name", "credit_code", "entered_on", "exited_on", "until", "basis")


def _csv(data: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for entry in [*data["entries"], *data["exits"]]:
        basis = ";".join(f"{b['kind']}:{b['code']}:{b['uid']}" for b in entry["basis"])
        row = {**entry, "list": data["name"], "as_of": data["as_of"], "basis": basis}
        writer.writerow(["" if row.get(c) is None else row[c] for c in COLUMNS])
    return out.getvalue()


@router.get("/lists/{name}", response_model=PublicList, responses={200: {"content": {"text/csv": {}}}})
def get_list(
    name: ListName,
    store: StoreDep,
    caller: CallerDep,
    as_of: ListAsOf = None,
    region: Region = None,
    format: Format = "json",
) -> Any:
    """Who is on the list on `as_of` (entry date, basis, scheduled exit) and who left it (exit date)."""
    data = shown(store, caller, public_list(store, name, as_of or today(), region=region_for(caller, region)))
    if format == "csv":
        return Response(_csv(data), media_type="text/csv; charset=utf-8")
    return data


@router.get("/ui/lists/{name}", response_class=HTMLResponse, include_in_schema=False)
def list_page(
    name: ListName,
    store: StoreDep,
    caller: CallerDep,
    page: PageLangDep,
    as_of: ListAsOf = None,
    region: Region = None,
) -> HTMLResponse:
    """The list as a page in the reader's language: entries and exits, each with its dates and basis
    (behaviour names first, codes as secondary text)."""
    data = shown(store, caller, public_list(store, name, as_of or today(), region=region_for(caller, region)))
    _ = page.lang.gettext
    titles = {
        "serious": _("Seriously dishonest subjects"),
        "key-supervision": _("Key supervision"),
        "trustworthy": _("Trustworthy subjects"),
        "agency-cycle": _("Agency evaluation cycle"),
    }
    names = {code: page.lang.name(b.name_zh, b.name_en) for code, b in default_policy().catalogue.behaviours.items()}
    return HTMLResponse(
        viz.render_page(
            "list.html",
            title=titles[name.value],
            link_base="",
            data=data,
            names=names,
            lang=page.lang,
            switch=page.switch,
        )
    )
