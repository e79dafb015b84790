"""Visual investigation pages: a networkx sub-graph drawn with pyvis (vis-network), served offline.

The graph comes from `api.service.network` (or a chain / path set); it becomes a networkx graph
whose node and edge attributes carry the drawing (colour by level, shape by kind, violations and
chains marked, tooltips with the key facts), and pyvis turns that into vis-network data. The page
template is our own: pyvis's bundled template links Bootstrap and vis-network from CDNs, while ours
either inlines the vendored vis-network (`api/static/vis-network/`, taken from the pyvis package) or
links it from this app, so a page never reaches another host.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from pyvis.network import Network as PyvisNetwork

from api.i18n import Lang, translations
from api.i18n.web import SwitchLink
from api.schemas import GraphEdge, GraphNode, Network

API_DIR = Path(__file__).resolve().parent
STATIC_DIR = API_DIR / "static"
TEMPLATES_DIR = API_DIR / "templates"

LEVEL_COLOURS: dict[str, str] = {
    "A+": "#1a9850",
    "A": "#66bd63",
    "B": "#a6d96a",
    "C": "#fdae61",
    "D": "#d73027",
}
UNGRADED = "#9ecae1"
KIND_SHAPES: dict[str, str] = {
    "company": "dot",
    "agency": "square",
    "person": "triangle",
    "agent": "triangleDown",
    "violation": "star",
    "address": "diamond",
    "phone": "diamond",
    "email": "diamond",
    "patent": "box",
    "trademark": "box",
}
SUBJECT_KINDS = frozenset({"company", "agency", "person", "agent"})
CONTACT_RELS = frozenset({"LOCATED_AT", "USES_PHONE", "USES_EMAIL"})
VIOLATION_RED = "#b2182b"
CHAIN_ORANGE = "#e6550d"
CONTACT_GREY = "#969696"

_FACT_KEYS = (
    "uid",
    "credit_code",
    "country",
    "status",
    "behaviour_code",
    "decided_on",
    "authority",
    "expires_on",
    "licence_no",
    "nationality",
    "source",
)


CHINESE = Lang("zh_Hans")


@cache
def _env(locale: str) -> Environment:
    """One Jinja environment per language, its `_()` bound to that language's catalogue."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR), autoescape=select_autoescape(["html"]), extensions=["jinja2.ext.i18n"]
    )
    env.install_gettext_translations(translations(locale), newstyle=True)  # type: ignore[attr-defined]
    return env


@cache
def _asset(name: str) -> str:
    return (STATIC_DIR / "vis-network" / name).read_text(encoding="utf-8")


def assets(inline: bool, static_prefix: str = "/static") -> dict[str, Markup]:
    """The vis-network script and stylesheet: inlined (offline files) or linked from this app."""
    if inline:
        script = _asset("vis-network.min.js").replace("</script", "<\\/script")
        return {
            "vis_css": Markup("<style>") + Markup(_asset("vis-network.css")) + Markup("</style>"),
            "vis_js": Markup("<script>") + Markup(script) + Markup("</script>"),
        }
    return {
        "vis_css": Markup('<link rel="stylesheet" href="{}/vis-network/vis-network.css">').format(static_prefix),
        "vis_js": Markup('<script src="{}/vis-network/vis-network.min.js"></script>').format(static_prefix),
    }


def _tooltip(node: GraphNode, lang: Lang) -> str:
    _ = lang.gettext
    lines = [f"{node.label}", _("kind: %(kind)s") % {"kind": node.kind}]
    if node.kind in SUBJECT_KINDS:
        lines.append(_("level: %(level)s") % {"level": node.level or _("not assessed")})
    if node.kind == "violation":
        lines.append(_("in force") if node.in_force else _("no longer in force"))
    for key in _FACT_KEYS:
        value = node.properties.get(key)
        if value not in (None, "", []):
            lines.append(f"{key}: {value}")
    if node.kind in SUBJECT_KINDS:
        lines.append(_("(click to open its page)"))
    return "\n".join(lines)


