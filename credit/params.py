"""Which statement parameter comes from which policy field: the chains' weights and limits, the
records' months in force, and the catalogue queries' policy-held values. One home for that mapping,
so `queries/` takes plain values and the policy stays data."""

from __future__ import annotations

from datetime import date
from typing import Any

from credit.policy import Policy, Severity
from queries.catalogue import NamedQuery
from queries.chains import ChainParams
from queries.credit import RecordParams


def chain_params(policy: Policy, as_of: date) -> ChainParams:
    """The chain statements' parameters from the policy: weights as maps, so the policy stays data."""
    catalogue = policy.catalogue.behaviours
    return ChainParams(
        as_of=as_of,
        k=policy.chains.k,
        weights=policy.tie_weights(agency=False),
        agency_weights=policy.tie_weights(agency=True),
        decay=policy.chains.decay,
        missing_ratio=policy.chains.missing_ratio,
        control_ratio=policy.chains.control_ratio,
        suspected_weight=policy.chains.suspected.weight,
        full_up_to=policy.chains.suspected.full_weight_up_to,
        skip_above=policy.chains.suspected.skip_above,
        hub_skip_above=policy.chains.hub_skip_above,
        after_factor=policy.time_order.after_factor if policy.time_order.enabled else 1.0,
        min_strength=policy.chains.min_strength,
        max_chains=policy.chains.max_chains,
        months=policy.catalogue.months(),
        default_months=policy.unknown_behaviour.months_in_force,
        positive_codes=[c for c, b in catalogue.items() if b.severity is Severity.POSITIVE],
    )


def record_params(policy: Policy, as_of: date) -> RecordParams:
    """The record statements' parameters: the day and each behaviour's months in force."""
    return RecordParams(
        as_of=as_of, months=policy.catalogue.months(), default_months=policy.unknown_behaviour.months_in_force
    )


def policy_params(query: NamedQuery, policy: Policy, raw: dict[str, Any]) -> dict[str, Any]:
    """`raw` with the parameters the credit policy holds filled in when the caller left them out."""
    values: dict[str, Any] = {
        "threshold": policy.controller.threshold,
        "max_sharers": policy.chains.suspected.skip_above,
        "full_weight_up_to": policy.chains.suspected.full_weight_up_to,
        "base_weight": policy.chains.suspected.weight,
    }
    return {**{name: values[name] for name in query.policy_params if name in values}, **raw}
