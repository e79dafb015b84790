"""The query catalogue: typed runners over `queries/catalogue/*.cypher` and a registry of named queries.

Each runner takes a validated params model and returns pydantic results, so the CLI and the HTTP API
share one entry point per question. Relationship types cannot be Cypher parameters; the statements
match every link and keep those with `type(r) IN $types`, and the params models accept only schema
`Rel` members there, so no user text reaches a type or label.

k-hop traversals (related parties, neighbourhoods, risk-scan surroundings) run breadth-first, one
UNWIND statement per hop with a visited set (`graph.analytics.bfs`): a variable-length pattern
cannot take its bound as a parameter, and one bounded by a literal with a `length(p) <= $k` filter
enumerated every trail up to that literal (seconds per query on a 5,000-subject synthetic graph).
Equity penetration keeps a variable-length pattern over SHAREHOLDER_OF only (simple paths).

Policy numbers (controller threshold, contact-point sharers and weight) have no defaults here: the
caller passes the credit policy's values (see `NamedQuery.policy_params`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from graph import analytics
from graph.cypher import cypher
from graph.schema import CONTACT_LINKS, IP_LINKS, PARTY_TIES, Label, Rel
from graph.store import Row, Store

Uid = str

# --- errors ---------------------------------------------------------------------------------------


class UnknownSubjectError(LookupError):
    """A uid given to a runner names no subject in the graph."""

    def __init__(self, uids: Sequence[str]) -> None:
        super().__init__(f"no subject with uid {', '.join(repr(u) for u in uids)}")
        self.uids = list(uids)


class UnknownQueryError(LookupError):
    """A name that is not in the catalogue."""


class QueryParamsError(ValueError):
    """Parameters that do not fit a named query's params model; the message lists every problem."""


def _require_subjects(store: Store, uids: Sequence[str]) -> dict[str, analytics.Reached]:
    """The subjects as traversal starts (element id -> node), or `UnknownSubjectError` naming the missing."""
    rows = store.read(cypher("catalogue/subjects_known"), {"uids": list(uids)})
    missing = [r["uid"] for r in rows if not r["known"]]
    if missing:
        raise UnknownSubjectError(missing)
    return {r["id"]: analytics.Reached(r["id"], r["uid"], r["name"], [str(Label.SUBJECT)], 0) for r in rows}


# --- shared parameter pieces ----------------------------------------------------------------------


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _rels_within(allowed: Sequence[Rel], what: str) -> Callable[[list[Rel]], list[Rel]]:
    def check(value: list[Rel]) -> list[Rel]:
        wrong = [str(v) for v in value if v not in allowed]
        if wrong:
            raise ValueError(f"{what} must be among {[str(a) for a in allowed]}, got {wrong}")
        if not value:
            raise ValueError(f"give at least one of {[str(a) for a in allowed]}")
        return list(dict.fromkeys(value))

    return check


