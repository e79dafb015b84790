"""`ipcredit demo`: the whole service on the sample data, in one command.

Starts the local Neo4j (unless `NEO4J_URI` is set), applies the schema, loads the real public samples
in `../shared/data/` (USPTO grants, Taiwan IPO trademarks, OpenSanctions FtM) and a synthetic set with
planted dishonesty rings, classifies every subject, then serves the API and the pages on 127.0.0.1
and prints the pages to open first. Loading is idempotent, so running it again is quick and safe.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from rich.console import Console

from credit.supervision.inspections import Inspector, PlanRequest, plan_inspections
from credit.supervision.regions import assign
from graph.settings import Settings
from graph.store import Store
from loaders.rows import KindCount
from queries.subjects import demo_candidates
from queries.supervision import plans as supervision_plans

REPO = Path(__file__).resolve().parents[1]

# (format, folder under the shared data, file pattern)
SAMPLES: tuple[tuple[str, str, str], ...] = (
    ("uspto-xml", "uspto-grants/xml", "*.xml"),
    ("tipo-xml", "tipo-trademarks", "*.xml"),
    ("ftm", "opensanctions-ftm", "*.ftm.json"),
)


class DemoError(RuntimeError):
    """The demo cannot run (no sample data folder, a loader failing); the message says what to do."""


def _(message: str) -> str:
    """Marks a msgid for the catalogue (babel.cfg extracts `_`); it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class Tip:
    """Where to go first: `text` is a catalogue msgid (English) and `params` fill it, so the page and
    the console each say it in their reader's language."""

    text: str
    href: str
    params: dict[str, str] = field(default_factory=dict)

    def said(self, gettext: Callable[[str], str]) -> str:
        return gettext(self.text) % self.params


def _page(page: str, uid: str) -> str:
    """The path of a subject's page of one kind (subject, chains, report)."""
    return f"/ui/{page}/{quote(uid, safe=':')}"


