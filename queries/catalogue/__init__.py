"""The query catalogue: the named queries an investigator runs by name, by subject.

`params` (what every query shares), `parties` (related parties, suspected ties, paths, groups), `equity`
(penetration, controllers, circular holdings), `profiles` (agencies and agents, risk scans, brokers),
`neighbourhood` (the sub-graph around subjects) and `registry` (the names the CLI `ipcredit query` and
`GET /queries` run). Each runner takes a validated params model and returns pydantic results; the
statements of the catalogue live beside its modules, in `queries/catalogue/*.cypher`.
"""

from queries.catalogue.profiles import NotAnAgencyError
from queries.catalogue.registry import QUERIES, NamedQuery, QueryParamsError, UnknownQueryError, get_query, run_named
from queries.traversal import UnknownSubjectError

__all__ = [
    "QUERIES",
    "NamedQuery",
    "NotAnAgencyError",
    "QueryParamsError",
    "UnknownQueryError",
    "UnknownSubjectError",
    "get_query",
    "run_named",
]