def _split(value: Any) -> Any:
    """Accept `A,B` (the CLI's `--param types=A,B`) as well as a list."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Tie(BaseModel):
    """One link on a path, with its stored direction."""

    type: str
    start: Uid
    end: Uid
    ratio: float | None = None


class PathNode(BaseModel):
    uid: Uid
    name: str | None = None
    labels: list[str]


# --- related parties ------------------------------------------------------------------------------


class RelatedPartiesParams(_Params):
    uid: Uid
    k: int = Field(default=3, ge=1, le=6, description="hop limit over party ties")
    types: list[Rel] = Field(default_factory=lambda: list(PARTY_TIES), description="tie kinds to follow")
    limit: int = Field(default=500, ge=1, le=10_000)
    as_of: date = Field(default_factory=date.today, description="only ties in force on this date")

    _split_types = field_validator("types", mode="before")(_split)
    _check_types = field_validator("types")(_rels_within(PARTY_TIES, "types"))


class RelatedParty(BaseModel):
    uid: Uid
    name: str | None
    labels: list[str]
    hops: int
    path_uids: list[Uid]
    ties: list[Tie]


def related_parties(store: Store, params: RelatedPartiesParams) -> list[RelatedParty]:
    """Subjects within k hops over the chosen registry-backed ties, nearest first, with one shortest path.

    Breadth-first, one statement per hop (`catalogue/expand`), so the cost is the ties within k hops.
    """
    starts = _require_subjects(store, [params.uid])
    found = analytics.bfs(store, starts, k=params.k, types=[str(t) for t in params.types], as_of=params.as_of)
    parties = []
    for node_id, node in found.nodes.items():
        if node.hops == 0 or node.uid is None:
            continue
        path = found.path(node_id)
        ties = [
            Tie.model_validate({**step.tie, "ratio": step.tie["properties"].get("ratio")})
            for step in path[1:]
            if step.tie
        ]
        parties.append(
            RelatedParty(
                uid=node.uid,
                name=node.name,
                labels=[label for label in node.labels if label != Label.SUBJECT],
                hops=node.hops,
                path_uids=[step.uid or "" for step in path],
                ties=ties,
            )
        )
    parties.sort(key=lambda p: (p.hops, p.uid))
    return parties[: params.limit]


# --- equity penetration and controllers -----------------------------------------------------------


class EquityParams(_Params):
    uid: Uid
    direction: Literal["up", "down"] = Field(default="up", description="up: shareholders; down: investments")
    depth: int = Field(default=5, ge=1, le=6)
    limit: int = Field(default=500, ge=1, le=10_000)
    as_of: date = Field(default_factory=date.today, description="only ties in force on this date")


class Stake(BaseModel):
    """A party and its cumulative ratio (product along each path, summed over simple paths)."""

    uid: Uid
    name: str | None
    labels: list[str]
    ratio: float
    paths: int
    min_depth: int


class Holding(Stake):
    """A holder (up) or a held company (down)."""

    paths_without_ratio: int
    ultimate: bool


def equity(store: Store, params: EquityParams) -> list[Holding]:
    """Equity penetration: product of ratios along each path, summed over paths; cycles terminate."""
    _require_subjects(store, [params.uid])
    name = "catalogue/shareholders_up" if params.direction == "up" else "catalogue/investments_down"
    rows = store.read(
        cypher(name), {"uid": params.uid, "depth": params.depth, "limit": params.limit, "as_of": params.as_of}
    )
    return [Holding.model_validate(r) for r in rows]


class ControllersParams(_Params):
    uid: Uid
    threshold: float = Field(gt=0, le=1, description="minimum cumulative ratio (credit policy)")
    depth: int = Field(default=5, ge=1, le=6)
    as_of: date = Field(default_factory=date.today, description="only ties in force on this date")


class Controller(Stake):
    """An ultimate controller: a holder whose cumulative ratio reaches the policy's threshold."""


def controllers(store: Store, params: ControllersParams) -> list[Controller]:
    """Ultimate controllers: persons or unowned holders at the top whose cumulative ratio reaches the threshold."""
    _require_subjects(store, [params.uid])
    rows = store.read(
        cypher("catalogue/controllers"),
        {"uid": params.uid, "depth": params.depth, "threshold": params.threshold, "as_of": params.as_of},
    )
    return [Controller.model_validate(r) for r in rows]


# --- suspected relations through shared contact points --------------------------------------------


class SuspectedParams(_Params):
    uid: Uid
    max_sharers: int = Field(ge=2, description="a point shared by more subjects ties nobody (credit policy)")
    full_weight_up_to: int = Field(ge=2, description="a point shared by up to this many has full weight (policy)")
    base_weight: float = Field(gt=0, le=1, description="weight of a point at full weight (credit policy)")
    contact_types: list[Rel] = Field(default_factory=lambda: list(CONTACT_LINKS))

    _split_types = field_validator("contact_types", mode="before")(_split)
    _check_types = field_validator("contact_types")(_rels_within(CONTACT_LINKS, "contact_types"))


class SharedPoint(BaseModel):
    uid: Uid
    kind: str
    value: str | None
    sharers: int
    weight: float | None = None


class SuspectedRelation(BaseModel):
    """Another subject sharing contact points.

    Each shared point weighs `base_weight * min(1, full_weight_up_to / sharers)` (the credit policy's
    rule for suspected ties); the subject's weight is the sum over its shared points, capped at
    `base_weight`.
    """

    uid: Uid
    name: str | None
    weight: float
    shared: list[SharedPoint]


class SuspectedRelations(BaseModel):
    related: list[SuspectedRelation]
    skipped: list[SharedPoint] = Field(description="points with more than max_sharers sharers: not followed")


