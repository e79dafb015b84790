"""The visual investigation pages: search, a subject's network, its chains, a path, the printable report.

Pages are HTML built by `api.viz` from the same service calls as the JSON endpoints, masked the same
way for the public role (browsers without a key). vis-network is served from `/static`, never a CDN.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from gettext import gettext as _
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse

from api import service, viz
from api.auth import Caller, CallerDep, Role
from api.domain import domain_errors, run_with_policy, shown
from api.errors import ApiError
from api.i18n import Lang
from api.i18n.web import PageLang, PageLangDep
from api.routes.deps import FromUid, InScope, MaxHops, StoreDep, ToUid
from api.schemas import GraphEdge, GraphNode, Network
from api.scope import require_visible
from credit.evaluate import evaluate, today
from credit.explain import behaviour_name, level_sentences
from credit.grading import Evaluation
from credit.params import chain_params
from credit.policy import LevelMeasures, default_policy
from credit.report import build_report
from graph.schema import Rel
from graph.store import Store
from queries.chains import chains_of

router = APIRouter(
    tags=["pages"], default_response_class=HTMLResponse, include_in_schema=False, dependencies=[InScope]
)  # HTML: not the API
HTML: dict[int | str, dict[str, Any]] = {200: {"content": {"text/html": {}}, "description": "An HTML page"}}


def _href(path: str, uid: str) -> str:
    return f"{path}{quote(uid, safe=':')}"


@router.get("/", responses=HTML)
def home(request: Request, page: PageLangDep) -> HTMLResponse:
    """The search page (and, under the demo, the subjects to open first)."""
    tips = getattr(request.app.state, "tips", [])
    return HTMLResponse(
        viz.render_page("search.html", title=page.lang.gettext("Search subjects"), link_base="", tips=tips, **_in(page))
    )


def _in(page: PageLang) -> dict[str, Any]:
    """The render arguments that put a page in the reader's language, with the switch."""
    return {"lang": page.lang, "switch": page.switch}


@router.get("/ui/search", responses=HTML)
def search_page(
    store: StoreDep, caller: CallerDep, page: PageLangDep, q: Annotated[str, Query(min_length=1, max_length=200)]
) -> HTMLResponse:
    """Search results, each leading to the subject's page."""
    result = shown(store, caller, service.search(store, q, 50, persons=caller.role > Role.PUBLIC))
    title = page.lang.gettext("Search: %(query)s") % {"query": q}
    return HTMLResponse(
        viz.render_page("search.html", title=title, link_base="", query=q, hits=result["items"], **_in(page))
    )


def _facts(detail: dict[str, Any], evaluation: dict[str, Any] | None, lang: Lang) -> dict[str, Any]:
    _ = lang.gettext
    props = detail["properties"]
    facts: dict[str, Any] = {_("kind"): _(detail["kind"]), "uid": detail["uid"]}
    labels = {
        "credit_code": _("credit code"),
        "country": _("country"),
        "status": _("status"),
        "id_number": _("ID number"),
        "licence_no": _("licence number"),
    }
    for key, label in labels.items():
        if props.get(key):
            facts[label] = props[key]
    if evaluation:
        facts[_("level (now)")] = evaluation["level"]
        facts[_("score")] = round(float(evaluation["score"]), 1)
        if evaluation.get("overrides"):
            facts[_("overrides")] = "; ".join(evaluation["overrides"])
    elif detail.get("level"):
        facts[_("level (stored)")] = detail["level"]
    facts[_("ties")] = detail["counts"]["ties"]
    facts[_("patents / trademarks")] = f"{detail['counts']['patents']} / {detail['counts']['trademarks']}"
    return facts


def _behaviour(code: str, lang: Lang) -> str:
    """A behaviour's name first, its code as secondary text."""
    return f"{behaviour_name(default_policy(), code, lang)} ({code})"


def _tie(rel: str, lang: Lang) -> str:
    """A tie type as the reader says it (the type itself when it has no name here)."""
    _ = lang.gettext
    names: dict[str, str] = {
        Rel.LEGAL_REP_OF: _("legal representative of"),
        Rel.SHAREHOLDER_OF: _("shareholder of"),
        Rel.OFFICER_OF: _("officer of"),
        Rel.BRANCH_OF: _("branch of"),
        Rel.AGENT_OF: _("agent of"),
        Rel.FAMILY_OF: _("family of"),
        Rel.LOCATED_AT: _("shared address"),
        Rel.USES_PHONE: _("shared phone"),
        Rel.USES_EMAIL: _("shared email"),
    }
    return names.get(rel, rel.lower())  # Rel is a StrEnum: its members are keys by their text


