"""The bridge from the routers to the layers below (credit model, query catalogue).

It turns their exceptions into API errors (unknown subject -> 404, bad parameters -> 422, workflow
conflicts -> 409), runs catalogue queries with the parameters the credit policy holds
(`credit.params`), and makes results JSON-ready with personal identifiers masked for the public role
(person names need one look-up: which uids are persons).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from pydantic import BaseModel, ValidationError

from api.auth import Caller, Role
from api.errors import ApiError
from api.masking import PublicMask
from credit.evaluate import SubjectNotFoundError, today
from credit.params import policy_params
from credit.policy import PolicyError, default_policy
from credit.workflow import StepRefusedError, WorkflowError
from graph.store import Store
from queries.catalogue import (
    NotAnAgencyError,
    QueryParamsError,
    UnknownQueryError,
    UnknownSubjectError,
    get_query,
)
from queries.publication import published_among
from queries.subjects import persons_among


@contextmanager
def domain_errors() -> Iterator[None]:
    """Map the lower layers' exceptions to API errors with the stable shape."""
    try:
        yield
    except UnknownSubjectError as exc:
        raise ApiError(404, str(exc), detail={"uids": exc.uids}) from exc
    except SubjectNotFoundError as exc:
        raise ApiError(404, str(exc)) from exc
    except UnknownQueryError as exc:
        raise ApiError(404, str(exc), code="unknown_query") from exc
    except NotAnAgencyError as exc:
        raise ApiError(404, str(exc), code="not_an_agency") from exc
    except QueryParamsError as exc:
        raise ApiError(422, str(exc), code="invalid_params") from exc
    except ValidationError as exc:
        errors = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in exc.errors()]
        raise ApiError(422, "invalid parameters; see detail", code="invalid_params", detail=errors) from exc
    except StepRefusedError as exc:
        raise ApiError(
            409, str(exc), code=exc.code, detail={"reasons": exc.reasons, "audit_event": exc.event_uid}
        ) from exc
    except WorkflowError as exc:
        message = str(exc)
        if message.startswith("no "):
            raise ApiError(404, message) from exc
        raise ApiError(409, message, code="conflict") from exc
    except PolicyError as exc:
        raise ApiError(500, f"the credit policy is invalid: {exc}", code="policy_error") from exc


def run_with_policy(store: Store, name: str, raw: dict[str, Any]) -> Any:
    """Run the named catalogue query, the credit policy's values filling what `raw` leaves out."""
    query = get_query(name)
    return query.run(store, policy_params(query, default_policy(), raw))


def jsonable(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value


def _uids_in(value: Any, found: set[str]) -> None:
    """Every string that may be a uid (has a colon, is short), also inside JSON stored in a string."""
    if isinstance(value, dict):
        for item in value.values():
            _uids_in(item, found)
    elif isinstance(value, list):
        for item in value:
            _uids_in(item, found)
    elif isinstance(value, str):
        if value[:1] in ("{", "[") and value[-1:] in ("}", "]"):
            with suppress(ValueError):
                _uids_in(json.loads(value), found)
        elif ":" in value and len(value) <= 400:
            found.add(value)


def public_view(store: Store, data: Any) -> Any:
    """JSON-ready `data` as the public role may see it (two look-ups: which uids are persons or their
    points, and which are records not published today: those are left out)."""
    uids: set[str] = set()
    _uids_in(data, uids)
    persons: list[str] = []
    private: list[str] = []
    records: frozenset[str] = frozenset()
    published: frozenset[str] = frozenset()
    if uids:
        among = persons_among(store, sorted(uids))
        persons, private = among.persons, among.private
        records, published = published_among(store, sorted(uids), today())
    return PublicMask(frozenset(persons), frozenset(private), records - published)(data)


def shown(store: Store, caller: Caller, value: Any) -> Any:
    """`value` as JSON for `caller`: unchanged above public; else as the public may see it (pages)."""
    data = jsonable(value)
    return data if caller.role > Role.PUBLIC else public_view(store, data)
