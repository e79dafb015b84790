"""Benchmark of the query catalogue: latency per named query on a synthetic graph. Prints figures.

    .venv/bin/python -m bench.queries [--subjects 20000] [--samples 100] [--seed 0]

Without NEO4J_URI it starts a private local Neo4j in a temporary folder on a free port, writes an
`ipcredit synth` dataset, loads it with the batched loader, runs every query on a sample of subjects
and stops the instance. With NEO4J_URI it runs against that database as loaded (read-only).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from bench.statements import graph_size, sample_agencies, sample_subjects
from credit.policy import default_policy
from graph.local import LocalNeo4j, free_port
from graph.settings import get_settings
from graph.store import Store
from loaders.formats import reader_for
from loaders.pipeline import load
from queries.catalogue import QUERIES
from queries.schema import init_schema
from synth.generator import generate


@contextmanager
def _database(subjects: int, seed: int, work: Path) -> Iterator[Store]:
    settings = get_settings()
    if settings.neo4j_uri:
        with Store.connect() as store:
            yield store
        return
    small = settings.model_copy(update={"local_heap": "1g", "local_pagecache": "512m", "local_tx_memory": "512m"})
    instance = LocalNeo4j(work / "neo4j", free_port(), settings=small)
    uri = instance.start()
    try:
        with Store.connect(uri=uri) as store:
            init_schema(store)
            if graph_size(store).subjects:  # a kept --data folder: already loaded
                yield store
                return
            started = time.perf_counter()
            generate(work / "data", subjects, seed)
            print(f"synth: {subjects} subjects in {time.perf_counter() - started:.1f}s")
            started = time.perf_counter()
            reader = reader_for("csv")
            summary = load(store, reader(work / "data"), rejects_path=None, batch_size=settings.batch_size)
            print(f"load: {summary.total.loaded} records in {time.perf_counter() - started:.1f}s")
            yield store
    finally:
        instance.stop()


def _timed(run: Callable[[], Any]) -> tuple[float, int]:
    started = time.perf_counter()
    result = run()
    elapsed = (time.perf_counter() - started) * 1000
    size = len(result) if isinstance(result, list) else 1
    return elapsed, size


def _report(name: str, figures: list[tuple[float, int]]) -> None:
    times = sorted(t for t, _ in figures)
    p50 = statistics.median(times)
    p99 = times[min(len(times) - 1, round(0.99 * (len(times) - 1)))]
    rows = statistics.mean(n for _, n in figures)
    print(
        f"{name:<34} n={len(times):>4}  p50 {p50:8.1f} ms  p99 {p99:8.1f} ms  max {times[-1]:8.1f} ms  rows~{rows:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subjects", type=int, default=20_000)
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", type=Path, help="keep the database in this folder (reused when loaded)")
    args = parser.parse_args()
    policy = default_policy()
    suspected = policy.chains.suspected
    as_of = date.today()
    with (
        tempfile.TemporaryDirectory(prefix="ipcredit-bench-") as tmp,
        _database(args.subjects, args.seed, Path(tmp)) as store,
    ):
        size = graph_size(store)
        print(f"graph: {size.subjects} subjects, {size.links} links")
        uids = sample_subjects(store, args.samples, max(1, size.subjects // max(1, args.samples)))
        agencies = sample_agencies(store, args.samples)
        rng = random.Random(args.seed)
        pairs = [{"from": a, "to": b} for a, b in zip(uids, rng.sample(uids, len(uids)), strict=True) if a != b]

        def each(name: str, params: Callable[[str], dict[str, Any]], over: list[str]) -> None:
            query = QUERIES[name]
            figures = [_timed(lambda u=u: query.run(store, params(u))) for u in over]  # type: ignore[misc]
            _report(f"{name} {_label(params(over[0]), over[0])}", figures)

        def once(name: str, params: dict[str, Any], label: str, repeat: int = 5) -> None:
            query = QUERIES[name]
            _report(f"{name} {label}", [_timed(lambda: query.run(store, params)) for _ in range(repeat)])

        for k in (1, 2, 3):
            each("related_parties", lambda u, k=k: {"uid": u, "k": k}, uids)  # type: ignore[misc]
        each("equity", lambda u: {"uid": u, "direction": "up", "depth": 5}, uids)
        each("equity", lambda u: {"uid": u, "direction": "down", "depth": 5}, uids)
        each("controllers", lambda u: {"uid": u, "threshold": policy.controller.threshold}, uids)
        each(
            "suspected_relations",
            lambda u: {
                "uid": u,
                "max_sharers": suspected.skip_above,
                "full_weight_up_to": suspected.full_weight_up_to,
                "base_weight": suspected.weight,
            },
            uids,
        )
        each("neighbourhood", lambda u: {"uid": u, "depth": 2}, uids)
        each("risk_scan", lambda u: {"uids": [u], "max_sharers": suspected.skip_above, "as_of": as_of}, uids)
        if agencies:
            each("agency_profile", lambda u: {"uid": u, "as_of": as_of}, agencies)
        path_figures = [
            _timed(lambda p=p: QUERIES["path"].run(store, {"from_uid": p["from"], "to_uid": p["to"]}))  # type: ignore[misc]
            for p in pairs
        ]
        _report("path max_hops=6", path_figures)
        once("paths", {"pairs": pairs}, f"batch of {len(pairs)} pairs")
        once("risk_scan", {"uids": uids, "max_sharers": suspected.skip_above, "as_of": as_of}, f"batch of {len(uids)}")
        once("groups", {"seeds": uids, "max_sharers": suspected.skip_above, "k": 2}, f"{len(uids)} seeds k=2")
        once("cycles", {}, "graph-wide", repeat=3)
        once("brokers", {"as_of": as_of}, "graph-wide", repeat=3)


def _label(params: dict[str, Any], uid: str) -> str:
    return " ".join(f"{k}={v}" for k, v in params.items() if k not in {"uid", "uids", "as_of"} and v != uid)


if __name__ == "__main__":
    main()
