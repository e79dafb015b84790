"""The bulk path's Python stage in worker processes: canonical rows validated and made into import rows
in parallel, handed back in input order, so the import files and the rejects file are the same bytes
whatever the number of workers.

Why this split: validating a record and building its import row is most of the stage's cost and needs
nothing but the row; cutting a file into rows (a quoted field may span lines) and the repeat checks (the
first of a record given twice is kept) need the whole input in order, so they stay in the calling process
(`loaders.bulk.write_import_files`). The calling process cuts rows into chunks of `CHUNK_ROWS`, keeps at
most two chunks per worker in flight (memory bounded per worker, whatever the input size) and takes the
results back in submission order. Subjects come first in the canonical layout and are the only rows that
replace uids (a company's given uid by its credit code); their replacements are gathered from the
subject chunks, then handed once to the workers that convert the later files, which name the subjects.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import datetime
from pathlib import Path

from loaders.bulk import Prepared, prepare
from loaders.canonical import CanonicalReader, Cut, Remap

CHUNK_ROWS = 2000
IN_FLIGHT_PER_WORKER = 2

_remap = Remap()  # a worker's copy of the subjects' replaced uids


def _init_worker(given: dict[str, str]) -> None:
    _remap.extend(given)


def _convert_chunk(
    reader: CanonicalReader, file: Path, kind: str, encoding: str, cuts: list[Cut], stamp: str
) -> tuple[list[Prepared], dict[str, str]]:
    """A chunk's prepared rows, and the uids its subject rows replaced (empty for other files)."""
    remap = Remap() if kind == "subjects" else _remap
    out = [prepare(item, stamp) for item in reader.convert(file, kind, encoding, cuts, remap)]
    return out, remap.given() if kind == "subjects" else {}


def _chunks(cuts: Iterator[Cut]) -> Iterator[list[Cut]]:
    chunk: list[Cut] = []
    for cut in cuts:
        chunk.append(cut)
        if len(chunk) == CHUNK_ROWS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def prepared_rows(
    reader: CanonicalReader, paths: Iterable[Path], loaded_at: datetime, workers: int
) -> Iterator[Prepared]:
    """The prepared rows of canonical inputs `paths`, in input order; `workers` processes (1: inline)."""
    stamp = loaded_at.isoformat()
    for path in paths:
        remap = Remap()
        files = reader.files(path)
        # two phases: the subjects, then (their replaced uids known) every later file
        for phase in ([f for f in files if f[1] == "subjects"], [f for f in files if f[1] != "subjects"]):
            if not phase:
                continue
            if workers <= 1:
                for file, kind in phase:
                    encoding, cuts = reader.rows(file)
                    for chunk in _chunks(cuts):
                        for item in reader.convert(file, kind, encoding, chunk, remap):
                            yield prepare(item, stamp)
                continue
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(
                workers, mp_context=context, initializer=_init_worker, initargs=(remap.given(),)
            ) as pool:
                pending: deque[Future[tuple[list[Prepared], dict[str, str]]]] = deque()
                for file, kind in phase:
                    encoding, cuts = reader.rows(file)
                    for chunk in _chunks(cuts):
                        pending.append(pool.submit(_convert_chunk, reader, file, kind, encoding, chunk, stamp))
                        if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                            yield from _take(pending.popleft(), remap)
                while pending:
                    yield from _take(pending.popleft(), remap)


def _take(done: Future[tuple[list[Prepared], dict[str, str]]], remap: Remap) -> list[Prepared]:
    rows, given = done.result()
    remap.extend(given)
    return rows
