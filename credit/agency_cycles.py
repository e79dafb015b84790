"""Agency evaluation cycles (the patent-agency credit evaluation: a collection period, then a published
result list). The indicators come from the graph: filings per agent against the median over all
agencies, the share of filings tied to records in force, the records in force of the agency's agents
and controllers. Those the rules name become records of the cycle (evidenced by it, one per cycle,
agency and behaviour); every agency is then graded with the agency variant of the policy, like any
write (the maintained state, the change feed, measures), and the result list is stored and published.

`findings` is pure; `evaluate_cycle` fetches, writes and re-grades through `queries`.
"""

from __future__ import annotations

import json
import statistics
import uuid
from bisect import bisect_right
from datetime import UTC, date, datetime

from pydantic import BaseModel

from credit.freshness import regrade
from credit.grading import LEVEL_ORDER
from credit.policy import Policy, default_policy
from credit.states import Cause
from credit.supervision_rules import AgencyCycleRules, SupervisionRules, default_rules
from credit.workflow import WorkflowError, touched_subjects
from graph.store import Store
from queries.agencies import (
    CycleRecord,
    IndicatorRow,
    StoredCycle,
    indicators,
    open_cycle,
    record_findings,
    store_cycle,
    stored_cycle,
)


class Indicators(IndicatorRow):
    """An agency's indicators, with where it stands among all agencies."""

    per_agent: float  # filings per agent (an agency without agents: per one)
    per_agent_vs_median: float | None  # per_agent / the median over agencies with filings
    per_agent_percentile: float  # share of agencies with filings at or below this one's per_agent
    flagged_share: float


class CycleEntry(BaseModel):
    agency_uid: str
    name: str | None = None
    credit_code: str | None = None
    level: str
    score: float
    indicators: Indicators
    findings: list[str]  # behaviour codes the cycle found (records of this cycle)


class CycleResult(BaseModel):
    uid: str
    period: int
    collection_from: date
    collection_to: date
    evaluated_on: date
    policy_version: str
    median_per_agent: float | None
    records_made: int  # new records (0 on a second run)
    entries: list[CycleEntry]  # worst level first, then lowest score


def cycle_uid(period: int) -> str:
    return f"agency-cycle:{period}"


def standing(rows: list[IndicatorRow]) -> tuple[list[Indicators], float | None]:
    """Each agency's indicators with where it stands, and the median filings per agent."""
    per = {r.uid: r.filings / max(1, r.agents) for r in rows}
    active = sorted(per[r.uid] for r in rows if r.filings > 0)
    median = statistics.median(active) if active else None
    out = [
        Indicators(
            **r.model_dump(),
            per_agent=round(per[r.uid], 3),
            per_agent_vs_median=round(per[r.uid] / median, 3) if median else None,
            per_agent_percentile=round(bisect_right(active, per[r.uid]) / len(active), 3) if active else 0.0,
            flagged_share=round(r.flagged / r.filings, 3) if r.filings else 0.0,
        )
        for r in rows
    ]
    return out, median


def findings(agencies: list[Indicators], rules: AgencyCycleRules) -> dict[str, list[CycleRecord]]:
    """The records the rules make of the agencies' indicators (agency -> records; uids left to the cycle)."""
    found: dict[str, list[CycleRecord]] = {}
    for ind in agencies:
        if ind.filings < rules.min_filings:
            continue
        if ind.per_agent_vs_median is not None and ind.per_agent_vs_median > rules.filings_per_agent.over_median:
            found.setdefault(ind.uid, []).append(
                CycleRecord(
                    uid="",
                    agency=ind.uid,
                    behaviour_code=rules.filings_per_agent.code,
                    description=f"{ind.per_agent} filings per agent, {ind.per_agent_vs_median} x the median of all "
                    f"agencies (above {rules.filings_per_agent.over_median})",
                )
            )
        if ind.flagged_share > rules.flagged_share.above:
            found.setdefault(ind.uid, []).append(
                CycleRecord(
                    uid="",
                    agency=ind.uid,
                    behaviour_code=rules.flagged_share.code,
                    description=f"{ind.flagged} of {ind.filings} filings ({ind.flagged_share}) tied to records in "
                    f"force (above {rules.flagged_share.above})",
                )
            )
    return found


def evaluate_cycle(
    store: Store,
    period: int,
    as_of: date,
    *,
    actor: str,
    policy: Policy | None = None,
    rules: SupervisionRules | None = None,
) -> CycleResult:
    """Run the cycle of `period` as of `as_of` (clipped to the collection end); store and publish it."""
    policy, rules = policy or default_policy(), rules or default_rules()
    collection = rules.agency_cycle.collection(period)
    if as_of < collection[0]:
        raise WorkflowError(f"the collection period of {period} starts on {collection[0]}")
    on = min(as_of, collection[1])
    uid, now = cycle_uid(period), datetime.now(UTC)
    open_cycle(store, uid=uid, period=period, collection=collection, now=now)
    rows = indicators(
        store,
        as_of=on,
        until=collection[1],
        months=policy.catalogue.months(),
        default_months=policy.unknown_behaviour.months_in_force,
    )
    agencies, median = standing(rows)
    found = findings(agencies, rules.agency_cycle)
    records = [
        r.model_copy(update={"uid": f"{uid}:{r.agency}:{r.behaviour_code}"}) for rs in found.values() for r in rs
    ]
    made = record_findings(store, records, cycle_uid=uid, decided_on=on, authority=f"agency evaluation cycle {period}")
    causes = {ind.uid: Cause(kind="cycle", uid=uid) for ind in agencies}
    for record in records:
        for touched in touched_subjects(store, record.uid, record.agency, policy, on):
            causes.setdefault(touched, Cause(kind="record", uid=record.uid))
    graded = {e.subject_uid: e for e in regrade(store, causes, as_of=on, policy=policy).evaluations}
    codes = {agency: [r.behaviour_code for r in rs] for agency, rs in found.items()}
    entries = [
        CycleEntry(
            agency_uid=ind.uid,
            name=ind.name,
            credit_code=ind.credit_code,
            level=graded[ind.uid].level.value,
            score=graded[ind.uid].score,
            indicators=ind,
            findings=codes.get(ind.uid, []),
        )
        for ind in agencies
    ]
    order = [lv.value for lv in LEVEL_ORDER]
    entries.sort(key=lambda e: (order.index(e.level), e.score, e.agency_uid))
    result = CycleResult(
        uid=uid,
        period=period,
        collection_from=collection[0],
        collection_to=collection[1],
        evaluated_on=on,
        policy_version=policy.version,
        median_per_agent=median,
        records_made=made,
        entries=entries,
    )
    store_cycle(
        store,
        {
            "uid": uid,
            "evaluated_on": on,
            "version": policy.version,
            "results": result.model_dump_json(),
            "agencies": len(entries),
            "actor": actor,
            "event_uid": f"audit:{uuid.uuid4().hex}",
            "now": now,
            "detail": f"agency cycle {period}: {len(entries)} agencies graded, {made} new record(s)",
        },
    )
    return result


def published(store: Store, *, period: int | None = None, as_of: date | None = None) -> CycleResult | None:
    """A stored cycle's result list: by period, or the latest published by `as_of`."""
    found: StoredCycle | None = stored_cycle(store, period=period, as_of=as_of)
    return None if found is None else CycleResult.model_validate(json.loads(found.results))
