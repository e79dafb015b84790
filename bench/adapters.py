"""Benchmark of the real-format readers (no database): items per second and peak memory on the shared
samples (`../shared/data`), each read `repeat` times.

Usage: .venv/bin/python -m bench.adapters [REPEAT]
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from graph.settings import get_settings
from loaders.adapters.ftm import read_ftm
from loaders.adapters.tipo import read_tipo
from loaders.adapters.uspto import read_uspto
from loaders.records import Item

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def main(argv: list[str]) -> None:
    repeat = int(argv[0]) if argv else 3
    data = get_settings().shared_data_dir or DATA
    readers: list[tuple[str, Callable[[Path], Iterator[Item]], Path]] = [
        ("uspto-xml", read_uspto, data / "uspto-grants" / "xml"),
        ("tipo-xml", read_tipo, data / "tipo-trademarks"),
        ("ftm", read_ftm, data / "opensanctions-ftm"),
    ]
    for name, reader, path in readers:
        size = sum(f.stat().st_size for f in path.iterdir() if f.suffix in (".xml", ".json"))
        started = time.perf_counter()
        items = sum(1 for _ in range(repeat) for _ in reader(path))
        seconds = time.perf_counter() - started
        rate = items / seconds
        megabytes = size * repeat / seconds / 2**20
        print(f"{name:<10} {items // repeat:>8,} items  {rate:>10,.0f} items/s  {megabytes:6.1f} MB/s")
    print(f"peak RSS MB {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}")


if __name__ == "__main__":
    main(sys.argv[1:])
