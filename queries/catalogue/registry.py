"""The registry of named queries: what each answers, its params model, statement and runner.

The CLI (`ipcredit query`) and the HTTP API (`GET /queries`, `POST /queries/{name}`) run them by name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from graph.store import Row, Store
from queries.catalogue import equity, neighbourhood, parties, profiles
from queries.catalogue.params import Params


class UnknownQueryError(LookupError):
    """A name that is not in the catalogue."""


class QueryParamsError(ValueError):
    """Parameters that do not fit a named query's params model; the message lists every problem."""


@dataclass(frozen=True)
class NamedQuery:
    """One catalogue entry: what it answers, its params model, its statement file and its runner.

    `policy_params` are required parameters whose value the credit policy holds; the CLI and the API
    fill them from the policy when the caller leaves them out.
    """

    name: str
    description: str
    params: type[Params]
    statement: str
    runner: Callable[[Store, Any], BaseModel | list[Any]]
    policy_params: tuple[str, ...] = ()

    def validate(self, raw: Mapping[str, Any]) -> Params:
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
            parties.RelatedPartiesParams,
            "traversal/expand",
            parties.related_parties,
        ),
        NamedQuery(
            "equity",
            "Equity penetration: shareholders up or investments down, ratio multiplied along paths, summed.",
            equity.EquityParams,
            "catalogue/shareholders_up",
            equity.equity,
        ),
        NamedQuery(
            "controllers",
            "Ultimate controllers / beneficial owners whose cumulative ratio reaches the policy threshold.",
            equity.ControllersParams,
            "catalogue/controllers",
            equity.controllers,
            ("threshold",),
        ),
        NamedQuery(
            "suspected_relations",
            "Suspected ties through shared addresses, phones, emails; crowded points skipped, others down-weighted.",
            parties.SuspectedParams,
            "catalogue/suspected_relations",
            parties.suspected_relations,
            ("max_sharers", "full_weight_up_to", "base_weight"),
        ),
        NamedQuery(
            "path",
            "Shortest path between two parties, up to a hop limit, optionally through contact points.",
            parties.PathParams,
            "catalogue/shortest_path",
            parties.shortest_path,
        ),
        NamedQuery(
            "paths",
            "Shortest paths for a list of pairs, or for every pair among a list of parties.",
            parties.BatchPathParams,
            "catalogue/shortest_paths_batch",
            parties.shortest_paths,
        ),
        NamedQuery(
            "agency_profile",
            "An agency's or agent's filings, the share tied to violations, and its people's violations.",
            profiles.AgencyProfileParams,
            "catalogue/agency_profile",
            profiles.agency_profile,
        ),
        NamedQuery(
            "risk_scan",
            "Own, surrounding, historical and warning counts for each subject in a list.",
            profiles.RiskScanParams,
            "catalogue/risk_scan",
            profiles.risk_scan,
            ("max_sharers",),
        ),
        NamedQuery(
            "neighbourhood",
            "The sub-graph around a subject (nodes with level, links), bounded by a node limit.",
            neighbourhood.NeighbourhoodParams,
            "catalogue/neighbourhood",
            neighbourhood.neighbourhood,
        ),
        NamedQuery(
            "groups",
            "Related-party groups around seed subjects (networkx components; crowded contact points never join).",
            parties.GroupsParams,
            "traversal/expand",
            parties.groups,
            ("max_sharers",),
        ),
        NamedQuery(
            "cycles",
            "Circular shareholdings, around seed subjects or graph-wide (networkx simple cycles).",
            equity.CyclesParams,
            "analytics/shareholding_cyclic",
            equity.cycles,
        ),
        NamedQuery(
            "brokers",
            "Agencies and agents central to many subjects holding violations in force (networkx betweenness).",
            profiles.BrokersParams,
            "analytics/flagged_clients",
            profiles.brokers,
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
