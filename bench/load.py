"""Load benchmark: each load path against its floor on this machine, in the same run on the same data.

Not a test: it prints figures. A synthetic canonical dataset (`synth.generator`, in a child process) is
loaded by every stage below; the floors are what the database alone costs for the same records:
  1. Python stage alone (read, validate, write the import CSVs: `write_import_files` over
     `loaders.bulk_pool.prepared_rows`) with each `--stage-workers` count and each `--stage-batches`
     validation batch (1: one row at a time; see `loaders.canonical`), each in a child process whose
     peak RSS (its own, and its largest worker's: `PeakRss`) is printed;
  2. bulk end to end (`bulk_load`: Python stage with `--workers`, Neo4j's importer, start, schema, checks);
     its floor is the importer alone on the same import files (its `import` stage; the JVM start,
     `AdminTool --help`, is timed apart and shown);
  3. transactional floor: a bare batched `UNWIND ... CREATE` (`queries/bench/create_*.cypher`) of the rows
     the graph ends up with (read back from the import CSVs), under the same schema; only the database
     calls are timed;
  4. transactional path (`loaders.pipeline.load`) over the same input, on a fresh instance.
Each path's line ends with `N.NNx floor` (floor seconds / path seconds, the same records). Every stage runs
in a fresh child process, so the peak RSS on its line is that stage's own.

    .venv/bin/python -m bench.load --size 1m                     # about 1M records, every stage
    .venv/bin/python -m bench.load --size 8m --skip-tx --stage-workers ''   # about 8M: bulk only
"""

from __future__ import annotations

import argparse
import csv
import itertools
import multiprocessing
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import psutil

from bench.statements import create_links, create_nodes
from graph.local import LocalNeo4j, free_port, java_argv
from graph.schema import LINK_KINDS, NODE_KINDS
from graph.settings import Settings, get_settings
from graph.store import Store
from loaders.bulk import ARRAY_DELIMITER, bulk_load, write_import_files
from loaders.bulk_pool import prepared_rows
from loaders.canonical import VALIDATION_BATCH, CanonicalReader
from loaders.pipeline import load
from loaders.rows import RejectsWriter
from queries.schema import init_schema

SIZES = {"1m": 116_000, "8m": 930_000}  # subjects -> about 1M and 8M records


def _generate(out: str, subjects: int, seed: int) -> None:
    from synth.generator import generate

    generate(Path(out), subjects, seed)


def _hwm_mb(pid: int) -> float:
    """A process's peak resident memory (VmHWM, MB): its own since `exec`, not its parent's before it."""
    for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


class PeakRss:
    """Peak resident memory of this process (read at the end: VmHWM keeps it) and of its largest Python
    worker (polled every half second, since a worker's VmHWM goes with it).

    Why not `getrusage`: its children's figure counts a spawned worker's fork-time copy of its parent
    (Linux keeps the peak from before `exec`), which made the parent's size look like a worker's. Every
    stage measured runs in a fresh child (`_in_child`), so this process's peak is that stage's alone.
    """

    def __init__(self) -> None:
        self.own = 0.0
        self.worker = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample_workers()
        self.own = _hwm_mb(os.getpid())

    def _poll(self) -> None:
        while not self._stop.wait(0.5):
            self._sample_workers()

    def _sample_workers(self) -> None:
        for child in psutil.Process().children(recursive=True):
            try:
                if "multiprocessing" in " ".join(child.cmdline()):  # a worker, not the JVM
                    self.worker = max(self.worker, _hwm_mb(child.pid))
            except (psutil.Error, OSError):
                pass  # ended between listing and reading

    def __str__(self) -> str:
        worker = f", largest worker {self.worker:.0f} MB" if self.worker else ""
        return f"peak RSS {self.own:.0f} MB{worker}"


def _python_stage(data: str, out: str, workers: int, batch: int) -> tuple[int, float, str]:
    """In a child: records read, seconds, and the peak RSS of this process and its workers."""
    started = time.monotonic()
    with PeakRss() as peak, (Path(out) / "rejects.jsonl").open("w", encoding="utf-8") as fh:
        rows = prepared_rows(CanonicalReader("csv", batch=batch), [Path(data)], datetime.now(UTC), workers)
        summary, _, _ = write_import_files(rows, Path(out) / "import", RejectsWriter(fh), datetime.now(UTC))
    return summary.total.read, time.monotonic() - started, str(peak)