def _chain_text(chain: dict[str, Any], lang: Lang) -> str:
    violation = chain["violation"]
    via = " → ".join(_tie(str(step["type"]), lang) for step in chain["steps"])
    return lang.ngettext(
        "%(hops)d hop (%(via)s) to %(offender)s: %(behaviour)s of %(day)s, strength %(strength).2f",
        "%(hops)d hops (%(via)s) to %(offender)s: %(behaviour)s of %(day)s, strength %(strength).2f",
        int(chain["hops"]),
    ) % {
        "hops": chain["hops"],
        "via": via,
        "offender": chain.get("offender_name") or chain["offender_uid"],
        "behaviour": _behaviour(violation["behaviour_code"], lang),
        "day": violation["decided_on"],
        "strength": chain["strength"],
    }


def _agency_panel(store: Store, caller: Caller, uid: str, as_of: date) -> dict[str, Any]:
    """An agency's or agent's filing profile (the catalogue's `agency_profile`) as a side panel."""
    with domain_errors():
        profile = shown(store, caller, run_with_policy(store, "agency_profile", {"uid": uid, "as_of": as_of}))
    people = [
        {
            "text": f"{p.get('name') or p['uid']} ({_(p['role'])}): "
            + ", ".join(f"{v.get('behaviour_code')} {v.get('decided_on')}" for v in p["violations"]),
            "href": _href("/ui/subject/", p["uid"]),
        }
        for p in profile["people_with_violations"]
    ]
    share = f"{profile['flagged_share']:.0%}"
    return {
        "title": _("Filing profile"),
        "items": [
            {"text": _("filings handled: {n}").format(n=profile["filings"])},
            {"text": _("tied to a record in force: {n} ({share})").format(n=profile["flagged_filings"], share=share)},
            {"text": _("agents: {a} · controllers: {c}").format(a=profile["agents"], c=profile["controllers"])},
            *people,
        ],
    }


AsOf = Annotated[date | None, Query(description="the network and chains as of this day")]


@router.get("/ui/subject/{uid:path}", responses=HTML)
def subject_page(
    uid: str,
    store: StoreDep,
    caller: CallerDep,
    page: PageLangDep,
    depth: Annotated[int, Query(ge=1, le=4)] = 2,
    as_of: AsOf = None,
) -> HTMLResponse:
    """A subject's network to `depth` hops, coloured by level and kind, chains highlighted (each can be
    focused); click to add a subject's neighbours, double-click to move on; a path form and an as-of date."""
    day = as_of or today()
    detail = shown(store, caller, service.subject(store, uid))
    network = Network.model_validate(shown(store, caller, service.network(store, [uid], depth, as_of=as_of)))
    with domain_errors():
        evaluation = shown(store, caller, evaluate(store, uid, day, default_policy()))
    chains: list[dict[str, Any]] = [c["chain"] for c in evaluation["chains"]]
    chain_nodes, chain_edges = viz.chain_highlights(chains)
    suffix = f"&as_of={as_of.isoformat()}" if as_of else ""
    lang = page.lang
    _ = lang.gettext
    panels = [
        {
            "title": _("Dishonesty records"),
            "items": [
                {
                    "text": " · ".join(
                        (_behaviour(str(v.get("behaviour_code")), lang), str(v.get("decided_on")), str(v.get("status")))
                    )
                }
                for v in detail["violations"]
            ],
        },
        {
            "title": _("More"),
            "items": [
                {"text": _("printable credit report"), "href": _href("/ui/report/", uid) + suffix.replace("&", "?", 1)},
                {"text": _("all chains on one page"), "href": _href("/ui/chains/", uid) + suffix.replace("&", "?", 1)},
                {
                    "text": _("deeper network (depth + 1)"),
                    "href": _href("/ui/subject/", uid) + f"?depth={min(depth + 1, 4)}" + suffix,
                },
                {"text": _("JSON: linked-risk check"), "href": _href("/check/", uid)},
            ],
        },
    ]
    if detail["kind"] in ("agency", "agent"):
        panels.insert(0, _agency_panel(store, caller, uid, day))
    level = evaluation["level"] if evaluation else detail.get("level")
    when = _(" · as of {day}").format(day=as_of.isoformat()) if as_of else ""
    return HTMLResponse(
        viz.network_page(
            network,
            title=f"{detail['name'] or uid}",
            subtitle=_("%(kind)s · level %(level)s · network to depth %(depth)d")
            % {"kind": _(detail["kind"]), "level": level or _("not assessed"), "depth": depth}
            + when,
            chain_nodes=chain_nodes,
            chain_edges=chain_edges,
            panels=panels,
            facts=_facts(detail, evaluation, lang),
            chains=viz.chain_focus(chains, [_chain_text(c, lang) for c in chains]),
            forms={"uid": uid, "depth": depth, "as_of": as_of.isoformat() if as_of else ""},
            **_in(page),
        )
    )


