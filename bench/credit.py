"""Benchmark of the credit model on a large synthetic graph. Prints figures; not a test.

    .venv/bin/python -m bench.credit --keep DIR [--subjects 1000000] [--samples 300] [--seed 0]
                                     [--heap 3g] [--pagecache 3g] [--transactional]

Uses the synthetic graph in DIR (`bench.graph.build_or_reuse`: built once with the bulk importer, or
`--transactional` the batched loader; without `--keep`, in a temporary folder removed at the end),
warms the server up on subjects outside the sample, then measures
  - a single linked-risk check (k = 3): a full `evaluate` (facts, own records, chains, grading in one
    read transaction, as `GET /check` runs it), and `chains_of` alone, p50 / p99 over a random sample
    of subjects (targets 10 ms / 50 ms);
  - batch classification of every subject (`classify_all`, target <= 3 minutes);
  - one by one: evaluate + store an assessment for the same sample, extrapolated to every subject,
    and the batch speed-up over it (target >= 20x).
With `--keep` the instance keeps running for the next benchmark (`bench.api --keep DIR`).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench.graph import AS_OF, build_or_reuse, ms, split_sample, warm_up
from bench.statements import drop_assessments
from credit.classify import classify_all
from credit.evaluate import evaluate
from credit.params import chain_params
from credit.policy import default_policy
from credit.states import Cause, store_evaluations
from graph.store import Store
from queries.chains import chains_of
from queries.credit import subject_uids


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
    instance, uri = build_or_reuse(
        work, args.subjects, args.seed, args.heap, args.pagecache, transactional=args.transactional
    )
    try:
        with Store.connect(uri=uri) as store:
            uids = subject_uids(store)
            print(f"graph: {len(uids)} subjects")
            sample, pool = split_sample(uids, args.samples, args.seed)
            params = chain_params(policy, AS_OF)
            warmed = warm_up(lambda uid: evaluate(store, uid, AS_OF, policy), pool)
            print(f"warm-up: {warmed} checks on other subjects")

            full: list[float] = []  # the headline figure first, on subjects not touched before
            for uid in sample:
                t = time.perf_counter()
                evaluate(store, uid, AS_OF, policy)
                full.append(time.perf_counter() - t)
            check: list[float] = []
            for uid in sample:
                t = time.perf_counter()
                chains_of(store, uid, params)
                check.append(time.perf_counter() - t)
            print(f"linked-risk check (k={policy.chains.k}), full evaluate, {len(sample)} subjects: {ms(full)}")
            print(f"  of which the chains query alone: {ms(check)}")

            one_by_one: list[float] = []
            other_day = AS_OF - timedelta(days=1)  # keep these assessments apart from the batch run's
            for uid in sample:
                t = time.perf_counter()
                ev = evaluate(store, uid, other_day, policy)
                store_evaluations(store, [(ev, Cause(kind="bench"))], version=policy.version)
                one_by_one.append(time.perf_counter() - t)

            # time a first classification, even on a kept graph classified before
            drop_assessments(store, AS_OF)
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
        if args.keep is None:
            instance.stop()
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"the graph's Neo4j keeps running: stop it with `ipcredit db stop --data {instance.data_dir}`")


if __name__ == "__main__":
    main()