def _in_child(fn: Any, *args: Any) -> Any:
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(fn, *args).result()


def _load(note: str) -> str:
    return f"[load average {os.getloadavg()[0]:.2f}] {note}"


def _jvm_start() -> float:
    started = time.monotonic()
    subprocess.run(java_argv("org.neo4j.cli.AdminTool", ["--help"], heap="1g"), capture_output=True, check=False)
    return time.monotonic() - started


_CONVERT: dict[str, Any] = {
    "date": date.fromisoformat,
    "datetime": datetime.fromisoformat,
    "double": float,
    "string[]": lambda v: v.split(ARRAY_DELIMITER),
    "long[]": lambda v: [int(x) for x in v.split(ARRAY_DELIMITER)],
}


def _typed_rows(file: Path) -> Iterator[dict[str, Any]]:
    """The rows of an import CSV as the properties they import as (typed by the header)."""
    with file.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        columns = [(name, _CONVERT.get(kind)) for name, _, kind in (h.partition(":") for h in header)]
        for cells in reader:
            props: dict[str, Any] = {}
            ends: list[str] = []
            for (name, convert), value in zip(columns, cells, strict=True):
                if not name:  # :LABEL, :TYPE, :START_ID, :END_ID
                    ends.append(value)
                elif value != "":
                    props[name] = convert(value) if convert else value
            yield {"props": props, "start_uid": ends[0], "end_uid": ends[1]} if len(ends) == 3 else {"props": props}


def _transactional_floor(store: Store, folder: Path, batch_size: int) -> tuple[int, float]:
    """Bare batched CREATE of every imported row, nodes first; (records, seconds in the database)."""
    records, spent = 0, 0.0
    files = sorted(folder.glob("nodes_*.csv")) + sorted(folder.glob("links_*.csv"))
    for file in files:
        name = file.stem.split("_", 1)[1]
        nodes = file.stem.startswith("nodes_")
        query = create_nodes(NODE_KINDS[name]) if nodes else create_links(LINK_KINDS[name])
        batch: list[dict[str, Any]] = []
        for row in _typed_rows(file):
            batch.append(row)
            if len(batch) == batch_size:
                spent += _timed_write(store, query, batch)
                records, batch = records + len(batch), []
        if batch:
            spent += _timed_write(store, query, batch)
            records += len(batch)
    return records, spent