def check_port(port: int) -> None:
    """Fail at once, not after minutes of loading, when the demo could not serve on `port`."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            raise DemoError(
                f"port {port} on 127.0.0.1 is in use ({exc.strerror}); choose another: make demo PORT={port + 1}"
            ) from exc


def outcome(count: KindCount) -> str:
    """What a load did, saying why records are unchanged (repeats within the input, already loaded)."""
    parts = [f"{count.loaded} loaded"]
    if count.unchanged:
        why = []
        if count.repeated:
            why.append(f"{count.repeated} repeated within the input")
        if count.unchanged > count.repeated:
            why.append(f"{count.unchanged - count.repeated} already in the graph")
        parts.append(f"{count.unchanged} unchanged ({', '.join(why)})")
    else:
        parts.append("0 unchanged")
    parts.append(f"{count.rejected} rejected")
    return ", ".join(parts)


def shared_data_dir(settings: Settings) -> Path:
    """`IPCREDIT_SHARED_DATA`, else `../shared/data` next to the repository."""
    folder = settings.shared_data_dir or REPO.parent / "shared" / "data"
    if not folder.is_dir():
        raise DemoError(f"no sample data folder at {folder}; set IPCREDIT_SHARED_DATA to where it is")
    return folder


def sample_files(folder: Path) -> Iterator[tuple[str, list[Path]]]:
    for fmt, sub, pattern in SAMPLES:
        files = sorted((folder / sub).glob(pattern))
        if files:
            yield fmt, files


def load_samples(store: Store, settings: Settings, work: Path, console: Console) -> None:
    """Load every real sample and report what each loader did (rejects go to files under `work`)."""
    from loaders.formats import reader_for
    from loaders.pipeline import load

    for fmt, files in sample_files(shared_data_dir(settings)):
        reader = reader_for(fmt)
        rejects = work / f"rejects-{fmt}.jsonl"
        summary = load(
            store, (item for f in files for item in reader(f)), rejects_path=rejects, batch_size=settings.batch_size
        )
        console.print(f"  {fmt:<10} {len(files)} file(s): {outcome(summary.total)} (see {rejects})")


def load_synthetic(store: Store, settings: Settings, work: Path, subjects: int, seed: int, console: Console) -> Path:
    """Generate the synthetic set with planted rings (once per size and seed) and load it."""
    from loaders.formats import reader_for
    from loaders.pipeline import load
    from synth.generator import generate

    out = work / f"synth-{subjects}-{seed}"
    if not (out / "truth.jsonl").is_file():
        generate(out, subjects, seed)
    summary = load(
        store, reader_for("csv")(out), rejects_path=work / "rejects-synth.jsonl", batch_size=settings.batch_size
    )
    console.print(f"  synthetic  {subjects} subjects (seed {seed}): {outcome(summary.total)}")
    return out / "truth.jsonl"


def pick_tips(store: Store, truth: Path) -> list[Tip]:
    """A ringleader (an offender of the biggest ring, most tied), a clean company, and where to go next."""
    rows = [json.loads(line) for line in truth.read_text(encoding="utf-8").splitlines() if line.strip()]
    ring_size: dict[str, int] = {}
    for row in rows:
        if row.get("ring"):
            ring_size[row["ring"]] = ring_size.get(row["ring"], 0) + 1
    offenders = [r["uid"] for r in rows if r.get("role") == "offender"]
    clean = [r["uid"] for r in rows if r.get("role") == "clean" and not r.get("ring")][:2000]
    facts = {r.uid: r for r in demo_candidates(store, offenders + clean)}
    ring_of = {r["uid"]: r.get("ring") for r in rows}
    tips: list[Tip] = []
    ranked = sorted(
        (u for u in offenders if u in facts),
        key=lambda u: (facts[u].level != "D", -ring_size.get(ring_of[u] or "", 0), -facts[u].ties),
    )
    if ranked:
        leader = facts[ranked[0]]
        tips.append(
            Tip(
                _("a ringleader: %(name)s (level %(level)s)"),
                _page("subject", leader.uid),
                {"name": str(leader.name), "level": str(leader.level)},
            )
        )
        tips.append(Tip(_("… and its dishonesty chains"), _page("chains", leader.uid)))
    calm = sorted(
        (
            u
            for u in clean
            if u in facts
            and "Company" in facts[u].labels
            and "Agency" not in facts[u].labels
            and facts[u].level in ("A", "A+")
        ),
        key=lambda u: -facts[u].ties,
    )
    if calm:
        good = facts[calm[0]]
        tips.append(
            Tip(
                _("a clean company: %(name)s (level %(level)s)"),
                _page("subject", good.uid),
                {"name": str(good.name), "level": str(good.level)},
            )
        )
        tips.append(Tip(_("its printable credit report"), _page("report", good.uid)))
    tips.append(Tip(_("the public list of seriously dishonest subjects (JSON: /lists/serious)"), "/ui/lists/serious"))
    tips.append(Tip(_("the API documentation (OpenAPI)"), "/docs"))
    return tips


DEMO_OWNER = "demo"  # the owner of the demo's watchlist (API keys own theirs)


def watch_a_load(store: Store, truth: Path, work: Path, console: Console) -> None:
    """Freshness in action: watch a clean company, load one new record against it, show the event the
    watchlist received (re-running finds the record loaded and the event already there)."""
    from datetime import timedelta

    from credit.evaluate import today
    from credit.freshness import regrade_after_load
    from loaders.formats import reader_for
    from loaders.pipeline import load
    from queries.feed import create_watchlist, head, watchlist_changes, watchlists_of

    rows = [json.loads(line) for line in truth.read_text(encoding="utf-8").splitlines() if line.strip()]
    clean = sorted(r["uid"] for r in rows if r.get("role") == "clean" and not r.get("ring"))
    if not clean:
        return
    member = clean[0]
    mine = [w for w in watchlists_of(store, DEMO_OWNER) if w.name == "demo watchlist"]
    watch = (
        mine[0]
        if mine
        else create_watchlist(store, owner=DEMO_OWNER, name="demo watchlist", members=[member], webhook=None)
    )
    since = head(store) if not mine else 0
    folder = work / "increment"
    folder.mkdir(parents=True, exist_ok=True)
    record = {
        "uid": "demo-violation:1",
        "subject_uid": watch.members[0],
        "behaviour_code": "CN_FALSE_MATERIAL",
        "decided_on": (today() - timedelta(days=30)).isoformat(),
        "authority": "demo",
    }
    (folder / "violations.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    summary = load(store, reader_for("jsonl")(folder), rejects_path=work / "rejects-increment.jsonl", batch_size=100)
    regraded = regrade_after_load(store, summary.loaded_at)
    console.print(
        f"watchlist {watch.uid} follows {watch.members[0]}; a load of one new record against it "
        f"re-graded {len(regraded.evaluations)} subject(s), {regraded.written} changed:"
    )
    for change in watchlist_changes(store, watch.uid, DEMO_OWNER, since, 10):
        console.print(
            f"  #{change.seq} {change.subject_uid}: {change.old_level} -> {change.new_level} "
            f"(score {change.old_score} -> {change.new_score}), new records {change.new_records}, "
            f"cause {change.cause_kind} {change.cause_uid}"
        )
    console.print(f"  follow every change with `ipcredit changes --since {since}` or GET /changes?since={since}")


DEMO_PERIOD = "2026Q3"  # the quarter of the synthetic anchor
DEMO_SEED = "demo"
DEMO_ROSTER = tuple(f"insp-{n:02d}" for n in range(1, 9))


def supervise(store: Store, console: Console) -> list[Tip]:
    """Regions for every subject, the quarter's random inspection plan (drawn once: a second run shows
    the one drawn before), and the tips to the plan and the annual report."""
    regions = assign(store)
    console.print(f"regions: {regions.assigned} set or changed, {regions.unknown} without a recognisable region")
    stored = supervision_plans(store, region=None, limit=200)
    drawn = [p for p, _ in stored if (p["period"], p["seed"]) == (DEMO_PERIOD, DEMO_SEED)]
    if drawn:
        uid = str(drawn[0]["uid"])
    else:
        roster = [Inspector(id=i, name=f"督查员 {i[-2:]}", office="demo") for i in DEMO_ROSTER]
        request = PlanRequest(period=DEMO_PERIOD, seed=DEMO_SEED, inspectors=roster)
        plan = plan_inspections(store, request, actor=DEMO_OWNER)
        uid = str(plan.uid)
        console.print(f"inspection plan {DEMO_PERIOD} (seed {DEMO_SEED}): {len(plan.inspections)} inspections")
    return [
        Tip(
            _("the random inspection plan of %(period)s (published)"),
            f"/inspections/plans/{quote(uid)}",
            {"period": DEMO_PERIOD},
        ),
        Tip(_("the annual credit supervision report, with charts"), f"/ui/stats?year={DEMO_PERIOD[:4]}"),
    ]
