"""The credit policy, the behaviour catalogue and the measures, read from TOML data files.

The numbers live in `credit/*.toml` so that a regulator's change is a data change with a new policy
version, never a code change; pydantic checks the files so a typo fails loudly at load time.
"""

from __future__ import annotations

import calendar
import tomllib
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from graph.model import Level
from graph.schema import PARTY_TIES, Rel

HERE = Path(__file__).resolve().parent
MAX_K = 3  # the bound literally written in queries/credit/dishonesty_chains*.cypher


class PolicyError(ValueError):
    """A policy, catalogue or measures file is missing or invalid."""


class Severity(StrEnum):
    GENERAL = "general"
    SERIOUS = "serious"
    POSITIVE = "positive"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Behaviour(_Frozen):
    """One kind of record: how bad it is, how much it costs and for how long."""

    code: Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_.-]{0,40}$")]
    name_zh: str
    name_en: str
    category: str
    severity: Severity
    deduction: float
    months_in_force: Annotated[int, Field(ge=1, le=600)]
    subjects: Literal["all", "agency"] = "all"

    @model_validator(mode="after")
    def _sign(self) -> Behaviour:
        if (self.severity is Severity.POSITIVE) != (self.deduction < 0):
            raise ValueError(f"{self.code}: positive records (and only they) carry a negative deduction")
        return self


class Catalogue(_Frozen):
    behaviours: dict[str, Behaviour]

    def get(self, code: str) -> Behaviour | None:
        return self.behaviours.get(code)

    def months(self) -> dict[str, int]:
        return {code: b.months_in_force for code, b in self.behaviours.items()}


class Measure(_Frozen):
    """One supervision measure, named in both languages (the one home of its names)."""

    name_zh: str
    name_en: str


class LevelMeasures(_Frozen):
    level: Level
    label_en: str
    label_zh: str
    inspection_en: str
    inspection_zh: str
    measures: list[Measure]


class Levels(_Frozen):
    a_plus_above: float
    a_from: float
    b_from: float
    c_from: float

    @model_validator(mode="after")
    def _ordered(self) -> Levels:
        if not self.a_plus_above >= self.a_from > self.b_from > self.c_from:
            raise ValueError("level thresholds must descend: a_plus_above >= a_from > b_from > c_from")
        return self

    def level(self, score: float) -> Level:
        if score > self.a_plus_above:
            return Level.A_PLUS
        if score >= self.a_from:
            return Level.A
        if score >= self.b_from:
            return Level.B
        if score >= self.c_from:
            return Level.C
        return Level.D


Weight = Annotated[float, Field(ge=0, le=1)]


def _check_ties(weights: dict[str, float]) -> dict[str, float]:
    unknown = set(weights) - {str(t) for t in PARTY_TIES}
    if unknown:
        raise ValueError(f"tie weights for unknown party ties: {sorted(unknown)}")
    return weights


class Suspected(_Frozen):
    weight: Weight
    full_weight_up_to: Annotated[int, Field(ge=2)]
    skip_above: Annotated[int, Field(ge=2)]

    @model_validator(mode="after")
    def _order(self) -> Suspected:
        if self.skip_above < self.full_weight_up_to:
            raise ValueError("suspected.skip_above must be >= full_weight_up_to")
        return self


class Chains(_Frozen):
    k: Annotated[int, Field(ge=1, le=MAX_K)]
    decay: Annotated[float, Field(gt=0, le=1)]
    missing_ratio: Weight
    control_ratio: Weight
    hub_skip_above: Annotated[int, Field(ge=1)]
    min_strength: Weight
    max_chains: Annotated[int, Field(ge=1, le=100_000)]
    tie_weights: dict[str, Weight]
    suspected: Suspected

    @field_validator("tie_weights")
    @classmethod
    def _ties(cls, value: dict[str, float]) -> dict[str, float]:
        missing = {str(t) for t in PARTY_TIES} - set(value)
        if missing:
            raise ValueError(f"tie weights missing for {sorted(missing)}")
        return _check_ties(value)


class Linked(_Frozen):
    scale: Annotated[float, Field(ge=0)]
    diminishing: Annotated[float, Field(ge=0, le=1)]
    cap: Annotated[float, Field(ge=0)]
    min_contribution: Annotated[float, Field(ge=0)]


