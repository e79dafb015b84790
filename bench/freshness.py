"""Benchmark of levels kept current. Prints figures; not a test.

    .venv/bin/python -m bench.freshness --keep DIR [--subjects 1000000] [--violations 1000] [--ties 10000]
                                        [--days 30] [--seed 0] [--tag day]

On the synthetic graph in DIR (`bench.graph.build_or_reuse`, shared with bench.credit and bench.api):
  - a full classification, then the same again over the unchanged graph (nodes written: target 0);
  - a daily increment of `--violations` new records and `--ties` new shareholdings among existing
    subjects: the transactional load and the re-grading of whom it reaches (target <= 10 s in total),
    against a full classification of the result (target >= 20x slower), `classify --verify`'s count of
    differences (target 0), and that full classification writes nothing after the increment;
  - `--days` simulated daily runs (a small increment each, then the daily classification as of the next
    day): :Assessment and :Change nodes after each, which grow with the changes, not with the subjects.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.graph import AS_OF, build_or_reuse
from bench.statements import count_label
from credit.classify import classify_all
from credit.freshness import regrade_after_load, verify
from credit.policy import default_policy
from graph.schema import Label
from graph.store import Store
from loaders.formats import reader_for
from loaders.pipeline import load
from queries.credit import subject_uids

CODES = ("CN_MALICIOUS_TM", "CN_FALSE_MATERIAL", "CN_ABNORMAL_PATENT", "CN_COMMITMENT_BROKEN")


def nodes(store: Store, label: Label) -> int:
    return count_label(store, label)


def increment(rng: random.Random, uids: list[str], tag: str, day: date, violations: int, ties: int) -> dict[str, Any]:
    return {
        "violations": [
            {
                "uid": f"bench-violation:{tag}:{i}",
                "subject_uid": rng.choice(uids),
                "behaviour_code": rng.choice(CODES),
                "decided_on": (day - timedelta(days=rng.randint(1, 300))).isoformat(),
            }
            for i in range(violations)
        ],
        "ties": [
            {
                "kind": "shareholder",
                "start_uid": a,
                "end_uid": b,
                "ratio": round(rng.uniform(0.05, 0.9), 2),
                "since": (day - timedelta(days=rng.randint(0, 30))).isoformat(),
            }
            for a, b in (rng.sample(uids, 2) for _ in range(ties))
        ],
    }


def load_increment(store: Store, folder: Path, data: dict[str, Any], as_of: date) -> tuple[float, float, int, int]:
    """Load and re-grade; (load seconds, re-grade seconds, subjects re-graded, states changed)."""
    folder.mkdir(parents=True, exist_ok=True)
    for kind, rows in data.items():
        (folder / f"{kind}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    started = time.perf_counter()
    summary = load(store, reader_for("jsonl")(folder), rejects_path=folder / "rejects.jsonl", batch_size=10_000)
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    regraded = regrade_after_load(store, summary.loaded_at, as_of=as_of)
    return loaded, time.perf_counter() - started, len(regraded.evaluations), regraded.written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", type=Path, required=True)
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--violations", type=int, default=1000)
    parser.add_argument("--ties", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tag", default="day", help="prefix of the increments' uids: new ones on a kept graph")
    parser.add_argument("--heap", default="3g")
    parser.add_argument("--pagecache", default="3g")
    args = parser.parse_args()
    policy = default_policy()
    rng = random.Random(args.seed)
    _, uri = build_or_reuse(args.keep, args.subjects, args.seed, args.heap, args.pagecache)
    work = Path(tempfile.mkdtemp(prefix="ipcredit-bench-freshness-"))
    with Store.connect(uri=uri) as store:
        uids = subject_uids(store)
        print(f"graph: {len(uids)} subjects")
        first = classify_all(store, AS_OF, policy)
        print(f"full classification: {first.seconds:.1f} s, {first.written} states written, {first.changes} events")
        counts = nodes(store, Label.ASSESSMENT), nodes(store, Label.CHANGE)
        again = classify_all(store, AS_OF, policy)
        after = nodes(store, Label.ASSESSMENT), nodes(store, Label.CHANGE)
        print(
            f"re-classification of the unchanged graph: {again.seconds:.1f} s, {again.written} states written; "
            f"(:Assessment, :Change) {counts} -> {after}"
        )

        data = increment(rng, uids, f"{args.tag}0", AS_OF, args.violations, args.ties)
        loaded, regraded, touched, written = load_increment(store, work / "day0", data, AS_OF)
        print(
            f"daily increment ({args.violations} records, {args.ties} ties): load {loaded:.1f} s + re-grade "
            f"{regraded:.1f} s = {loaded + regraded:.1f} s; {touched} subjects re-graded, {written} changed"
        )
        started = time.perf_counter()
        differences = verify(store, AS_OF, policy)
        print(f"classify --verify: {len(differences)} differences in {time.perf_counter() - started:.1f} s")
        full = classify_all(store, AS_OF, policy)
        print(
            f"full classification after the increment: {full.seconds:.1f} s, {full.written} states written; "
            f"speed-up of the incremental path {full.seconds / (loaded + regraded):.1f}x (load included), "
            f"{full.seconds / regraded:.1f}x (re-grading alone)"
        )

        small_v, small_t = max(1, args.violations // 30), max(1, args.ties // 30)
        for day in range(1, args.days + 1):
            today = AS_OF + timedelta(days=day)
            data = increment(rng, uids, f"{args.tag}{day}", today, small_v, small_t)
            loaded, regraded, touched, written = load_increment(store, work / f"day{day}", data, today)
            daily = classify_all(store, today, policy)
            print(
                f"day {day:2}: +{small_v} records +{small_t} ties, re-grade {regraded:.1f} s ({written} changed), "
                f"daily classification {daily.seconds:.1f} s ({daily.written} changed); "
                f":Assessment {nodes(store, Label.ASSESSMENT)}, :Change {nodes(store, Label.CHANGE)}"
            )


if __name__ == "__main__":
    main()
