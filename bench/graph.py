"""What the credit and API benchmarks share: the synthetic graph (built once, reused), warm-up, percentiles.

The 1M-subject graph takes a quarter of an hour to build, so `build_or_reuse` keeps it in a folder: the
first run writes the `ipcredit synth` data and bulk-loads it into `FOLDER/neo4j`; later runs start (or
find running) that instance. Figures are taken only after a warm-up on subjects outside the measured
sample: the JVM compiles Neo4j's hot paths during the first thousands of queries, and a cold JIT
doubles the latencies.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import psutil

from graph.local import LocalNeo4j, free_port
from graph.settings import get_settings
from graph.store import Store
from queries.schema import init_schema

AS_OF = date(2026, 6, 30)  # the generator's reference day
WARM_UP_SECONDS = 30.0


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Stolen:
    """The CPU time the host gave to other machines (`steal`) from now on, as a share of this machine's
    cores: on a shared machine a run's tail latencies are comparable only when it stayed low."""

    def __init__(self) -> None:
        self.steal, self.wall = psutil.cpu_times().steal, time.perf_counter()

    def __str__(self) -> str:
        cores = psutil.cpu_count() or 1
        share = (psutil.cpu_times().steal - self.steal) / (time.perf_counter() - self.wall) / cores
        return f"{share:.0%} of the cores stolen by the host"


def ms(values: list[float]) -> str:
    p50, p99, top = (pct(values, 0.5) * 1000, pct(values, 0.99) * 1000, max(values) * 1000)
    return f"p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {top:.1f} ms"


def build_or_reuse(
    folder: Path, subjects: int, seed: int, heap: str, pagecache: str, *, transactional: bool = False
) -> tuple[LocalNeo4j, str]:
    """The synthetic graph in `folder`, running; built (synth + bulk importer, or the batched loader) once."""
    from loaders.bulk import bulk_load
    from loaders.formats import reader_for
    from loaders.pipeline import load
    from synth.generator import generate

    settings = get_settings().model_copy(
        update={"neo4j_uri": None, "local_heap": heap, "local_pagecache": pagecache, "local_tx_memory": "2g"}
    )
    instance = LocalNeo4j(folder / "neo4j", free_port(), settings=settings)
    if instance.running_uri() is None and not (folder / "neo4j" / "data").exists():
        data = folder / "data"
        if not (data / "truth.jsonl").exists():
            started = time.perf_counter()
            generate(data, subjects, seed)
            print(f"synth: {subjects} subjects in {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        items = reader_for("csv")(data)
        if transactional:
            with Store.connect(settings, uri=instance.start()) as store:
                init_schema(store)
                load(store, items, rejects_path=folder / "rejects.jsonl", batch_size=10_000)
        else:
            bulk_load(items, rejects_path=folder / "rejects.jsonl", instance=instance, settings=settings, resolve=False)
        how = "transactional" if transactional else "bulk"
        print(f"load ({how}): {time.perf_counter() - started:.1f} s", flush=True)
    uri = instance.running_uri() or instance.start()
    with Store.connect(settings, uri=uri) as store:
        init_schema(store)
    return instance, uri


def split_sample(uids: list[str], size: int, seed: int) -> tuple[list[str], list[str]]:
    """A measured sample and a disjoint warm-up pool, both random."""
    rng = random.Random(seed)
    picked = rng.sample(uids, min(len(uids), size * 11))
    return picked[:size], picked[size:]


def warm_up(check: Callable[[str], object], pool: list[str], seconds: float = WARM_UP_SECONDS) -> int:
    """Run `check` over `pool` (cycling) for `seconds`; returns how many checks ran."""
    deadline = time.monotonic() + seconds
    done = 0
    while time.monotonic() < deadline and pool:
        check(pool[done % len(pool)])
        done += 1
    return done