@router.get("/ui/expand/{uid:path}", include_in_schema=False, response_class=JSONResponse)
def expand(uid: str, store: StoreDep, caller: CallerDep, as_of: AsOf = None) -> JSONResponse:
    """A subject's direct neighbourhood drawn as the pages draw it: what a click on the node adds."""
    network = Network.model_validate(shown(store, caller, service.network(store, [uid], 1, as_of=as_of)))
    return JSONResponse(viz.expansion(network))


def _drawn_subjects(store: Store, uids: list[str], caller: Caller) -> list[GraphNode]:
    """The subjects among `uids` as drawn nodes, masked for the caller."""
    return [GraphNode.model_validate(n) for n in shown(store, caller, service.drawn_subjects(store, uids))]


def _contact_node(uid: str, sharers: Any) -> GraphNode:
    """A shared contact point a suspected step goes through, drawn as its own node (its uid is all the
    chain holds of it, masked for the public like any uid)."""
    kind = uid.split(":", 1)[0] if uid.split(":", 1)[0] in ("address", "phone", "email") else "address"
    props = {"uid": uid, **({"sharers": sharers} if sharers is not None else {})}
    return GraphNode(id=uid, label=uid, kind=kind, properties=props)


def chain_network(root: str, chains: list[dict[str, Any]], nodes: list[GraphNode]) -> Network:
    """The sub-graph made of the chains' subjects, ties, shared contact points and records (for the
    chain page): a suspected step runs through its contact point, drawn as a node of its own."""
    out = list(nodes)
    edges: dict[tuple[str, str, str], GraphEdge] = {}
    for chain in chains:
        for step in chain["steps"]:
            props = {k: step.get(k) for k in ("ratio", "via", "sharers", "weight") if step.get(k) is not None}
            via = step.get("via")
            if via:
                if via not in {n.id for n in out}:
                    out.append(_contact_node(via, step.get("sharers")))
                for end in (step["start"], step["end"]):
                    edges[(end, via, step["type"])] = GraphEdge(
                        source=end, target=via, rel=step["type"], properties=props
                    )
                continue
            edges[(step["start"], step["end"], step["type"])] = GraphEdge(
                source=step["start"], target=step["end"], rel=step["type"], properties=props
            )
        v = chain["violation"]
        if v["uid"] not in {n.id for n in out}:
            out.append(GraphNode(id=v["uid"], label=v["behaviour_code"], kind="violation", in_force=True, properties=v))
        edges[(chain["offender_uid"], v["uid"], "COMMITTED")] = GraphEdge(
            source=chain["offender_uid"], target=v["uid"], rel="COMMITTED"
        )
    return Network(root=root, depth=0, nodes=out, edges=list(edges.values()))