def suspected_relations(store: Store, params: SuspectedParams) -> SuspectedRelations:
    """Suspected ties through shared contact points, separate from registry ties; crowded points skipped."""
    _require_subjects(store, [params.uid])
    rows = store.read(
        cypher("catalogue/suspected_relations"),
        {
            "uid": params.uid,
            "max_sharers": params.max_sharers,
            "full_weight_up_to": params.full_weight_up_to,
            "base_weight": params.base_weight,
            "contact_types": [str(t) for t in params.contact_types],
        },
    )
    if not rows:
        return SuspectedRelations(related=[], skipped=[])
    return SuspectedRelations.model_validate(rows[0])


# --- paths between parties ------------------------------------------------------------------------


def _path_types(types: Sequence[Rel], include_contacts: bool) -> list[str]:
    return [str(t) for t in (*types, *(CONTACT_LINKS if include_contacts else ()))]


class PathParams(_Params):
    from_uid: Uid
    to_uid: Uid
    max_hops: int = Field(default=6, ge=1, le=8)
    types: list[Rel] = Field(default_factory=lambda: list(PARTY_TIES))
    include_contacts: bool = Field(default=False, description="also cross shared contact points")

    _split_types = field_validator("types", mode="before")(_split)
    _check_types = field_validator("types")(_rels_within(PARTY_TIES, "types"))

    @model_validator(mode="after")
    def _distinct(self) -> PathParams:
        if self.from_uid == self.to_uid:
            raise ValueError("from_uid and to_uid are the same party")
        return self


class PartyPath(BaseModel):
    from_uid: Uid
    to_uid: Uid
    hops: int | None = Field(description="null when not connected within max_hops")
    nodes: list[PathNode]
    ties: list[Tie]


def shortest_path(store: Store, params: PathParams) -> PartyPath:
    """The shortest path between two parties (hops null when none within the limit)."""
    _require_subjects(store, [params.from_uid, params.to_uid])
    rows = store.read(
        cypher("catalogue/shortest_path"),
        {
            "from_uid": params.from_uid,
            "to_uid": params.to_uid,
            "types": _path_types(params.types, params.include_contacts),
            "max_hops": params.max_hops,
        },
    )
    if not rows:
        return PartyPath(from_uid=params.from_uid, to_uid=params.to_uid, hops=None, nodes=[], ties=[])
    return PartyPath.model_validate({"from_uid": params.from_uid, "to_uid": params.to_uid, **rows[0]})


class PairRef(_Params):
    from_uid: Uid = Field(alias="from")
    to_uid: Uid = Field(alias="to")

    model_config = ConfigDict(populate_by_name=True, extra="forbid", frozen=True)


class BatchPathParams(_Params):
    """Either explicit `pairs`, or `uids` (every pair among them); at most 500 pairs."""

    pairs: list[PairRef] = Field(default_factory=list)
    uids: list[Uid] = Field(default_factory=list, max_length=32)
    max_hops: int = Field(default=6, ge=1, le=8)
    types: list[Rel] = Field(default_factory=lambda: list(PARTY_TIES))
    include_contacts: bool = False

    _split_uids = field_validator("uids", mode="before")(_split)
    _split_types = field_validator("types", mode="before")(_split)
    _check_types = field_validator("types")(_rels_within(PARTY_TIES, "types"))

    @model_validator(mode="after")
    def _some_pairs(self) -> BatchPathParams:
        pairs = self.all_pairs()
        if not pairs:
            raise ValueError("give pairs, or at least two distinct uids")
        if len(pairs) > 500:
            raise ValueError(f"{len(pairs)} pairs: at most 500 in one batch")
        return self

    def all_pairs(self) -> list[tuple[Uid, Uid]]:
        explicit = [(p.from_uid, p.to_uid) for p in self.pairs if p.from_uid != p.to_uid]
        distinct = list(dict.fromkeys(self.uids))
        combos = [(a, b) for i, a in enumerate(distinct) for b in distinct[i + 1 :]]
        return list(dict.fromkeys(explicit + combos))


class BatchPath(PartyPath):
    known: bool = Field(description="false when either party is not in the graph")


def shortest_paths(store: Store, params: BatchPathParams) -> list[BatchPath]:
    """Shortest paths for many pairs in one statement (UNWIND), in the order the pairs were given."""
    rows = store.read(
        cypher("catalogue/shortest_paths_batch"),
        {
            "pairs": [{"from": a, "to": b} for a, b in params.all_pairs()],
            "types": _path_types(params.types, params.include_contacts),
            "max_hops": params.max_hops,
        },
    )
    return [BatchPath.model_validate(r) for r in rows]


