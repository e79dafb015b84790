"""Typed runners for load jobs: a server-side load is a `:LoadJob` node moving queued -> running ->
done | failed, so whichever API worker is asked can answer for a job another worker runs."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel

from graph.schema import Label
from graph.store import Store
from queries.statements import cypher

JobState = Literal["queued", "running", "done", "failed"]


class LoadJob(BaseModel):
    """A load job as the status endpoint shows it (the summary is the loader's, as JSON)."""

    uid: str
    state: JobState
    format: str
    paths: list[str]
    actor: str
    rejects_file: str | None = None
    summary: dict[str, Any] | None = None
    error: str | None = None
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None


def create_job(store: Store, uid: str, *, format: str, paths: list[str], actor: str, rejects_file: str) -> None:
    store.write(
        cypher("jobs/create", job=Label.LOAD_JOB),
        {"uid": uid, "format": format, "paths": paths, "actor": actor, "rejects_file": rejects_file},
    )


def set_job_state(
    store: Store, uid: str, state: JobState, *, summary: dict[str, Any] | None = None, error: str | None = None
) -> None:
    params = {"uid": uid, "state": state, "summary": None if summary is None else json.dumps(summary), "error": error}
    store.write(cypher("jobs/set_state", job=Label.LOAD_JOB), params)


def get_job(store: Store, uid: str) -> LoadJob | None:
    rows = store.read(cypher("jobs/get", job=Label.LOAD_JOB), {"uid": uid})
    if not rows:
        return None
    job = dict(rows[0]["job"])
    if isinstance(job.get("summary"), str):
        job["summary"] = json.loads(job["summary"])
    return LoadJob.model_validate({k: v for k, v in job.items() if k in LoadJob.model_fields})
