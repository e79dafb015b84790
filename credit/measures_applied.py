"""Measures applied, not only listed: entering a level starts the measures the rules give it (some
only while a serious record is in force), each executed by a department for a planned period;
leaving the level ends them. Departments record execution feedback (joint punishment, 联合惩戒).

`wanted` is pure (an evaluation and the rules in, the measures it calls for out); `apply_measures`
runs where every write path stores its evaluations (`credit.states.store_evaluations`), so a load, a
workflow step, a classification or a policy change starts and ends measures alike.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import BaseModel, Field

from credit.grading import Evaluation
from credit.policy import Severity, add_months
from credit.supervision_rules import SupervisionRules, default_rules
from graph.store import Store, Tx
from queries.measures import (
    AppliedMeasure,
    MeasureRow,
    Reconciled,
    Wanted,
    feedback_in,
    reconcile,
    with_measure_locked,
)


class MeasureError(ValueError):
    """Feedback that cannot be recorded (another department's measure)."""


def serious_in_force(evaluation: Evaluation) -> bool:
    return any(r.counted and r.severity == Severity.SERIOUS.value for r in evaluation.records)


def wanted(evaluation: Evaluation, rules: SupervisionRules) -> list[Wanted]:
    """The measures the evaluation's level calls for (those `when = "serious"` only with a serious record)."""
    serious = serious_in_force(evaluation)
    return [
        Wanted(
            key=f"{rule.level}|{rule.id}",
            rule=rule.id,
            level=rule.level.value,
            measure=rule.measure,
            department=rule.department,
            planned_end=add_months(evaluation.as_of, rule.months),
        )
        for rule in rules.applied
        if rule.level is evaluation.level and (rule.when == "always" or serious)
    ]


def apply_measures(
    store: Store,
    evaluations: Iterable[Evaluation],
    *,
    version: str,
    now: datetime,
    rules: SupervisionRules | None = None,
) -> Reconciled:
    """Start the measures each subject's level calls for and end those it no longer does."""
    rules = rules or default_rules()
    rows = (
        MeasureRow(uid=e.subject_uid, on=e.as_of, level=e.level.value, wanted=wanted(e, rules)) for e in evaluations
    )
    return reconcile(store, rows, version=version, now=now)


class FeedbackRequest(BaseModel):
    measure_uid: str
    department: Annotated[str, Field(min_length=1, max_length=60)]
    text: Annotated[str, Field(min_length=1, max_length=2000)]
    actor: Annotated[str, Field(min_length=1, max_length=200)]
    on: date


class FeedbackResult(BaseModel):
    measure_uid: str
    feedback_uid: str
    event_uid: str
    on: date


def record_feedback(store: Store, request: FeedbackRequest) -> FeedbackResult:
    """A department's execution feedback on a measure it executes, audited in the same transaction."""
    feedback_uid, event_uid = f"feedback:{uuid.uuid4().hex}", f"audit:{uuid.uuid4().hex}"

    def step(tx: Tx, department: str) -> None:
        if department != request.department:
            raise MeasureError(
                f"measure {request.measure_uid} is executed by {department!r}, not {request.department!r}"
            )
        params = {
            "uid": request.measure_uid,
            "feedback_uid": feedback_uid,
            "event_uid": event_uid,
            "on": request.on,
            "text": request.text,
            "actor": request.actor,
            "now": datetime.now(UTC),
        }
        feedback_in(tx, params)

    with_measure_locked(store, request.measure_uid, step)
    return FeedbackResult(
        measure_uid=request.measure_uid, feedback_uid=feedback_uid, event_uid=event_uid, on=request.on
    )


CSV_COLUMNS = (
    "uid",
    "subject_uid",
    "name",
    "credit_code",
    "level",
    "measure",
    "department",
    "started_on",
    "planned_end",
    "ended_on",
    "end_reason",
    "feedback",
)


def measures_csv(items: Iterable[AppliedMeasure]) -> str:
    """The measures as CSV for the executing department (feedback as `date: text` lines in one cell)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for m in items:
        data = m.model_dump(mode="json")
        data["feedback"] = "\n".join(f"{f.on}: {f.text}" for f in m.feedback)
        writer.writerow(["" if data[c] is None else data[c] for c in CSV_COLUMNS])
    return out.getvalue()
