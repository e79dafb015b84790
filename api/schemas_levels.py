"""HTTP bodies for supervision that acts on levels: credit commitments, measure feedback, agency cycles."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from credit.commitments import Outcome


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")
    by: str | None = Field(default=None, max_length=150, description="Name of the person acting (audited)")


class CommitmentBody(_Body):
    subject_uid: str = Field(min_length=1, max_length=400)
    matter: str = Field(min_length=1, max_length=400, description="What the commitment is for")
    text: str = Field(min_length=1, max_length=4000, description="The commitment as made (stored as given)")
    made_on: date | None = Field(default=None, description="When it was made; today when omitted")
    due_by: date
    office: str = Field(min_length=1, max_length=400, description="The office that verifies it")


class VerifyBody(_Body):
    outcome: Outcome
    reason: str = Field(min_length=1, max_length=4000, description="What the verification found")
    on: date | None = Field(default=None, description="Day of the verification; today when omitted")
    doc_number: str | None = Field(default=None, max_length=400)


class FeedbackBody(_Body):
    department: str = Field(min_length=1, max_length=60, description="The executing department's code")
    text: str = Field(min_length=1, max_length=2000, description="What the department did")
    on: date | None = None


FIRST_PERIOD, LAST_PERIOD = 2000, 2100  # the years a cycle may name, in the body and in the path


class CycleBody(_Body):
    period: int = Field(ge=FIRST_PERIOD, le=LAST_PERIOD, description="The cycle's year")
    as_of: date | None = Field(default=None, description="Evaluate as of this day (clipped to the collection end)")