def _timed_write(store: Store, query: str, rows: list[dict[str, Any]]) -> float:
    started = time.monotonic()
    store.write(query, {"rows": rows})
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=sorted(SIZES), default="1m")
    parser.add_argument("--subjects", type=int, help="instead of --size")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--batch-size", type=int, default=get_settings().batch_size)
    parser.add_argument("--workers", type=int, default=2, help="bulk end to end")
    parser.add_argument("--stage-workers", default="1,2", help="Python stage alone, comma-separated ('' skips)")
    parser.add_argument(
        "--stage-batches", default=str(VALIDATION_BATCH), help="Python stage alone: validation batches, comma-separated"
    )
    parser.add_argument("--skip-tx", action="store_true", help="no transactional floor and path")
    parser.add_argument("--skip-bulk", action="store_true", help="no bulk end to end")
    parser.add_argument("--heap", default="1g")
    parser.add_argument("--pagecache", default="512m")
    args = parser.parse_args()
    subjects = args.subjects or SIZES[args.size]
    settings: Settings = get_settings().model_copy(
        update={"local_heap": args.heap, "local_pagecache": args.pagecache, "local_tx_memory": "1g", "neo4j_uri": None}
    )
    root = Path(tempfile.mkdtemp(prefix="ipcredit-bench-load-"))
    try:
        data = root / "data"
        t0 = time.monotonic()
        _in_child(_generate, str(data), subjects, args.seed)
        print(_load(f"synth: {subjects:,} subjects in {time.monotonic() - t0:.1f}s"), flush=True)

        stage_dir: Path | None = None
        batches = [int(b) for b in args.stage_batches.split(",") if b.strip()]
        stages = itertools.product([int(w) for w in args.stage_workers.split(",") if w.strip()], batches)
        for number, (workers, batch) in enumerate(stages):
            stage_dir = root / f"stage-{number}"
            stage_dir.mkdir()
            read, seconds, peak = _in_child(_python_stage, str(data), str(stage_dir), workers, batch)
            print(
                _load(
                    f"python stage alone, {workers} worker(s), validation batch {batch}: {read:,} records in "
                    f"{seconds:.1f}s = "
                    f"{read / seconds:,.0f} records/s, {seconds / read * 1e6:.1f} us/record; {peak}"
                ),
                flush=True,
            )

        if not args.skip_bulk:
            _in_child(_bulk, root, data, settings, args.workers)
        if not args.skip_tx:
            if stage_dir is None:
                raise SystemExit("the transactional floor reads the Python stage's import files: give --stage-workers")
            _in_child(_transactional, root, data, stage_dir / "import", settings, args.batch_size)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _bulk(root: Path, data: Path, settings: Settings, workers: int) -> None:
    """Bulk end to end into a fresh instance; its import stage on its own files is the floor."""
    jvm = _jvm_start()
    bulk_instance = LocalNeo4j(root / "bulk", free_port(), settings=settings)
    try:
        loaded_at = datetime.now(UTC)
        with PeakRss() as peak:
            rows = prepared_rows(CanonicalReader("csv"), [data], loaded_at, workers)
            bulk = bulk_load(
                rows,
                rejects_path=root / "rejects-bulk.jsonl",
                instance=bulk_instance,
                settings=settings,
                loaded_at=loaded_at,
            )
    finally:
        bulk_instance.stop()
    read, stage = bulk.total.read, bulk.stages
    stages = ", ".join(f"{k} {v:.1f}s ({v / read * 1e6:.1f} us/record)" for k, v in stage.items())
    print(
        _load(
            f"bulk floor (importer alone on the import files): {stage['import']:.1f}s = "
            f"{read / stage['import']:,.0f} records/s, JVM start {jvm:.1f}s of it"
        )
    )
    print(
        _load(
            f"bulk end to end, {workers} worker(s): {read:,} records (loaded {bulk.total.loaded:,}, "
            f"rejected {bulk.total.rejected:,}) in {bulk.seconds:.1f}s = {read / bulk.seconds:,.0f} records/s "
            f"= {stage['import'] / bulk.seconds:.2f}x floor ({stages}); loader {peak}"
        ),
        flush=True,
    )


def _transactional(root: Path, data: Path, imported: Path, settings: Settings, batch_size: int) -> None:
    floor_instance = LocalNeo4j(root / "tx-floor", free_port(), settings=settings)
    try:
        with Store.connect(settings, uri=floor_instance.start()) as store:
            init_schema(store)
            created, floor_s = _transactional_floor(store, imported, batch_size)
    finally:
        floor_instance.stop()
    shutil.rmtree(root / "tx-floor", ignore_errors=True)
    print(
        _load(
            f"transactional floor (bare UNWIND ... CREATE, batch {batch_size}): {created:,} records in "
            f"{floor_s:.1f}s of database time = {created / floor_s:,.0f} records/s"
        ),
        flush=True,
    )
    instance = LocalNeo4j(root / "tx", free_port(), settings=settings)
    try:
        with Store.connect(settings, uri=instance.start()) as store, PeakRss() as peak:
            init_schema(store)
            summary = load(
                store, CanonicalReader("csv")(data), rejects_path=root / "rejects-tx.jsonl", batch_size=batch_size
            )
    finally:
        instance.stop()
    total = summary.total
    print(
        _load(
            f"transactional: {total.read:,} records (loaded {total.loaded:,}, rejected {total.rejected:,}) in "
            f"{summary.seconds:.1f}s = {total.read / summary.seconds:,.0f} records/s = "
            f"{floor_s / summary.seconds:.2f}x floor (batch {batch_size}); loader {peak}"
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
