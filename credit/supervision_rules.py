"""The supervision-by-level rules (`credit/supervision_measures.toml`): the commitment route, the measures
each level starts and the departments executing them, and the agency cycle's indicators.

Read and checked against the credit policy once, so a measure naming a text its level does not have,
an unknown department or a behaviour code not in the catalogue fails at load time, not in a run.
"""

from __future__ import annotations

import tomllib
from datetime import date
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from credit.policy import HERE, Policy, PolicyError, Severity, default_policy
from graph.model import Level

Code = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{0,40}$")]
MonthDay = Annotated[str, Field(pattern=r"^\d{2}-\d{2}$")]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CommitmentRoute(_Frozen):
    refused_levels: list[Level]
    refuse_serious_in_force: bool
    kept_code: str
    broken_code: str


class Department(_Frozen):
    name_en: str
    name_zh: str


class AppliedRule(_Frozen):
    """A measure a level starts: which text, executed by whom, for how long, and when it applies."""

    id: Code
    level: Level
    measure: str
    department: Code
    months: Annotated[int, Field(ge=1, le=120)]
    when: Literal["always", "serious"] = "always"


class FilingsPerAgent(_Frozen):
    code: str
    over_median: Annotated[float, Field(gt=1)]


class FlaggedShare(_Frozen):
    code: str
    above: Annotated[float, Field(gt=0, le=1)]


class AgencyCycleRules(_Frozen):
    collection_start: MonthDay
    collection_end: MonthDay
    min_filings: Annotated[int, Field(ge=1)]
    filings_per_agent: FilingsPerAgent
    flagged_share: FlaggedShare

    def collection(self, year: int) -> tuple[date, date]:
        """The collection period of the cycle of `year`."""
        start = date.fromisoformat(f"{year:04d}-{self.collection_start}")
        end = date.fromisoformat(f"{year:04d}-{self.collection_end}")
        return start, end


class SupervisionRules(_Frozen):
    commitment: CommitmentRoute
    departments: dict[Code, Department]
    applied: list[AppliedRule]
    agency_cycle: AgencyCycleRules

    @model_validator(mode="after")
    def _unique(self) -> SupervisionRules:
        ids = [r.id for r in self.applied]
        if len(ids) != len(set(ids)):
            raise ValueError(f"duplicate applied measure ids: {sorted({i for i in ids if ids.count(i) > 1})}")
        unknown = sorted({r.department for r in self.applied} - set(self.departments))
        if unknown:
            raise ValueError(f"applied measures name unknown departments: {unknown}")
        return self

    def check(self, policy: Policy) -> SupervisionRules:
        """These rules against the policy: measure texts of their level, codes in the catalogue."""
        problems = [
            f"{r.id}: {r.measure!r} is not a measure of level {r.level} in measures.toml"
            for r in self.applied
            if r.measure not in {m.name_en for m in policy.measures[r.level].measures}
        ]
        codes = {
            self.commitment.kept_code: Severity.POSITIVE,
            self.commitment.broken_code: None,
            self.agency_cycle.filings_per_agent.code: None,
            self.agency_cycle.flagged_share.code: None,
        }
        for code, severity in codes.items():
            behaviour = policy.catalogue.get(code)
            if behaviour is None:
                problems.append(f"behaviour {code} is not in behaviours.toml")
            elif severity is not None and behaviour.severity is not severity:
                problems.append(f"behaviour {code} must be {severity}")
        if problems:
            raise PolicyError("supervision_measures.toml: " + "; ".join(problems))
        return self


def load_rules(path: Path | None = None, policy: Policy | None = None) -> SupervisionRules:
    """Read and validate the rules file (default: the one shipped in `credit/`)."""
    path = path or HERE / "supervision_measures.toml"
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
        return SupervisionRules.model_validate(raw).check(policy or default_policy())
    except FileNotFoundError as exc:
        raise PolicyError(f"supervision rules not found: {path}") from exc
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise PolicyError(f"{path}: invalid supervision rules: {exc}") from exc


@cache
def default_rules() -> SupervisionRules:
    """The shipped rules, read once per process."""
    return load_rules()