@router.get("/ui/chains/{uid:path}", responses=HTML)
def chains_page(uid: str, store: StoreDep, caller: CallerDep, page: PageLangDep, as_of: AsOf = None) -> HTMLResponse:
    """Every dishonesty chain of a subject drawn together, each listed with its evidence and focusable."""
    detail = shown(store, caller, service.subject(store, uid))
    with domain_errors():
        chains = shown(store, caller, chains_of(store, uid, chain_params(default_policy(), as_of or today())))
    uids = sorted({uid} | {u for c in chains for u in c["path"]})
    network = chain_network(uid, chains, _drawn_subjects(store, uids, caller))
    _ = page.lang.gettext
    chain_nodes, chain_edges = viz.chain_highlights(chains)
    return HTMLResponse(
        viz.network_page(
            network,
            title=_("Dishonesty chains of %(name)s") % {"name": detail["name"] or uid},
            subtitle=_("paths over party ties (and suspected ties) to subjects holding a record in force")
            + (_(" · as of {day}").format(day=as_of.isoformat()) if as_of else ""),
            chain_nodes=chain_nodes,
            chain_edges=chain_edges,
            panels=[{"title": _("Back"), "items": [{"text": _("subject page"), "href": _href("/ui/subject/", uid)}]}],
            chains=viz.chain_focus(chains, [_chain_text(c, page.lang) for c in chains]),
            forms={"uid": uid, "as_of": as_of.isoformat() if as_of else ""},
            **_in(page),
        )
    )


def _party(store: Store, caller: Caller, text: str) -> tuple[str, list[dict[str, Any]]]:
    """What a path form's box names: a uid as given, else the best search hit for a name or credit
    code (with the other hits, to pick another), inside a region-scoped caller's region; 404 when nothing
    matches."""
    if service.exists(store, [text]):
        require_visible(store, caller, text)
        return text, []
    found = service.search(store, text, 6, persons=caller.role > Role.PUBLIC, region=caller.region)
    hits = shown(store, caller, found)["items"]
    if not hits:
        raise ApiError(404, _("no subject matches {text!r}").format(text=text), detail={"query": text})
    return hits[0]["uid"], hits[1:]


@router.get("/ui/paths", responses=HTML)
def path_page(
    store: StoreDep,
    caller: CallerDep,
    page: PageLangDep,
    from_uid: FromUid,
    to_uid: ToUid,
    max_hops: MaxHops = 6,
    include_contacts: bool = True,
) -> HTMLResponse:
    """The shortest path between two parties (each given by uid, name or credit code), drawn with the
    neighbourhood of both ends."""
    from_uid, _others = _party(store, caller, from_uid.strip())
    asked = to_uid.strip()
    to_uid, alternatives = _party(store, caller, asked)
    raw = {"from_uid": from_uid, "to_uid": to_uid, "max_hops": max_hops, "include_contacts": include_contacts}
    with domain_errors():
        found = shown(store, caller, run_with_policy(store, "path", raw))
    on_path = [n["uid"] for n in found["nodes"]] or [from_uid, to_uid]
    network = Network.model_validate(shown(store, caller, service.network(store, [from_uid, to_uid], 1)))
    extra = [u for u in on_path if u not in {n.id for n in network.nodes}]
    if extra:
        network.nodes.extend(_drawn_subjects(store, extra, caller))
    for tie in found["ties"]:
        network.edges.append(GraphEdge(source=tie["start"], target=tie["end"], rel=tie["type"]))
    hops = found["hops"]
    _ = page.lang.gettext
    text = (
        page.lang.ngettext("%(hops)d hop", "%(hops)d hops", int(hops)) % {"hops": hops}
        if hops is not None
        else _("no path within %(max)d hops") % {"max": max_hops}
    )
    names = {n.id: n.label for n in network.nodes}
    panels = [
        {
            "title": _("The path"),
            "items": [
                {"text": f"{n.get('name') or n['uid']}", "href": _href("/ui/subject/", n["uid"])}
                for n in found["nodes"]
            ],
        }
    ]
    if alternatives:
        panels.append(
            {
                "title": _("Other subjects matching {text!r}").format(text=asked),
                "items": [
                    {
                        "text": f"{h.get('name') or h['uid']} ({h['kind']})",
                        "href": f"/ui/paths?from={quote(from_uid, safe=':')}&to={quote(h['uid'], safe=':')}",
                    }
                    for h in alternatives
                ],
            }
        )
    return HTMLResponse(
        viz.network_page(
            network,
            title=_("Path: %(from)s ↔ %(to)s")
            % {"from": names.get(from_uid, from_uid), "to": names.get(to_uid, to_uid)},
            subtitle=text,
            chain_nodes=on_path if hops is not None else [],
            chain_edges={(t["start"], t["end"]) for t in found["ties"]},
            panels=panels,
            forms={"uid": from_uid},
            **_in(page),
        )
    )


