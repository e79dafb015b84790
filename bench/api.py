"""Benchmark of the HTTP API's linked-risk check over loopback. Prints figures; not a test.

    .venv/bin/python -m bench.api --uri bolt://127.0.0.1:7687        # a graph already loaded
    .venv/bin/python -m bench.api --keep DIR [--subjects 1000000]    # build (or reuse) a synthetic graph

With `--keep`, the graph is the one `bench.credit --keep DIR` builds (synth + Neo4j's bulk importer, in
DIR/neo4j), made once and reused. It then measures, over a random sample of subjects:
  - the bare check in-process: `credit.evaluate` (the same statements the endpoint runs), p50 / p99;
  - `GET /check/{uid}` through uvicorn in a subprocess (httpx client on loopback), one request at a
    time (p50 / p99, and the overhead ratio HTTP p50 / bare p50; target <= 1.5x);
  - the same with `--concurrency` requests in flight for `--requests` requests: requests/s (target >= 300),
    p50 / p99.
The server runs with an investigator key (no masking look-up) and is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import quote

import httpx

from credit.evaluate import evaluate
from credit.policy import default_policy
from graph.cypher import cypher
from graph.local import LocalNeo4j, free_port
from graph.migrate import init_schema
from graph.settings import get_settings
from graph.store import Store

AS_OF = date(2026, 6, 30)  # the generator's reference day (as bench.credit)
KEY = "bench-key"


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _ms(values: list[float]) -> str:
    return f"p50 {_pct(values, 0.5) * 1000:.2f} ms, p99 {_pct(values, 0.99) * 1000:.2f} ms"


def build_or_reuse(folder: Path, subjects: int, seed: int, heap: str, pagecache: str) -> tuple[LocalNeo4j, str]:
    """The synthetic graph in `folder` (built with the bulk importer the first time), running."""
    from loaders.bulk import bulk_load
    from loaders.formats import reader_for
    from loaders.synth import generate

    settings = get_settings().model_copy(
        update={"neo4j_uri": None, "local_heap": heap, "local_pagecache": pagecache, "local_tx_memory": "2g"}
    )
    instance = LocalNeo4j(folder / "neo4j", free_port(), settings=settings)
    if instance.running_uri() is None and not (folder / "neo4j" / "data").exists():
        data = folder / "data"
        if not (data / "truth.jsonl").exists():
            started = time.perf_counter()
            generate(data, subjects, seed)
            print(f"synth: {subjects} subjects in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        bulk_load(
            reader_for("csv")(data),
            rejects_path=folder / "rejects.jsonl",
            instance=instance,
            settings=settings,
            resolve=False,
        )
        print(f"bulk load: {time.perf_counter() - started:.1f} s")
    uri = instance.running_uri() or instance.start()
    with Store.connect(uri=uri) as store:
        init_schema(store)
    return instance, uri


def bare(store: Store, sample: list[str]) -> list[float]:
    policy = default_policy()
    for uid in sample[:20]:
        evaluate(store, uid, AS_OF, policy)  # warm up: plans compiled, pages cached
    times: list[float] = []
    for uid in sample:
        started = time.perf_counter()
        evaluate(store, uid, AS_OF, policy)
        times.append(time.perf_counter() - started)
    return times


def start_server(uri: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NEO4J_URI": uri, "IPCREDIT_API_KEYS": f"{KEY}:investigator"}
    argv = [
        sys.executable,
        "-m",
        "uvicorn",
        "api.app:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    server = subprocess.Popen(argv, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/ready", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    server.kill()
    raise SystemExit("the API server did not become ready within 60 s")


def sequential(base: str, sample: list[str]) -> list[float]:
    times: list[float] = []
    with httpx.Client(base_url=base, headers={"X-API-Key": KEY}, timeout=30) as client:
        for uid in sample[:20]:
            client.get(f"/check/{quote(uid, safe=':')}", params={"as_of": AS_OF.isoformat()})
        for uid in sample:
            started = time.perf_counter()
            response = client.get(f"/check/{quote(uid, safe=':')}", params={"as_of": AS_OF.isoformat()})
            times.append(time.perf_counter() - started)
            response.raise_for_status()
    return times


async def concurrent(base: str, sample: list[str], requests: int, concurrency: int) -> tuple[float, list[float], int]:
    times: list[float] = []
    errors = 0
    queue = [sample[i % len(sample)] for i in range(requests)]
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, headers={"X-API-Key": KEY}, timeout=60, limits=limits) as client:

        async def worker() -> None:
            nonlocal errors
            while queue:
                uid = queue.pop()
                started = time.perf_counter()
                response = await client.get(f"/check/{quote(uid, safe=':')}", params={"as_of": AS_OF.isoformat()})
                times.append(time.perf_counter() - started)
                errors += response.status_code != 200

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return elapsed, times, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--uri", help="Bolt URI of a loaded graph")
    where.add_argument("--keep", type=Path, help="folder of the synthetic graph (built once, reused)")
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--heap", default="3g")
    parser.add_argument("--pagecache", default="3g")
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    instance = None
    if args.keep:
        instance, uri = build_or_reuse(args.keep, args.subjects, args.seed, args.heap, args.pagecache)
    else:
        uri = args.uri
    server = None
    try:
        with Store.connect(uri=uri) as store:
            total = store.read(cypher("credit/subject_count"))[0]
            sample = [r["uid"] for r in store.read(cypher("api/sample_subjects"), {"limit": args.samples})]
            random.Random(args.seed).shuffle(sample)
            print(f"graph at {uri}: {total}; sample of {len(sample)} subjects; as of {AS_OF}")
            in_process = bare(store, sample)
        print(f"bare check in-process (credit.evaluate):        {_ms(in_process)}")
        port = free_port()
        server = start_server(uri, port, args.workers)
        base = f"http://127.0.0.1:{port}"
        one = sequential(base, sample)
        ratio = _pct(one, 0.5) / _pct(in_process, 0.5)
        print(
            f"GET /check one at a time ({args.workers} worker(s)): {_ms(one)}; "
            f"overhead p50 {ratio:.2f}x (target <= 1.5x)"
        )
        elapsed, times, errors = asyncio.run(concurrent(base, sample, args.requests, args.concurrency))
        print(
            f"GET /check, {args.concurrency} in flight, {args.requests} requests: "
            f"{args.requests / elapsed:.0f} requests/s (target >= 300), {_ms(times)}, {errors} non-200"
        )
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(20)
        if instance is not None:
            print(
                f"the graph's Neo4j keeps running in {instance.data_dir}: stop it with "
                f"`ipcredit db stop --data {instance.data_dir}`"
            )


if __name__ == "__main__":
    main()
