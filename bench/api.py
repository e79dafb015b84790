"""Benchmark of the HTTP API's linked-risk check over loopback. Prints figures; not a test.

    .venv/bin/python -m bench.api --uri bolt://127.0.0.1:7687        # a graph already loaded
    .venv/bin/python -m bench.api --keep DIR [--subjects 1000000]    # build (or reuse) a synthetic graph

With `--keep`, the graph is the one `bench.credit --keep DIR` builds (`bench.graph.build_or_reuse`:
synth + Neo4j's bulk importer, in DIR/neo4j), made once and reused. After a warm-up on other subjects,
it measures over a random sample of subjects:
  - the bare check in-process: `credit.evaluate` (the same statements the endpoint runs), p50 / p99;
  - `GET /check/{uid}` through uvicorn in a subprocess, from a lean keep-alive client on loopback
    (`Connection`), one request at a time (p50 / p99, and the ratio HTTP p50 / bare p50), three ways:
    from the maintained state (the graph must have been classified: `bench.freshness` does it),
    `?live=true` (recomputed and compared with the maintained state), and `as_of` (recomputed for a date);
  - the same with `--concurrency` requests in flight for `--requests` requests: requests/s (target >= 300),
    p50 / p99, and the load generator's own CPU per request. A closed loop keeps every connection busy,
    so its latency is in-flight / throughput (Little's law) whatever the server's speed; the maintained
    check is also measured as an open loop, `--rate` requests/s offered over at most `--concurrency`
    connections, with each latency counted from when the request was due.
The server runs with an investigator key (no masking look-up) and is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx

from bench.graph import AS_OF, Stolen, build_or_reuse, ms, pct, split_sample, warm_up
from credit.evaluate import evaluate
from credit.policy import default_policy
from graph.local import free_port
from graph.store import Store
from queries.credit import subject_count, subject_uids

KEY = "bench-key"


def bare(store: Store, sample: list[str], pool: list[str]) -> list[float]:
    policy = default_policy()
    warmed = warm_up(lambda uid: evaluate(store, uid, AS_OF, policy), pool)
    print(f"warm-up: {warmed} checks in-process on other subjects")
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


class Connection:
    """One keep-alive HTTP/1.1 connection that sends a request and reads its answer with the least work
    in Python: on a 2-core machine the load generator's CPU is taken from the server it measures, and a
    full client (httpx) used about as much CPU per request as the server's routing."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int, count: int) -> list[Connection]:
        """`count` connections to the server on `port`."""
        return [cls(*await asyncio.open_connection("127.0.0.1", port)) for _ in range(count)]

    async def get(self, target: str) -> int:
        """The status of `GET target` (its body read and dropped)."""
        self.writer.write(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: {KEY}\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        length = _CONTENT_LENGTH.search(head)
        if length is None:
            raise SystemExit(f"an answer without Content-Length: {head[:200]!r}")
        await self.reader.readexactly(int(length[1]))
        return int(head[9:12])

    def close(self) -> None:
        self.writer.close()


_CONTENT_LENGTH = re.compile(rb"(?i)\r\ncontent-length: *(\d+)")


def targets(sample: list[str], count: int, params: dict[str, str]) -> list[str]:
    query = f"?{urlencode(params)}" if params else ""
    return [f"/check/{quote(sample[i % len(sample)], safe=':')}{query}" for i in range(count)]


async def drive(port: int, paths: list[str], concurrency: int) -> tuple[float, list[float], int, float]:
    """`paths` requested over `concurrency` connections: seconds elapsed, each request's seconds, the
    number of non-200 answers, and the CPU seconds the load generator itself used."""
    times: list[float] = []
    errors = 0
    queue = list(reversed(paths))
    connections = await Connection.open(port, concurrency)

    async def worker(connection: Connection) -> None:
        nonlocal errors
        while queue:
            target = queue.pop()
            started = time.perf_counter()
            status = await connection.get(target)
            times.append(time.perf_counter() - started)
            errors += status != 200

    cpu, started = time.process_time(), time.perf_counter()
    await asyncio.gather(*(worker(c) for c in connections))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    for connection in connections:
        connection.close()
    return elapsed, times, errors, cpu


async def paced(port: int, paths: list[str], rate: float, concurrency: int) -> tuple[float, list[float], int]:
    """`paths` sent at `rate` a second (an open loop, as callers arrive) over at most `concurrency`
    connections: seconds elapsed, each request's seconds counted from when it was due (so one held
    back by busy connections shows its wait), and the number of non-200 answers."""
    connections = await Connection.open(port, concurrency)
    free: asyncio.Queue[Connection] = asyncio.Queue()
    for connection in connections:
        free.put_nowait(connection)
    times: list[float] = []
    errors = 0

    async def one(target: str, due: float) -> None:
        nonlocal errors
        connection = await free.get()
        errors += await connection.get(target) != 200
        times.append(time.perf_counter() - due)
        free.put_nowait(connection)

    begin = time.perf_counter()
    sent: list[asyncio.Task[None]] = []
    for index, target in enumerate(paths):
        due = begin + index / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        sent.append(asyncio.create_task(one(target, due)))
    await asyncio.gather(*sent)
    elapsed = time.perf_counter() - begin
    for connection in connections:
        connection.close()
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
    parser.add_argument("--rate", type=float, default=300.0, help="offered requests/s of the open-loop run")
    args = parser.parse_args()

    instance = None
    if args.keep:
        instance, uri = build_or_reuse(args.keep, args.subjects, args.seed, args.heap, args.pagecache)
    else:
        uri = args.uri
    server = None
    try:
        with Store.connect(uri=uri) as store:
            total = subject_count(store)
            uids = subject_uids(store)
            sample, pool = split_sample(uids, args.samples, args.seed)
            print(f"graph at {uri}: {total} subjects; sample of {len(sample)} subjects; as of {AS_OF}")
            in_process = bare(store, sample, pool)
        print(f"bare check in-process (credit.evaluate):        {ms(in_process)}")
        port = free_port()
        server = start_server(uri, port, args.workers)
        for name, params in (
            ("maintained", {}),
            ("?live=true", {"live": "true"}),
            ("as_of", {"as_of": AS_OF.isoformat()}),
        ):
            asyncio.run(drive(port, targets(sample, 20, params), 1))  # warm-up
            _, one, _, _ = asyncio.run(drive(port, targets(sample, len(sample), params), 1))
            ratio = pct(one, 0.5) / pct(in_process, 0.5)
            print(
                f"GET /check {name} one at a time ({args.workers} worker(s)): {ms(one)}; "
                f"p50 {ratio:.2f}x the bare check"
            )
            paths = targets(sample, args.requests, params)
            stolen = Stolen()
            elapsed, times, errors, cpu = asyncio.run(drive(port, paths, args.concurrency))
            print(
                f"GET /check {name}, {args.concurrency} in flight, {args.requests} requests: "
                f"{args.requests / elapsed:.0f} requests/s (target >= 300), {ms(times)}, {errors} non-200; "
                f"load generator {cpu / args.requests * 1000:.2f} ms CPU a request; {stolen}"
            )
            if name == "maintained":
                stolen = Stolen()
                elapsed, times, errors = asyncio.run(paced(port, paths, args.rate, args.concurrency))
                print(
                    f"GET /check {name}, offered {args.rate:.0f} requests/s (open loop, at most "
                    f"{args.concurrency} in flight): {args.requests / elapsed:.0f} requests/s served, "
                    f"{ms(times)} from when each was due (target p99 <= 20 ms), {errors} non-200; {stolen}"
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