# --- agency and agent profiles --------------------------------------------------------------------


class AgencyProfileParams(_Params):
    uid: Uid
    as_of: date = Field(default_factory=date.today)


class ViolationRef(BaseModel):
    uid: Uid
    behaviour_code: str | None
    decided_on: date | None


class ProfilePerson(BaseModel):
    uid: Uid
    name: str | None
    role: Literal["self", "agent", "controller"]
    violations: list[ViolationRef]


class AgencyProfile(BaseModel):
    uid: Uid
    name: str | None
    kind: Literal["agency", "agent"]
    filings: int
    flagged_filings: int = Field(description="filings a violation in force concerns, or whose applicant holds one")
    flagged_share: float
    agents: int
    controllers: int
    people_with_violations: list[ProfilePerson]


class NotAnAgencyError(LookupError):
    """The uid names a subject that is neither an agency nor an agent."""


def agency_profile(store: Store, params: AgencyProfileParams) -> AgencyProfile:
    """Filings handled, the share tied to violations in force, and the violations of its people."""
    _require_subjects(store, [params.uid])
    rows = store.read(cypher("catalogue/agency_profile"), {"uid": params.uid, "as_of": params.as_of})
    if not rows:
        raise NotAnAgencyError(f"{params.uid!r} is neither an agency nor an agent")
    return AgencyProfile.model_validate(rows[0])


# --- risk scan ------------------------------------------------------------------------------------


class RiskScanParams(_Params):
    uids: list[Uid] = Field(min_length=1, max_length=1000)
    max_sharers: int = Field(ge=2, description="contact points with more sharers are only counted (credit policy)")
    as_of: date = Field(default_factory=date.today)
    k: int = Field(default=3, ge=1, le=6)
    types: list[Rel] = Field(default_factory=lambda: list(PARTY_TIES))

    _split_uids = field_validator("uids", mode="before")(_split)
    _split_types = field_validator("types", mode="before")(_split)
    _check_types = field_validator("types")(_rels_within(PARTY_TIES, "types"))


class RiskScan(BaseModel):
    uid: Uid
    known: bool
    own: int = Field(description="own violations in force")
    suspended: int = Field(description="own violations otherwise in force, suspended by a pending objection")
    surrounding: int = Field(description="violations in force of other subjects within k hops")
    surrounding_subjects: int
    historical: int = Field(description="own violations no longer in force (expired, repaired, revoked)")
    pending_objections: int
    shared_contact_subjects: int = Field(description="subjects sharing a contact point that is not crowded")
    crowded_contacts: int = Field(description="own contact points shared by more than max_sharers")


def risk_scan(store: Store, params: RiskScanParams) -> list[RiskScan]:
    """Own, surrounding, historical and warning counts per subject; a few statements for the whole list.

    Surrounding risk: a breadth-first traversal of every subject at once (one statement per hop),
    then one statement counting the violations in force of the parties each one reaches.
    """
    uids = list(dict.fromkeys(params.uids))
    rows = store.read(
        cypher("catalogue/risk_scan"),
        {
            "uids": uids,
            "as_of": params.as_of,
            "contact_types": [str(t) for t in CONTACT_LINKS],
            "max_sharers": params.max_sharers,
        },
    )
    known = {r["id"]: r["uid"] for r in store.read(cypher("catalogue/subjects_known"), {"uids": uids}) if r["known"]}
    reached = analytics.bfs_each(
        store, list(known), k=params.k, types=[str(t) for t in params.types], as_of=params.as_of
    )
    groups = [{"uid": known[start], "ids": sorted(ids)} for start, ids in reached.items()]
    around = {
        r["uid"]: r
        for r in store.read(cypher("catalogue/violations_in_force_of"), {"groups": groups, "as_of": params.as_of})
    }
    empty = {"surrounding": 0, "surrounding_subjects": 0}
    return [RiskScan.model_validate({**r, **{k: around.get(r["uid"], empty)[k] for k in empty}}) for r in rows]


# --- neighbourhood sub-graph ----------------------------------------------------------------------

