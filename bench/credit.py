"""Benchmark of the credit model on a large synthetic graph. Prints figures; not a test.

    .venv/bin/python -m bench.credit [--subjects 1000000] [--samples 300] [--seed 0]
                                     [--heap 3g] [--pagecache 3g] [--transactional]

Starts a fresh private local Neo4j in a temporary folder on a free port (enough page cache to hold
the graph), writes an `ipcredit synth` dataset, loads it with the bulk importer (`--transactional`:
the batched loader), then measures
  - a single linked-risk check (k = 3): `chains_of` alone, and a full `evaluate` (facts, own records,
    chains, grading), p50 / p99 over a random sample of subjects (targets 10 ms / 50 ms);
  - batch classification of every subject (`classify_all`, target <= 3 minutes);
  - one by one: evaluate + store an assessment for the same sample, extrapolated to every subject,
    and the batch speed-up over it (target >= 20x).
The instance is stopped and the folder removed at the end.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from credit.classify import classify_all
from credit.evaluate import chain_params, evaluate, store_assessments
from credit.policy import default_policy
from graph.cypher import cypher
from graph.local import LocalNeo4j, free_port
from graph.migrate import init_schema
from graph.settings import get_settings
from graph.store import Store
from loaders.formats import reader_for
from loaders.pipeline import load
from loaders.synth import generate
from queries.chains import chains_of

AS_OF = date(2026, 6, 30)  # the generator's reference day


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _ms(values: list[float]) -> str:
    p50, p99, top = (_pct(values, 0.5) * 1000, _pct(values, 0.99) * 1000, max(values) * 1000)
    return f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {top:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--heap", default="3g")
    parser.add_argument("--pagecache", default="3g")
    parser.add_argument("--transactional", action="store_true", help="load with the batched loader, not --bulk")
    parser.add_argument("--keep", type=Path, help="use this folder (kept) instead of a temporary one")
    args = parser.parse_args()

    policy = default_policy()
    work = args.keep or Path(tempfile.mkdtemp(prefix="ipcredit-bench-credit-"))
    work.mkdir(parents=True, exist_ok=True)
    settings = get_settings().model_copy(
        update={"neo4j_uri": None, "local_heap": args.heap, "local_pagecache": args.pagecache, "local_tx_memory": "2g"}
    )
    instance = LocalNeo4j(work / "neo4j", free_port(), settings=settings)
    try:
        data = work / "data"
        if not (data / "truth.jsonl").exists():
            started = time.perf_counter()
            generate(data, args.subjects, args.seed)
            print(f"synth: {args.subjects} subjects in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        if args.transactional:
            uri = instance.start()
            with Store.connect(uri=uri) as store:
                init_schema(store)
                load(store, reader_for("csv")(data), rejects_path=work / "rejects.jsonl", batch_size=10_000)
        else:
            from loaders.bulk import bulk_load

            bulk_load(
                reader_for("csv")(data),
                rejects_path=work / "rejects.jsonl",
                instance=instance,
                settings=settings,
                resolve=False,
            )
        print(f"load ({'transactional' if args.transactional else 'bulk'}): {time.perf_counter() - started:.1f} s")
        uri = instance.running_uri() or instance.start()
        with Store.connect(uri=uri) as store:
            init_schema(store)
            uids = [r["uid"] for r in store.read(cypher("credit/subject_uids"))]
            print(f"graph: {len(uids)} subjects")
            rng = random.Random(args.seed)
            sample = rng.sample(uids, min(args.samples, len(uids)))
            params = chain_params(policy, AS_OF)
            # warm up: plans compiled, caches touched
            for uid in sample[:20]:
                chains_of(store, uid, params)
                evaluate(store, uid, AS_OF, policy)

            check: list[float] = []
            for uid in sample:
                t = time.perf_counter()
                chains_of(store, uid, params)
                check.append(time.perf_counter() - t)
            print(f"linked-risk check (chains, k={policy.chains.k}) over {len(sample)} subjects: {_ms(check)}")

            full: list[float] = []
            one_by_one: list[float] = []
            other_day = AS_OF - timedelta(days=1)  # keep these assessments apart from the batch run's
            for uid in sample:
                t = time.perf_counter()
                ev = evaluate(store, uid, AS_OF, policy)
                full.append(time.perf_counter() - t)
                t = time.perf_counter()
                ev2 = evaluate(store, uid, other_day, policy)
                store_assessments(store, [ev2])
                one_by_one.append(time.perf_counter() - t)
                del ev
            print(f"full evaluation (facts, records, chains, grading): {_ms(full)}")

            batch = classify_all(store, AS_OF, policy)
            print(
                f"batch classification: {batch.subjects} subjects in {batch.seconds:.1f} s "
                f"({batch.graded} graded from {batch.chains} chains, {batch.base} base); levels {batch.levels}"
            )
            mean = statistics.fmean(one_by_one)
            extrapolated = mean * batch.subjects
            print(
                f"one by one (evaluate + store): mean {mean * 1000:.1f} ms/subject -> {extrapolated:.0f} s "
                f"for {batch.subjects} subjects; batch speed-up {extrapolated / batch.seconds:.1f}x"
            )
            again = classify_all(store, AS_OF, policy)
            print(f"batch re-run (idempotent): {again.seconds:.1f} s, same levels: {again.levels == batch.levels}")
    finally:
        instance.stop()
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
