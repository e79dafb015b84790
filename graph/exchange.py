"""The exchange format's field sets (`credit/exchange.toml`), validated once for the writer (`credit`) and
the reader (`loaders`): loaders may import only `graph`, so the one parser of the mapping lives here.

The behaviour vocabulary the reader checks 违法行为类型 against (a code, or its 中文 name) is read from the
credit catalogue file `credit/behaviours.toml` for the same reason: the file stays the one home of the
codes; the credit policy validates the rest of it.
"""

from __future__ import annotations

import tomllib
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

CREDIT = Path(__file__).resolve().parents[1] / "credit"
_FIELD = r"^(subject|record|publication|change|entry)\.[a-z0-9_]+$"


class ExchangeKind(StrEnum):
    PENALTIES = "penalties"
    LEVELS = "levels"
    REPAIRS = "repairs"
    LISTS = "lists"


class HolderKind(StrEnum):
    COMPANY = "company"
    INDIVIDUAL_BUSINESS = "individual_business"  # 个体工商户: a company (a credit code of its prefix)
    PERSON = "person"


class Column(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    column: Annotated[str, Field(min_length=1, max_length=100)]
    field: Annotated[str, Field(pattern=_FIELD)]
    public: bool


class KindFormat(BaseModel):
    """The columns of one kind, in order."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    field: list[Column]
    holder_kinds: dict[HolderKind, str] = Field(default_factory=dict)  # penalties: each kind's 行政相对人类别
    individual_business_prefix: str | None = None

    @model_validator(mode="after")
    def _unique(self) -> KindFormat:
        for what in ("column", "field"):
            values = [getattr(c, what) for c in self.field]
            if len(set(values)) != len(values):
                raise ValueError(f"a {what} appears twice")
        return self

    @property
    def columns(self) -> list[str]:
        return [c.column for c in self.field]

    def column_of(self, field: str) -> str:
        return next(c.column for c in self.field if c.field == field)


class ExchangeFormat(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    penalties: KindFormat
    levels: KindFormat
    repairs: KindFormat
    lists: KindFormat

    def of(self, kind: ExchangeKind) -> KindFormat:
        fmt: KindFormat = getattr(self, kind.value)
        return fmt


@cache
def exchange_format(path: Path | None = None) -> ExchangeFormat:
    """The field sets of `credit/exchange.toml` (or `path`), validated."""
    with (path or CREDIT / "exchange.toml").open("rb") as fh:
        return ExchangeFormat.model_validate(tomllib.load(fh))


@cache
def behaviour_vocabulary(path: Path | None = None) -> dict[str, str]:
    """Every behaviour code and 中文 name of the catalogue -> its code (how 违法行为类型 may be given)."""
    with (path or CREDIT / "behaviours.toml").open("rb") as fh:
        behaviours = tomllib.load(fh)["behaviour"]
    out: dict[str, str] = {}
    for b in behaviours:
        out[b["code"]] = b["code"]
        if b.get("name_zh"):
            out.setdefault(b["name_zh"], b["code"])
    return out
