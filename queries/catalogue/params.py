"""What every named query shares: the frozen params base, tie-kind checks, list splitting, path pieces.

Relationship types cannot be Cypher parameters; the statements match every link and keep those with
`type(r) IN $types`, and the params models accept only schema `Rel` members there, so no user text
reaches a type or label. Policy numbers (controller threshold, contact-point sharers and weight) have
no defaults in any params model: the caller passes the credit policy's values (`NamedQuery.policy_params`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from graph.schema import Rel

Uid = str


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def rels_within(allowed: Sequence[Rel], what: str) -> Callable[[list[Rel]], list[Rel]]:
    def check(value: list[Rel]) -> list[Rel]:
        wrong = [str(v) for v in value if v not in allowed]
        if wrong:
            raise ValueError(f"{what} must be among {[str(a) for a in allowed]}, got {wrong}")
        if not value:
            raise ValueError(f"give at least one of {[str(a) for a in allowed]}")
        return list(dict.fromkeys(value))

    return check


def split_list(value: Any) -> Any:
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
