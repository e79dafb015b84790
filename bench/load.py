"""Load benchmark: records/s of the transactional path, the bulk path and a naive per-record loop.

Not a test: it prints figures. It generates a synthetic canonical dataset (`loaders.synth`, in a child
process so its memory is not counted), then on fresh temporary local Neo4j instances:
  1. naive: one statement and one transaction per record, on the first `--naive-sample` records;
  2. transactional: `loaders.pipeline.load` over the whole dataset;
  3. bulk: `loaders.bulk.bulk_load` (import CSVs, Neo4j's importer, restart, schema) over the whole dataset.
Peak RSS of this (loader) process is printed after each stage (`ru_maxrss` is a high-water mark).

    .venv/bin/python -m bench.load --subjects 116000        # about 1M records
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing
import resource
import shutil
import tempfile
import time
from pathlib import Path

from graph.cypher import cypher
from graph.local import LocalNeo4j, free_port
from graph.migrate import init_schema
from graph.settings import Settings, get_settings
from graph.store import Store
from loaders.bulk import bulk_load
from loaders.formats import reader_for
from loaders.pipeline import Loader, RejectsWriter, load


def _generate(out: str, subjects: int, seed: int) -> None:
    from loaders.synth import generate

    generate(Path(out), subjects, seed)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subjects", type=int, default=116_000)  # about 1M records
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--batch-size", type=int, default=get_settings().batch_size)
    parser.add_argument("--naive-sample", type=int, default=3000)
    parser.add_argument("--skip-bulk", action="store_true")
    parser.add_argument("--heap", default="1g")
    parser.add_argument("--pagecache", default="512m")
    args = parser.parse_args()
    settings: Settings = get_settings().model_copy(
        update={"local_heap": args.heap, "local_pagecache": args.pagecache, "local_tx_memory": "1g", "neo4j_uri": None}
    )
    root = Path(tempfile.mkdtemp(prefix="ipcredit-bench-load-"))
    try:
        data = root / "data"
        t0 = time.monotonic()
        child = multiprocessing.get_context("spawn").Process(
            target=_generate, args=(str(data), args.subjects, args.seed)
        )
        child.start()
        child.join()
        print(f"synth: {args.subjects} subjects in {time.monotonic() - t0:.1f}s -> {data}")
        reader = reader_for("csv")
        print(f"loader RSS before loading: {peak_rss_mb():.0f} MB")

        instance = LocalNeo4j(root / "tx", free_port(), settings=settings)
        uri = instance.start()
        try:
            with Store.connect(settings, uri=uri) as store:
                init_schema(store)
                # 1. naive loop on a sample: one statement, one transaction per record
                sample = list(itertools.islice(reader(data), args.naive_sample))
                t = time.monotonic()
                naive = Loader(store, RejectsWriter(None), batch_size=1)
                for item in sample:
                    naive.feed(item)
                naive.finish()
                naive_s = time.monotonic() - t
                naive_rate = len(sample) / naive_s
                print(f"naive: {len(sample)} records in {naive_s:.1f}s = {naive_rate:,.0f} records/s")
                store.run_autocommit(cypher("admin/clear_graph"))

                # 2. transactional path over everything
                summary = load(store, reader(data), rejects_path=root / "rejects-tx.jsonl", batch_size=args.batch_size)
                total = summary.total
                rate = total.read / summary.seconds
                print(
                    f"transactional: {total.read:,} records (loaded {total.loaded:,}, rejected {total.rejected:,}) "
                    f"in {summary.seconds:.1f}s = {rate:,.0f} records/s = {rate / naive_rate:.0f}x naive "
                    f"(batch size {args.batch_size}); possible duplicates {summary.possible_duplicates}"
                )
                print(f"loader peak RSS after transactional: {peak_rss_mb():.0f} MB")
                again = load(store, reader(data), rejects_path=root / "rejects-tx2.jsonl", batch_size=args.batch_size)
                print(
                    f"transactional re-load: {again.total.unchanged:,} unchanged, {again.total.loaded:,} loaded "
                    f"in {again.seconds:.1f}s = {again.total.read / again.seconds:,.0f} records/s"
                )
        finally:
            instance.stop()
        shutil.rmtree(root / "tx", ignore_errors=True)

        if not args.skip_bulk:
            # 3. bulk path into a fresh instance
            bulk_instance = LocalNeo4j(root / "bulk", free_port(), settings=settings)
            try:
                summary = bulk_load(
                    reader(data), rejects_path=root / "rejects-bulk.jsonl", instance=bulk_instance, settings=settings
                )
            finally:
                bulk_instance.stop()
            total = summary.total
            stage = summary.stages
            stages = ", ".join(f"{k} {v:.1f}s" for k, v in summary.stages.items())
            print(
                f"bulk: {total.read:,} records (loaded {total.loaded:,}, rejected {total.rejected:,}) in "
                f"{summary.seconds:.1f}s = {total.read / summary.seconds:,.0f} records/s end to end ({stages}); "
                f"import CSVs + importer only: {total.read / (stage['write'] + stage['import']):,.0f} records/s"
            )
            print(f"loader peak RSS after bulk: {peak_rss_mb():.0f} MB")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