class TimeOrder(_Frozen):
    enabled: bool
    after_factor: Annotated[float, Field(gt=0)]
    cap_level: Level
    cap_max_hops: Annotated[int, Field(ge=1, le=MAX_K)]
    cap_ties: list[Rel]

    @field_validator("cap_ties")
    @classmethod
    def _party(cls, value: list[Rel]) -> list[Rel]:
        bad = [t for t in value if t not in PARTY_TIES]
        if bad:
            raise ValueError(f"time_order.cap_ties must be party ties, got {bad}")
        return value


class Controller(_Frozen):
    threshold: Annotated[float, Field(gt=0, le=1)]


class AgencyVariant(_Frozen):
    linked_scale: Annotated[float, Field(ge=0)]
    cap: Annotated[float, Field(ge=0)]
    tie_weights: dict[str, Weight] = Field(default_factory=dict)

    @field_validator("tie_weights")
    @classmethod
    def _ties(cls, value: dict[str, float]) -> dict[str, float]:
        return _check_ties(value)


class Objection(_Frozen):
    suspends: bool
    review_days: Annotated[int, Field(ge=1)]


class Repair(_Frozen):
    ordinary_wait_months: Annotated[int, Field(ge=0)]
    serious_wait_months: Annotated[int, Field(ge=0)]
    require_penalty_done: bool
    forbid_same_kind_since: bool
    months_between_repairs: Annotated[int, Field(ge=0)]


class Veto(_Frozen):
    serious_level: Level


class UnknownBehaviour(_Frozen):
    """How a record whose code is not in the catalogue is graded (and flagged in its factor)."""

    severity: Severity
    deduction: float
    months_in_force: Annotated[int, Field(ge=1, le=600)]


class Policy(_Frozen):
    """A versioned credit policy plus the behaviour catalogue and measures it grades with."""

    version: Annotated[str, Field(min_length=1, max_length=50)]
    base_score: float
    levels: Levels
    veto: Veto
    chains: Chains
    linked: Linked
    time_order: TimeOrder
    controller: Controller
    agency: AgencyVariant
    objection: Objection
    repair: Repair
    unknown_behaviour: UnknownBehaviour
    catalogue: Catalogue = Catalogue(behaviours={})
    measures: dict[Level, LevelMeasures] = Field(default_factory=dict)

    def tie_weights(self, *, agency: bool) -> dict[str, float]:
        """Tie type -> weight, with the agency variant's overrides for agencies and agents."""
        weights = dict(self.chains.tie_weights)
        if agency:
            weights.update(self.agency.tie_weights)
        return weights


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _read(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise PolicyError(f"policy file not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{path}: not valid TOML: {exc}") from exc


def load_policy(
    policy_file: Path | None = None, behaviours_file: Path | None = None, measures_file: Path | None = None
) -> Policy:
    """Read and validate the three files; the defaults are the ones shipped in `credit/`."""
    policy_path = policy_file or HERE / "policy.toml"
    behaviours_path = behaviours_file or HERE / "behaviours.toml"
    measures_path = measures_file or HERE / "measures.toml"
    try:
        raw_behaviours = _read(behaviours_path).get("behaviour", [])
        behaviours = [Behaviour.model_validate(b) for b in raw_behaviours]  # type: ignore[attr-defined]
        codes = [b.code for b in behaviours]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise PolicyError(f"{behaviours_path}: duplicate behaviour codes {duplicates}")
        raw_measures = _read(measures_path).get("level", [])
        measures = [LevelMeasures.model_validate(m) for m in raw_measures]  # type: ignore[attr-defined]
        missing = set(Level) - {m.level for m in measures}
        if missing:
            raise PolicyError(f"{measures_path}: no measures for levels {sorted(missing)}")
        return Policy.model_validate(
            {
                **_read(policy_path),
                "catalogue": Catalogue(behaviours={b.code: b for b in behaviours}),
                "measures": {m.level: m for m in measures},
            }
        )
    except ValidationError as exc:
        raise PolicyError(f"invalid credit policy ({policy_path}): {exc}") from exc


@cache
def default_policy() -> Policy:
    """The shipped policy, read once per process."""
    return load_policy()