def to_networkx(
    network: Network,
    *,
    chain_nodes: Iterable[str] = (),
    chain_edges: Iterable[tuple[str, str]] = (),
    flagged: Iterable[str] = (),
    lang: Lang = CHINESE,
) -> nx.DiGraph:
    """The sub-graph as networkx, each node and edge carrying its vis-network drawing attributes.

    `chain_nodes` / `chain_edges` are highlighted (edges in either direction); `flagged` subjects (those
    holding a violation in force) get a red border, as do the subjects tied to an in-force violation here.
    """
    on_chain = set(chain_nodes)
    chain_pairs = {frozenset(pair) for pair in chain_edges}
    offenders = set(flagged) | {
        e.source for e in network.edges if e.rel == "COMMITTED" and _in_force(network.nodes, e.target)
    }
    graph = nx.DiGraph()
    for node in network.nodes:
        graph.add_node(
            node.id,
            **_node_style(
                node, lang, root=node.id == network.root, chain=node.id in on_chain, offender=node.id in offenders
            ),
        )
    for edge in network.edges:
        if graph.has_edge(edge.source, edge.target):  # parallel ties: one line, all types in the tooltip
            data = graph.edges[edge.source, edge.target]
            data["title"] += "\n" + _edge_title(edge)
            data["label"] = data["label"] + " / " + _short(edge.rel)
            data["rel"] += "|" + edge.rel
            continue
        graph.add_edge(
            edge.source, edge.target, **_edge_style(edge, frozenset((edge.source, edge.target)) in chain_pairs)
        )
    return graph


def chain_parts(chain: dict[str, Any]) -> tuple[set[str], set[tuple[str, str]]]:
    """One dishonesty chain's nodes and edges (as JSON): its subjects, the contact point a suspected
    step goes through, the record, and the ties between them."""
    nodes: set[str] = set(chain["path"])
    edges: set[tuple[str, str]] = set()
    for step in chain["steps"]:
        if step.get("via"):
            nodes.add(step["via"])
            edges.update({(step["start"], step["via"]), (step["end"], step["via"])})
        else:
            edges.add((step["start"], step["end"]))
    violation = chain["violation"]["uid"]
    nodes.add(violation)
    edges.add((chain["offender_uid"], violation))
    return nodes, edges


def chain_highlights(chains: Iterable[dict[str, Any]]) -> tuple[set[str], set[tuple[str, str]]]:
    """Nodes and edges to highlight for all the dishonesty chains together."""
    nodes: set[str] = set()
    edges: set[tuple[str, str]] = set()
    for chain in chains:
        chain_nodes, chain_edges = chain_parts(chain)
        nodes |= chain_nodes
        edges |= chain_edges
    return nodes, edges


def chain_focus(chains: Iterable[dict[str, Any]], texts: Iterable[str]) -> list[dict[str, Any]]:
    """What the page needs to focus one chain (the others dimmed): per chain its text, nodes and edges."""
    out = []
    for chain, text in zip(chains, texts, strict=True):
        nodes, edges = chain_parts(chain)
        out.append({"text": text, "nodes": sorted(nodes), "edges": sorted([list(e) for e in edges])})
    return out


