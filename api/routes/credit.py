"""Linked-risk checks, chains, related parties, controllers, suspected relations, paths, profiles,
reports: thin wrappers over `credit` and `queries.catalogue`, shown masked to the public role."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from api import service
from api.auth import CallerDep
from api.contract import NOT_FOUND, ContractRoute
from api.domain import domain_errors, run_with_policy
from api.errors import ApiError
from api.routes.deps import FromUid, InScope, MaxHops, SettingsDep, StoreDep, ToUid, bounded
from api.schemas import BatchCheck, BatchCheckRequest, CheckItem
from api.scope import require_visible, visible
from credit.evaluate import today
from credit.freshness import CheckedView, check_many
from credit.params import chain_params
from credit.policy import default_policy
from credit.report import CreditReport, build_report
from graph.store import Store
from queries.catalogue.equity import Controller, ControllersParams, EquityParams, Holding
from queries.catalogue.parties import PartyPath, RelatedPartiesParams, RelatedParty, SuspectedRelations
from queries.catalogue.profiles import AgencyProfile
from queries.chains import Chain, chains_of
from queries.shapes import Page

router = APIRouter(tags=["credit"], route_class=ContractRoute, dependencies=[InScope])
AsOf = Annotated[date | None, Query(description="Evaluate as of this date (ISO); today when omitted")]


Live = Annotated[bool, Query(description="Recompute now and say whether it differs from the maintained state")]


@router.get("/check/{uid:path}", responses=NOT_FOUND)
async def check(uid: str, store: StoreDep, caller: CallerDep, as_of: AsOf = None, live: Live = False) -> CheckedView:
    """Linked-risk check of one subject: level, score, own records, dishonesty chains, measures, from the
    maintained state (`assessed_at`); `live=true` or another `as_of` recomputes (`differs`)."""
    # async, with the graph read in the thread pool: a plain `def` route's answer is validated in a second hop
    found = (await run_in_threadpool(check_many, store, [uid], as_of=as_of, live=live))[uid]
    if found is None:
        raise ApiError(404, f"no subject with uid {uid!r}")
    return found.view()


@router.post("/check", responses={422: {"description": "Invalid, or more uids than IPCREDIT_BATCH_LIMIT"}})
def check_batch(
    request: BatchCheckRequest, store: StoreDep, settings: SettingsDep, caller: CallerDep, live: Live = False
) -> BatchCheck:
    """Linked-risk checks of many subjects (at most `IPCREDIT_BATCH_LIMIT`); unknown ones are reported per item."""
    uids = list(dict.fromkeys(request.uids))
    if len(uids) > settings.batch_limit:
        raise ApiError(
            422,
            f"{len(uids)} subjects in one batch: the limit is {settings.batch_limit} (IPCREDIT_BATCH_LIMIT); "
            "split the list",
            code="batch_too_large",
            detail={"given": len(uids), "limit": settings.batch_limit},
        )
    as_of = _date(request.as_of) if request.as_of else None
    seen = visible(store, caller, uids)  # a region-scoped key: the others are answered as unknown
    checked = check_many(store, [u for u in uids if u in seen], as_of=as_of, live=live)
    items = [
        CheckItem(uid=uid, found=False, error=f"no subject with uid {uid!r}")
        if (found := checked.get(uid)) is None
        else CheckItem(uid=uid, found=True, evaluation=found.view())
        for uid in uids
    ]
    return BatchCheck(as_of=as_of or today(), items=items, total=len(items))


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ApiError(422, f"as_of is not an ISO date: {text!r}", code="invalid_request") from exc


@router.get("/chains/{uid:path}", responses=NOT_FOUND)
def chains(uid: str, store: StoreDep, caller: CallerDep, as_of: AsOf = None) -> Page[Chain]:
    """Every dishonesty chain from the subject to a record in force, strongest first, with its evidence."""
    with domain_errors():
        service.require_subject(store, uid)
        found = chains_of(store, uid, chain_params(default_policy(), as_of or today()))
    return Page[Chain].of(found)


@router.get("/related/{uid:path}", responses=NOT_FOUND)
def related(
    uid: str,
    store: StoreDep,
    caller: CallerDep,
    k: Annotated[int, bounded(RelatedPartiesParams, "k")] = 3,
    types: Annotated[str | None, Query(description="Tie types, comma-separated (default: all party ties)")] = None,
    limit: Annotated[int, bounded(RelatedPartiesParams, "limit")] = 500,
) -> Page[RelatedParty]:
    """Related parties within k hops over registry-backed ties, nearest first."""
    raw: dict[str, Any] = {"uid": uid, "k": k, "limit": limit, **({"types": types} if types else {})}
    return Page[RelatedParty].of(_named(store, "related_parties", raw))


@router.get("/controllers/{uid:path}", responses=NOT_FOUND)
def controllers(
    uid: str,
    store: StoreDep,
    caller: CallerDep,
    threshold: Annotated[float | None, bounded(ControllersParams, "threshold", "Default: the credit policy's")] = None,
    depth: Annotated[int, bounded(ControllersParams, "depth")] = 5,
) -> Page[Controller]:
    """Ultimate controllers / beneficial owners by cumulative shareholding."""
    raw: dict[str, Any] = {"uid": uid, "depth": depth, **({"threshold": threshold} if threshold else {})}
    return Page[Controller].of(_named(store, "controllers", raw))


@router.get("/equity/{uid:path}", responses=NOT_FOUND)
def equity(
    uid: str,
    store: StoreDep,
    caller: CallerDep,
    direction: Annotated[str, Query(pattern="^(up|down)$")] = "up",
    depth: Annotated[int, bounded(EquityParams, "depth")] = 5,
) -> Page[Holding]:
    """Equity penetration: shareholders up or investments down with cumulative ratios."""
    return Page[Holding].of(_named(store, "equity", {"uid": uid, "direction": direction, "depth": depth}))


@router.get("/suspected/{uid:path}", responses=NOT_FOUND)
def suspected(uid: str, store: StoreDep, caller: CallerDep) -> SuspectedRelations:
    """Suspected relations through shared contact points (kept apart from registry ties)."""
    found: SuspectedRelations = _named(store, "suspected_relations", {"uid": uid})
    return found


@router.get("/paths", responses=NOT_FOUND)
def paths(
    store: StoreDep,
    caller: CallerDep,
    from_uid: FromUid,
    to_uid: ToUid,
    max_hops: MaxHops = 6,
    include_contacts: bool = False,
) -> PartyPath:
    """The shortest path between two parties (hops null when none within the limit)."""
    for end in (from_uid, to_uid):
        require_visible(store, caller, end)
    raw = {"from_uid": from_uid, "to_uid": to_uid, "max_hops": max_hops, "include_contacts": include_contacts}
    found: PartyPath = _named(store, "path", raw)
    return found


@router.get("/profile/{uid:path}", responses=NOT_FOUND)
def profile(uid: str, store: StoreDep, caller: CallerDep) -> AgencyProfile:
    """An agency's or agent's profile: filings handled, share tied to violations, its people's violations."""
    found: AgencyProfile = _named(store, "agency_profile", {"uid": uid})
    return found


@router.get("/report/{uid:path}", responses=NOT_FOUND)
def report(uid: str, store: StoreDep, caller: CallerDep, as_of: AsOf = None) -> CreditReport:
    """The credit report (JSON): facts, evaluation with evidence, history, objections, audit trail.

    The printable page is `/ui/report/{uid}`.
    """
    with domain_errors():
        return build_report(store, uid, as_of)


def _named(store: Store, name: str, raw: dict[str, Any]) -> Any:
    """The named catalogue query's typed result (its model, or a list of them)."""
    with domain_errors():
        return run_with_policy(store, name, raw)
