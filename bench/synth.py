"""Benchmark of `ipcredit synth`: time, rows per second and peak memory for N subjects.

Usage: .venv/bin/python -m bench.synth [N] [OUT]   (default 1,000,000 subjects into a temporary folder)
"""

from __future__ import annotations

import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from synth.generator import generate


def main(argv: list[str]) -> None:
    subjects = int(argv[0]) if argv else 1_000_000
    keep = len(argv) > 1
    out = Path(argv[1]) if keep else Path(tempfile.mkdtemp(prefix="ipcredit-synth-"))
    started = time.perf_counter()
    summary = generate(out, subjects, seed=1)
    seconds = time.perf_counter() - started
    rows = sum(v for k, v in summary.rows.items() if k != "truth")
    size = sum(f.stat().st_size for f in out.iterdir())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"subjects            {summary.subjects:>12,}")
    for name, count in summary.rows.items():
        print(f"  {name:<17} {count:>12,}")
    print(f"rows (w/o truth)    {rows:>12,}")
    print(
        f"rings               {sum(summary.rings.values()):>12,}  offenders {summary.offenders:,} tied {summary.tied:,}"
    )
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"seconds             {seconds:>12.1f}")
    print(f"CPU seconds         {usage.ru_utime + usage.ru_stime:>12.1f}  (wall time suffers when the machine is busy)")
    print(f"rows/s              {rows / seconds:>12,.0f}")
    print(f"output MB           {size / 2**20:>12.1f}")
    print(f"peak RSS MB         {peak_mb:>12.1f}")
    if not keep:
        shutil.rmtree(out)


if __name__ == "__main__":
    main(sys.argv[1:])