NEIGHBOURHOOD_TYPES: tuple[Rel, ...] = (*PARTY_TIES, *CONTACT_LINKS, *IP_LINKS, Rel.COMMITTED, Rel.CONCERNS)


class NeighbourhoodParams(_Params):
    uid: Uid
    depth: int = Field(default=2, ge=1, le=4)
    max_nodes: int = Field(default=200, ge=1, le=2000)
    types: list[Rel] = Field(default_factory=lambda: list(NEIGHBOURHOOD_TYPES))
    as_of: date = Field(default_factory=date.today, description="only ties in force on this date")

    _split_types = field_validator("types", mode="before")(_split)
    _check_types = field_validator("types")(_rels_within(NEIGHBOURHOOD_TYPES, "types"))


class GraphNode(BaseModel):
    uid: Uid
    labels: list[str]
    name: str | None
    level: str | None = Field(description="level of the latest assessment, if any")
    status: str | None = None


class GraphLink(BaseModel):
    type: str
    start: Uid
    end: Uid
    properties: dict[str, Any]


class Neighbourhood(BaseModel):
    nodes: list[GraphNode]
    links: list[GraphLink]
    reachable: int = Field(description="nodes found within depth (when truncated: found before stopping)")
    truncated: bool


def neighbourhood(store: Store, params: NeighbourhoodParams) -> Neighbourhood:
    """The sub-graph around a subject for the visual pages, nearest nodes first, bounded by max_nodes."""
    starts = _require_subjects(store, [params.uid])
    types = [str(t) for t in params.types]
    found = analytics.bfs(store, starts, k=params.depth, types=types, max_nodes=params.max_nodes, as_of=params.as_of)
    ids = list(found.nodes)
    rows = {r["id"]: r for r in store.read(cypher("catalogue/neighbourhood"), {"ids": ids})}
    links = store.read(cypher("catalogue/links_among"), {"ids": ids, "types": types, "as_of": params.as_of})
    return Neighbourhood(
        nodes=[GraphNode.model_validate(rows[i]) for i in ids if i in rows],
        links=[GraphLink.model_validate(link) for link in links],
        reachable=found.discovered,
        truncated=found.truncated,
    )


# --- networkx analytics (graph.analytics) as named queries ----------------------------------------


class GroupsParams(_Params):
    seeds: list[Uid] = Field(min_length=1, max_length=1000)
    max_sharers: int = Field(ge=2, description="crowded contact points never join a group (credit policy)")
    k: int = Field(default=2, ge=1, le=4)
    types: list[Rel] = Field(default_factory=lambda: list(PARTY_TIES))
    include_contacts: bool = False
    max_nodes: int = Field(default=50_000, ge=1, le=1_000_000)

    _split_seeds = field_validator("seeds", mode="before")(_split)
    _split_types = field_validator("types", mode="before")(_split)
    _check_types = field_validator("types")(_rels_within(PARTY_TIES, "types"))


def groups(store: Store, params: GroupsParams) -> analytics.PartyGroups:
    """Related-party groups around the seeds (connected components in networkx)."""
    return analytics.related_party_groups(
        store,
        params.seeds,
        k=params.k,
        types=params.types,
        include_contacts=params.include_contacts,
        max_sharers=params.max_sharers,
        max_nodes=params.max_nodes,
    )


class CyclesParams(_Params):
    seeds: list[Uid] | None = Field(default=None, description="none: every link that can lie on a cycle")
    depth: int = Field(default=4, ge=1, le=6)
    max_length: int = Field(default=6, ge=2, le=12)
    max_cycles: int = Field(default=1000, ge=1, le=100_000)

    _split_seeds = field_validator("seeds", mode="before")(_split)


def cycles(store: Store, params: CyclesParams) -> analytics.HoldingCycles:
    """Circular shareholdings (simple cycles of SHAREHOLDER_OF in networkx)."""
    return analytics.circular_shareholdings(
        store, params.seeds, depth=params.depth, max_length=params.max_length, max_cycles=params.max_cycles
    )


class BrokersParams(_Params):
    as_of: date = Field(default_factory=date.today)
    min_clients: int = Field(default=2, ge=1)
    top: int = Field(default=100, ge=1, le=10_000)


def brokers(store: Store, params: BrokersParams) -> analytics.Brokers:
    """Agencies and agents central to many flagged subjects (client counts, betweenness)."""
    return analytics.brokers(store, params.as_of, min_clients=params.min_clients, top=params.top)