@router.get("/ui/report/{uid:path}", responses=HTML)
def report_page(
    uid: str, store: StoreDep, caller: CallerDep, page: PageLangDep, as_of: date | None = None
) -> HTMLResponse:
    """The printable credit report, in the reader's language: why the level is what it is in sentences,
    the registry facts and records with their provenance, measures, chains and history."""
    lang = page.lang
    _ = lang.gettext
    policy = default_policy()
    detail = shown(store, caller, service.subject(store, uid))
    with domain_errors():
        report = shown(store, caller, build_report(store, uid, as_of))
    evaluation = report["evaluation"]
    factors = [
        {
            "text": _("%(behaviour)s (%(severity)s, decided %(day)s)")
            % {
                "behaviour": f"{lang.name(r['name_zh'], r['name_en'])} ({r['behaviour_code']})",
                "severity": _severity(r["severity"], lang),
                "day": r["decided_on"],
            }
            + (f" — {r['note']}" if r.get("note") else ""),
            "effect": f"-{r['deduction']}" if r["counted"] else _("not counted"),
        }
        for r in evaluation["records"]
    ]
    chains = [
        _chain_text(c["chain"], lang) + f" → -{c['contribution']:.1f}" for c in evaluation["chains"] if c["counted"]
    ]
    measures = LevelMeasures.model_validate(evaluation["measures"])
    measure_lines = [
        lang.name(measures.label_zh, measures.label_en),
        _("inspection: %(frequency)s") % {"frequency": lang.name(measures.inspection_zh, measures.inspection_en)},
        *(lang.name(m.name_zh, m.name_en) for m in measures.measures),
    ]
    records = [
        {**v, "name": behaviour_name(policy, str(v.get("behaviour_code")), lang), "code": v.get("behaviour_code")}
        for v in detail["violations"]
    ]
    return HTMLResponse(
        viz.render_page(
            "report.html",
            title=_("Credit report %(uid)s") % {"uid": uid},
            link_base="",
            subject=detail,
            level=evaluation["level"],
            report={
                "score": round(float(evaluation["score"]), 1),
                "policy_version": evaluation["policy_version"],
                "as_of": evaluation["as_of"],
            },
            why=level_sentences(Evaluation.model_validate(evaluation), policy, lang),  # as masked for the caller
            registry=_registry_rows(report["registry"], lang),
            source=report["registry"],
            measures=measure_lines,
            records=records,
            factors=factors,
            chains=chains,
            history=report["history"],
            commitments=report.get("commitments", []),
            generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            **_in(page),
        )
    )


def _severity(value: str, lang: Lang) -> str:
    _ = lang.gettext
    return {"general": _("general"), "serious": _("serious"), "positive": _("positive")}.get(value, value)


def _registry_rows(registry: dict[str, Any], lang: Lang) -> list[tuple[str, list[dict[str, Any]]]]:
    """The report's registry table: each kind of fact with its rows (text, link, provenance)."""
    _ = lang.gettext

    def sourced(p: dict[str, Any]) -> dict[str, Any]:
        """The tie's provenance (it states the fact), else the party's own."""
        if p.get("source") or p.get("source_ref"):
            return p
        return {**p, **(p.get("node") or {})}

    def party(p: dict[str, Any], extra: str = "") -> dict[str, Any]:
        return {**sourced(p), "text": (p.get("name") or p["uid"]) + extra, "href": _href("/ui/subject/", p["uid"])}

    def share(p: dict[str, Any]) -> str:
        return f" ({p['ratio']:.0%})" if isinstance(p.get("ratio"), int | float) else ""

    rows = [
        (_("legal representative"), [party(p) for p in registry["legal_reps"]]),
        (_("shareholder"), [party(p, share(p)) for p in registry["shareholders"]]),
        (_("officer"), [party(p, f" ({p['role']})" if p.get("role") else "") for p in registry["officers"]]),
        (_("address"), [{**sourced(a), "text": a.get("value") or a["uid"]} for a in registry["located_at"]]),
        (_("agency (works for)"), [party(p) for p in registry["agent_of"]]),
        (
            _("filing agency"),
            [
                party(
                    p,
                    " "
                    + lang.ngettext("(%(num)d right)", "(%(num)d rights)", int(p["rights"] or 0))
                    % {"num": p["rights"] or 0},
                )
                for p in registry["filing_agencies"]
            ],
        ),
    ]
    return [(label, items) for label, items in rows if items or label != _("agency (works for)")]
