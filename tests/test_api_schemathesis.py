"""Property-based requests from the OpenAPI spec (schemathesis): no operation answers a server error.

Runs with an admin key so every operation is reached past its role check, over the hand-built graph;
`POST /load` is left out (it reads server paths). Examples per operation are bounded (about a minute).
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok

from api.app import create_app
from graph.store import Store
from tests.api_fixtures import HEADERS, api_settings, graph

__all__ = ["graph"]
EXAMPLES = 8


def test_no_server_errors(graph: Store) -> None:
    app = create_app(api_settings(), store=graph)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"the OpenAPI spec has an invalid operation: {result}"
        operation = result.ok()
        if operation.path == "/load":
            continue
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
        )
        def run(case: Any) -> None:
            case.call_and_validate(headers=HEADERS["admin"], checks=[not_a_server_error])

        try:
            run()
        except Exception as exc:  # collect every failing operation, then report them all
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:800]}")
    assert operations >= 25
    assert failures == [], "\n\n".join(failures)
