"""The shapes every answer shares: the list envelope and the figures shown rounded.

`Page[T]` is the one list envelope (`{"items": [...], "total": N}`): `total` counts every item the
request selects, of which `items` is the part returned (all of them when nothing is paged or capped).

`Figure` marks a computed score or weight on a result model. It serialises as computed, except while
`showing()` is in force (the HTTP API turns it on for each request): then JSON gets it rounded to
`SHOWN_DECIMALS`. One rule for every answer: no route rounds by hand and nothing stored is altered.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, Field, PlainSerializer

SHOWN_DECIMALS = 3

_showing: ContextVar[bool] = ContextVar("ipcredit_showing_figures", default=False)


def _serialise(value: float) -> float:
    return round(value, SHOWN_DECIMALS) if _showing.get() else value


Figure = Annotated[float, PlainSerializer(_serialise, return_type=float, when_used="json")]


@contextmanager
def showing() -> Iterator[None]:
    """Within this block (and the tasks and worker threads started from it), figures serialise rounded."""
    token = _showing.set(True)
    try:
        yield
    finally:
        _showing.reset(token)


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """A list result: the items returned and how many the request selects in all."""

    items: list[T]
    total: int = Field(ge=0, description="How many items the request selects (items may be a part of them)")

    @classmethod
    def of(cls, items: Sequence[T], total: int | None = None) -> Page[T]:
        """Every item selected (`total` = their number), or a part of `total` ones."""
        return cls(items=list(items), total=len(items) if total is None else total)