# --- the registry ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NamedQuery:
    """One catalogue entry: what it answers, its params model, its statement file and its runner.

    `policy_params` are required parameters whose value the credit policy holds; the CLI and the API
    fill them from the policy when the caller leaves them out.
    """

    name: str
    description: str
    params: type[_Params]
    statement: str
    runner: Callable[[Store, Any], BaseModel | list[Any]]
    policy_params: tuple[str, ...] = ()

    def validate(self, raw: Mapping[str, Any]) -> _Params:
        try:
            return self.params.model_validate(dict(raw))
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'params'}: {e['msg']}" for e in exc.errors())
            raise QueryParamsError(f"query {self.name!r}: {problems}") from exc

    def run(self, store: Store, raw: Mapping[str, Any]) -> BaseModel | list[Any]:
        return self.runner(store, self.validate(raw))


QUERIES: dict[str, NamedQuery] = {
    q.name: q
    for q in (
        NamedQuery(
            "related_parties",
            "Subjects within k hops over chosen registry-backed ties, with hop distance and a path.",
            RelatedPartiesParams,
            "catalogue/expand",
            related_parties,
        ),
        NamedQuery(
            "equity",
            "Equity penetration: shareholders up or investments down, ratio multiplied along paths, summed.",
            EquityParams,
            "catalogue/shareholders_up",
            equity,
        ),
        NamedQuery(
            "controllers",
            "Ultimate controllers / beneficial owners whose cumulative ratio reaches the policy threshold.",
            ControllersParams,
            "catalogue/controllers",
            controllers,
            ("threshold",),
        ),
        NamedQuery(
            "suspected_relations",
            "Suspected ties through shared addresses, phones, emails; crowded points skipped, others down-weighted.",
            SuspectedParams,
            "catalogue/suspected_relations",
            suspected_relations,
            ("max_sharers", "full_weight_up_to", "base_weight"),
        ),
        NamedQuery(
            "path",
            "Shortest path between two parties, up to a hop limit, optionally through contact points.",
            PathParams,
            "catalogue/shortest_path",
            shortest_path,
        ),
        NamedQuery(
            "paths",
            "Shortest paths for a list of pairs, or for every pair among a list of parties.",
            BatchPathParams,
            "catalogue/shortest_paths_batch",
            shortest_paths,
        ),
        NamedQuery(
            "agency_profile",
            "An agency's or agent's filings, the share tied to violations, and its people's violations.",
            AgencyProfileParams,
            "catalogue/agency_profile",
            agency_profile,
        ),
        NamedQuery(
            "risk_scan",
            "Own, surrounding, historical and warning counts for each subject in a list.",
            RiskScanParams,
            "catalogue/risk_scan",
            risk_scan,
            ("max_sharers",),
        ),
        NamedQuery(
            "neighbourhood",
            "The sub-graph around a subject (nodes with level, links), bounded by a node limit.",
            NeighbourhoodParams,
            "catalogue/neighbourhood",
            neighbourhood,
        ),
        NamedQuery(
            "groups",
            "Related-party groups around seed subjects (networkx components; crowded contact points never join).",
            GroupsParams,
            "catalogue/expand",
            groups,
            ("max_sharers",),
        ),
        NamedQuery(
            "cycles",
            "Circular shareholdings, around seed subjects or graph-wide (networkx simple cycles).",
            CyclesParams,
            "analytics/shareholding_cyclic",
            cycles,
        ),
        NamedQuery(
            "brokers",
            "Agencies and agents central to many subjects holding violations in force (networkx betweenness).",
            BrokersParams,
            "analytics/flagged_clients",
            brokers,
        ),
    )
}


def get_query(name: str) -> NamedQuery:
    """The catalogue entry called `name`, or a clear error listing the names there are."""
    try:
        return QUERIES[name]
    except KeyError:
        raise UnknownQueryError(f"no query {name!r}; the catalogue has: {', '.join(sorted(QUERIES))}") from None


def run_named(store: Store, name: str, raw: Mapping[str, Any]) -> list[Row]:
    """Validate `raw` with the query's model, run it and return JSON-friendly rows (for CLI and API)."""
    result = get_query(name).run(store, raw)
    items = result if isinstance(result, list) else [result]
    return [item.model_dump(mode="json") for item in items]
