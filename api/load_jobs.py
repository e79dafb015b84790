"""Server-side loads as background jobs: `POST /load` checks the paths, records a queued `:LoadJob`
and answers at once; a worker thread of this process runs the loads one at a time, moving the job to
running, then done (with the summary) or failed (with the error and the summary so far). The state
lives in the graph, so `GET /load/{job}` on any API worker answers for it; every step is audited.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from neo4j.exceptions import DriverError, Neo4jError

from api import service
from credit.freshness import regrade_after_load
from graph.settings import Settings
from graph.store import Store
from loaders.canonical import CanonicalInputError
from loaders.confine import RefusedPathError, confined
from loaders.formats import UnknownFormatError, reader_for
from loaders.pipeline import LoadInterruptedError, load
from loaders.records import Reader
from loaders.rows import LoadSummary
from queries.jobs import LoadJob, create_job, get_job, set_job_state

log = logging.getLogger("ipcredit.api.load")


class JobSummary(LoadSummary):
    """A job's summary: the loader's (`LoadSummary.as_json`, with its total), and how many subjects were re-graded."""

    regraded: int | None = None  # set once the load is done


class LoadJobView(LoadJob):
    """A load job with its summary typed."""

    summary: JobSummary | None = None  # type: ignore[assignment]  # the stored JSON, read as its model


def job_view(store: Store, uid: str) -> LoadJobView | None:
    """The load job as `GET /load/{job}` shows it; None when there is no such job."""
    found = get_job(store, uid)
    return None if found is None else LoadJobView.model_validate(dict(found))


class LoadRequestError(ValueError):
    """A load that cannot start: an unknown format, or a path refused or not in the format's layout."""


@dataclass(frozen=True)
class _Job:
    uid: str
    actor: str
    reader: Reader
    paths: list[Path]
    rejects: Path


class LoadJobs:
    """The process's load worker (one thread: loads run one after another, never inside a request)."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ipcredit-load-job")

    def submit(self, actor: str, format: str, given: list[str]) -> str:
        """Check the request, record the job as queued (audited) and hand it to the worker; its uid."""
        try:
            reader = reader_for(format)
            paths = [confined(p, self.settings.import_dir, self.settings.import_max_bytes) for p in given]
            for path in paths:  # the format's own layout, before anything is queued
                files = getattr(reader, "files", None)
                if callable(files):
                    files(path)
        except (UnknownFormatError, RefusedPathError, CanonicalInputError) as exc:
            raise LoadRequestError(str(exc)) from exc
        uid = f"load-job:{service.new_id()}"
        rejects = self.settings.local_data_dir.parent / "rejects" / f"{uid.partition(':')[2]}.jsonl"
        rejects.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        create_job(self.store, uid, format=format, paths=given, actor=actor, rejects_file=str(rejects))
        service.audit(self.store, actor, "load_started", uid, {"format": format, "paths": given})
        self._pool.submit(self._run, _Job(uid, actor, reader, paths, rejects))
        return uid

    def _run(self, job: _Job) -> None:
        try:
            set_job_state(self.store, job.uid, "running")
            summary = load(
                self.store,
                (item for path in job.paths for item in job.reader(path)),
                rejects_path=job.rejects,
                batch_size=self.settings.batch_size,
                settings=self.settings,
            )
            regraded = regrade_after_load(self.store, summary.loaded_at).written
        except LoadInterruptedError as exc:
            self._failed(job, str(exc), exc.summary.as_json())
        except Exception as exc:  # a worker thread must record every failure, not die with it
            log.exception("load job %s failed", job.uid)
            self._failed(job, f"{type(exc).__name__}: {exc}", None)
        else:
            payload = {**summary.as_json(), "regraded": regraded}
            set_job_state(self.store, job.uid, "done", summary=payload)
            service.audit(self.store, job.actor, "load", job.uid, {"total": payload["total"]})

    def _failed(self, job: _Job, error: str, summary: dict[str, Any] | None) -> None:
        try:
            set_job_state(self.store, job.uid, "failed", summary=summary, error=error)
            service.audit(self.store, job.actor, "load_failed", job.uid, {"error": error})
        except (Neo4jError, DriverError):  # the database is what failed: the job stays `running`
            log.error("load job %s failed and could not be recorded: %s", job.uid, error)

    def shutdown(self) -> None:
        """Stop taking jobs; the one running finishes (or fails) on its own."""
        self._pool.shutdown(wait=False, cancel_futures=True)