def layout_seed(node_ids: Iterable[str]) -> int:
    """vis-network's `layout.randomSeed` for a sub-graph: a hash of its node ids, so the same sub-graph is
    laid out the same on every load (the nodes are also sent in id order), whatever order they came in."""
    digest = hashlib.sha256("\n".join(sorted(set(node_ids))).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big")


def _in_force(nodes: Sequence[GraphNode], uid: str) -> bool:
    return any(n.id == uid and n.in_force for n in nodes)


def _node_style(node: GraphNode, lang: Lang, *, root: bool, chain: bool, offender: bool) -> dict[str, Any]:
    if node.kind == "violation":
        fill = VIOLATION_RED if node.in_force else "#d9d9d9"
    elif node.kind in SUBJECT_KINDS:
        fill = LEVEL_COLOURS.get(node.level or "", UNGRADED)
    else:
        fill = "#f0f0f0"
    border = CHAIN_ORANGE if chain else (VIOLATION_RED if offender else "#525252")
    return {
        "label": node.label if len(node.label) <= LABEL_CHARS else node.label[: LABEL_CHARS - 1] + "…",
        "name": node.label,
        "title": _tooltip(node, lang),
        "shape": KIND_SHAPES.get(node.kind, "dot"),
        "value": _importance(node, root=root, chain=chain or offender),
        "color": {"background": fill, "border": border, "highlight": {"background": fill, "border": "#000000"}},
        "borderWidth": 5 if (chain or offender) else (3 if root else 1),
        "kind": node.kind,
        "level": node.level or "",
        "subject": node.kind in SUBJECT_KINDS,
        "font": {"face": "sans-serif", "size": LABEL_SIZES[_importance(node, root=root, chain=chain or offender)]},
    }


LABEL_CHARS = 24  # longer names are cut on the drawing (the tooltip and the exports hold them whole)
LABEL_SIZES = {10: 18, 6: 15, 4: 13, 2: 11}  # label font size by importance, before the page's zoom factor


def _importance(node: GraphNode, *, root: bool, chain: bool) -> int:
    """The node's vis `value`: shape and label size grow with it (`scaling`), so the root and the chains
    stand out and records and contact points stay small."""
    if root:
        return 10
    if chain:
        return 6
    return 4 if node.kind in SUBJECT_KINDS else 2


def _short(rel: str) -> str:
    return rel.lower().replace("_of", "").replace("_", " ")


def _edge_title(edge: GraphEdge) -> str:
    facts = ", ".join(f"{k}: {v}" for k, v in edge.properties.items() if k in ("ratio", "role", "relation", "since"))
    return f"{edge.rel}" + (f" ({facts})" if facts else "")


def _edge_style(edge: GraphEdge, on_chain: bool) -> dict[str, Any]:
    if on_chain:
        colour, width = CHAIN_ORANGE, 5
    elif edge.rel == "COMMITTED":
        colour, width = VIOLATION_RED, 2
    elif edge.rel in CONTACT_RELS:
        colour, width = CONTACT_GREY, 1
    else:
        colour, width = "#4d4d4d", 2
    label = _short(edge.rel)
    ratio = edge.properties.get("ratio")
    if isinstance(ratio, int | float):
        label += f" {ratio:.0%}"
    return {
        "title": _edge_title(edge),
        "label": label,
        "rel": edge.rel,
        "color": colour,
        "width": width,
        "dashes": edge.rel in CONTACT_RELS or edge.rel == "POSSIBLE_SAME_AS",
        "arrows": "to",
        "font": {"size": 9, "align": "middle"},
    }


# Label sizes follow the zoom: a label is drawn at its size (LABEL_SIZES) times the zoom, never larger on
# screen than `maxVisible` px and not at all below `drawThreshold` px. After fitting the view, the page
# scales every label up when the fitted zoom would draw the smallest under READABLE_PX.
READABLE_PX = 11
OPTIONS: dict[str, Any] = {
    "physics": {
        "solver": "barnesHut",
        "barnesHut": {"gravitationalConstant": -9000, "springLength": 140, "avoidOverlap": 0.3},
        "stabilization": {"enabled": True, "iterations": 300, "fit": True},
    },
    "nodes": {
        "scaling": {
            "min": 8,
            "max": 30,
            "label": {"enabled": False, "maxVisible": 24, "drawThreshold": 7},
        }
    },
    "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False},
    "edges": {"smooth": {"enabled": True, "type": "continuous"}, "font": {"size": 9, "align": "middle"}},
}
CLUSTER_MIN = 5  # leaves of one kind hanging on one node are drawn as one cluster node from this many


def options(node_ids: Iterable[str]) -> dict[str, Any]:
    """The vis options for a sub-graph: the common ones with its own layout seed."""
    return {**OPTIONS, "layout": {"randomSeed": layout_seed(node_ids), "improvedLayout": False}}


def vis_data(graph: nx.DiGraph) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Nodes and edges in vis-network's shape, produced by pyvis from the networkx graph, in id order
    (vis lays nodes out in the order given: with the seed, the same sub-graph gets the same layout)."""
    net = PyvisNetwork(directed=True, cdn_resources="in_line")
    net.from_nx(graph, show_edge_weights=False)
    nodes, edges, *_ = net.get_network_data()
    for node in nodes:
        node.pop("size", None)  # pyvis's default size; the drawing sizes by `value`
    ordered = sorted(nodes, key=lambda n: str(n["id"]))
    return ordered, sorted(edges, key=lambda e: (str(e["from"]), str(e["to"])))


def expansion(network: Network) -> dict[str, Any]:
    """A neighbourhood as the page adds it on click: drawn like the page (tooltips under `tooltip`, since
    the JSON masking of the public role reads `title` as a name; the data arrive masked already)."""
    nodes, edges = vis_data(to_networkx(network))
    for node in nodes:
        node["tooltip"] = node.pop("title")
    return {"root": network.root, "nodes": nodes, "edges": edges}


def legend(lang: Lang = CHINESE) -> dict[str, Any]:
    _ = lang.gettext
    return {
        "levels": [*LEVEL_COLOURS.items(), (_("not assessed"), UNGRADED)],
        "shapes": [
            (_("company"), "●"),
            (_("agency"), "■"),
            (_("person"), "▲"),
            (_("agent"), "▼"),
            (_("violation (red: in force)"), "★"),
            (_("address / phone / email"), "◆"),
            (_("patent / trademark"), "▭"),
        ],
        "edges": [
            (_("party tie (shareholding, legal rep, officer, branch, agent of, family)"), "#4d4d4d", False),
            (_("shared contact point (suspected tie)"), CONTACT_GREY, True),
            (_("committed a violation"), VIOLATION_RED, False),
            (_("on a dishonesty chain / the path asked for"), CHAIN_ORANGE, False),
        ],
    }


def render_page(
    template: str, *, inline: bool = False, lang: Lang = CHINESE, switch: Sequence[SwitchLink] = (), **context: Any
) -> str:
    """Render one of `api/templates/*.html` in `lang`, with the vis assets, the legend and the language
    switch (`switch`: this page in each language; none on an offline file)."""
    return (
        _env(lang.locale)
        .get_template(template)
        .render(**assets(inline), legend=legend(lang), lang=lang, html_lang=lang.html, switch=switch, **context)
    )


def network_page(
    network: Network,
    *,
    title: str,
    subtitle: str = "",
    inline: bool = False,
    link_base: str | None = "",
    chain_nodes: Iterable[str] = (),
    chain_edges: Iterable[tuple[str, str]] = (),
    panels: Sequence[dict[str, Any]] = (),
    facts: dict[str, Any] | None = None,
    chains: Sequence[dict[str, Any]] = (),
    forms: dict[str, Any] | None = None,
    lang: Lang = CHINESE,
    switch: Sequence[SwitchLink] = (),
) -> str:
    """A page drawing `network`: legend, facts, side panels; clicking a subject opens its own page.

    `link_base` is the URL prefix of this app ("" when served by it); None for an offline file, where a
    click only selects. `chains` (from `chain_focus`) are listed with a focus button each; `forms` holds
    what the path and as-of forms show (a subject page's uid, depth and date).
    """
    graph = to_networkx(network, chain_nodes=chain_nodes, chain_edges=chain_edges, lang=lang)
    nodes, edges = vis_data(graph)
    return render_page(
        "network.html",
        inline=inline,
        lang=lang,
        switch=switch,
        title=title,
        subtitle=subtitle,
        root=network.root,
        nodes_json=Markup(json.dumps(nodes, ensure_ascii=False, default=str).replace("</", "<\\/")),
        edges_json=Markup(json.dumps(edges, ensure_ascii=False, default=str).replace("</", "<\\/")),
        options_json=Markup(json.dumps(options(n["id"] for n in nodes))),
        chains=chains,
        chains_json=Markup(json.dumps(list(chains), ensure_ascii=False).replace("</", "<\\/")),
        forms=forms,
        cluster_min=CLUSTER_MIN,
        readable_px=READABLE_PX,
        smallest_label=min(LABEL_SIZES.values()),
        link_base=link_base,
        truncated=network.truncated,
        node_count=len(nodes),
        panels=panels,
        facts=facts or {},
    )
