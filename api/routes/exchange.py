"""`GET /exchange/{kind}?since=&format=`: the exchange files for systems (the national platform's
sub-platform), read from the graph as they are asked for. Staff keys (investigator and above) get
every kind in full; the public gets the penalties published today, natural persons' names abbreviated
and free text left out, and nothing else (403). The header `X-Exchange-Last-Seq` is the sequence number
to pass as `since` next time. The bodies are JSON lines or CSV, not JSON: the masking middleware does
not see them, so the public view is made here, by the exporter."""

from __future__ import annotations

import io
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.auth import CallerDep, Role
from api.contract import ContractRoute
from api.errors import ApiError
from api.masking import mask_name
from api.routes.deps import StoreDep
from credit.exchange import write
from credit.exchange_export import export
from graph.exchange import ExchangeKind

router = APIRouter(tags=["exchange"], route_class=ContractRoute)

Since = Annotated[
    int | None, Query(ge=0, le=2**63 - 1, description="Only what changed after this sequence number (omit: all)")
]
Format = Annotated[Literal["jsonl", "csv"], Query(description="jsonl (one JSON object a line) or csv, UTF-8")]
MEDIA = {"jsonl": "application/x-ndjson; charset=utf-8", "csv": "text/csv; charset=utf-8"}


@router.get(
    "/exchange/{kind}",
    response_class=Response,
    responses={
        200: {"content": {"application/x-ndjson": {}, "text/csv": {}}, "description": "the rows (docs/exchange.md)"},
        403: {"description": "the public may take penalties only"},
    },
)
def get_exchange(
    kind: ExchangeKind, store: StoreDep, caller: CallerDep, since: Since = None, format: Format = "jsonl"
) -> Response:
    """Rows of `kind` in the exchange format (all, or what changed after `since`)."""
    public = caller.role == Role.PUBLIC
    if public and kind is not ExchangeKind.PENALTIES:
        raise ApiError(
            403,
            f"the public exchange holds penalties only; {kind.value} needs the investigator role",
            code="forbidden",
            detail={"needed": Role.INVESTIGATOR.label, "role": caller.role.label},
        )
    found = export(store, kind, since, mask=mask_name if public else None)
    out = io.StringIO()
    write(found.rows, found.columns, format, out)
    return Response(out.getvalue(), media_type=MEDIA[format], headers={"X-Exchange-Last-Seq": str(found.head)})
