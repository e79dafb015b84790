"""The bulk path: a big first load into an empty local database with Neo4j's own importer.

Items are validated by the same readers and turned into rows by the same functions as the transactional
path (`node_props`, `link_props`, `content_hash`), so a later transactional re-load of the same input finds
every record unchanged. Import CSV headers come from `NODE_KINDS`/`LINK_KINDS`: `uid:ID(<key label>)`,
`:LABEL`, typed property columns; links `:START_ID(<label>)`, `:END_ID(<label>)`, `:TYPE`.

Steps: refuse unless the database is the local one and empty; stream the items into one CSV per kind
(the digests of the records written so far stay in memory up to a bound, then go to an SQLite file
beside the CSVs, so memory stays flat however large the input); reject links whose endpoint is in no node file
(a second streaming pass) and repeated records (same uid: the same content is counted unchanged, other
content is rejected since the first one is kept); stop the local Neo4j, run
`org.neo4j.cli.AdminTool database import full neo4j … --overwrite-destination`, start it again, apply
`init_schema`, check the node and link counts against the summary, and link possible duplicates.
The local Neo4j is stopped before the Python stage, so that its worker processes (`loaders.bulk_pool`:
validation and import rows of canonical input, in input order) have every core.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable
from contextlib import closing
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel

from graph.local import LocalNeo4j, java_argv
from graph.model import Node
from graph.schema import LINK_KINDS, NODE_KINDS, PROVENANCE, LinkKind, NodeKind, Prop
from graph.settings import Settings, get_settings
from graph.store import Store
from loaders.records import Item, Reject
from loaders.rows import (
    PROGRESS_EVERY,
    LoadSummary,
    ProgressCallback,
    RejectsWriter,
    conflict_reason,
    content_hash,
    link_key,
    link_props,
    node_hash,
    node_props,
    reject_at,
    rejects_writer,
)
from loaders.seen import Seen, short
from queries import load as load_queries
from queries.schema import init_schema

# between array elements and between labels (`:LABEL`): validated text never holds control characters
ARRAY_DELIMITER = "\x1f"
IMPORT_HEAP = "1g"

# Neo4j import column types of the properties that are not plain strings.
_TYPES: dict[Prop, str] = {
    **dict.fromkeys(
        (
            Prop.REGISTERED_ON,
            Prop.BIRTH_DATE,
            Prop.FILED_ON,
            Prop.GRANTED_ON,
            Prop.DECIDED_ON,
            Prop.EXPIRES_ON,
            Prop.PENALTY_DONE_ON,
            Prop.SOURCE_PUBLISHED_UNTIL,
            Prop.SINCE,
            Prop.UNTIL,
        ),
        "date",
    ),
    Prop.RATIO: "double",
    Prop.SCORE: "double",
    Prop.ALIASES: "string[]",
    Prop.ALIASES_NORM: "string[]",
    Prop.PARTIAL_DATES: "string[]",
    Prop.CLASSES: "long[]",
    Prop.LOADED_AT: "datetime",
}


class BulkImportError(RuntimeError):
    """The bulk path cannot be used here, or the importer failed; the message says why."""


class BulkRun(BaseModel):
    """What the importer was given and how long each stage took."""

    files: list[str]
    write_seconds: float
    import_seconds: float


def _column(prop: Prop) -> str:
    kind = _TYPES.get(prop)
    return f"{prop}:{kind}" if kind else str(prop)


def node_header(kind: NodeKind) -> list[str]:
    """The import header of a node kind: its uid as ID in the key label's group, labels, typed properties."""
    props = [p for p in (*kind.properties, Prop.CONTENT_HASH, *PROVENANCE) if p != Prop.UID]
    return [f"{Prop.UID}:ID({kind.key_label})", ":LABEL", *(_column(p) for p in props)]


def link_header(kind: LinkKind) -> list[str]:
    props = [*kind.properties, Prop.CONTENT_HASH, *PROVENANCE]
    if kind.keyed:
        props.append(Prop.LINK_KEY)
    return [f":START_ID({kind.start})", f":END_ID({kind.end})", ":TYPE", *(_column(p) for p in props)]


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if type(value) is str:  # the common case first: this runs once per cell of every record
        return value
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(str(v) for v in value)
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


class _Writers:
    """One open CSV writer per kind under a work folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._files: dict[str, Any] = {}
        self._writers: dict[str, Any] = {}

    def writer(self, name: str, header: Callable[[], list[str]]) -> Any:
        """The writer of file `name`, made (and given `header()`) on first use."""
        if name not in self._writers:
            fh = (self.folder / f"{name}.csv").open("w", encoding="utf-8", newline="")
            self._files[name] = fh
            self._writers[name] = csv.writer(fh, lineterminator="\n")
            self._writers[name].writerow(header())
        return self._writers[name]

    def close(self) -> None:
        for fh in self._files.values():
            fh.close()

    def names(self) -> list[str]:
        return list(self._files)


class Row(NamedTuple):
    """One validated record made ready for its import file (the work that may run in a worker process):
    the identity and content digests the first pass checks repeats with, and the cells to write."""

    name: str  # node or link kind
    node: bool
    key: bytes  # short digest of the identity (uid in its key-label group; link ends, type, key)
    digest: bytes  # short content digest
    source_ref: str
    cells: list[Any]  # the import row, provenance and `loaded_at` included
    raw: str  # the record as JSON, for the reject of a later conflicting record


Prepared = Row | Reject


def prepare(item: Item, stamp: str) -> Prepared:
    """The import row of a validated record (`stamp`: the load's `loaded_at`); a reject passes through."""
    if isinstance(item, Reject):
        return item
    name = item.kind.name
    if isinstance(item, Node):
        kind = NODE_KINDS[name]
        props = node_props(item, kind)
        digest = node_hash(item, props)
        key = short(f"{kind.key_label}\x00{item.uid}")
        row: list[Any] = [item.uid, ARRAY_DELIMITER.join(kind.labels), *(props[str(p)] for p in kind.properties)]
        row += [digest, item.source, item.source_ref, stamp]
    else:
        link_kind = LINK_KINDS[name]
        props = link_props(item, link_kind)
        digest = content_hash(name, props)
        key_value = link_key(link_kind, props) or ""
        key = short(f"{name}\x00{item.start_uid}\x00{item.end_uid}\x00{key_value}")
        row = [item.start_uid, item.end_uid, link_kind.rel, *(props[str(p)] for p in link_kind.properties)]
        row += [digest, item.source, item.source_ref, stamp]
        if link_kind.keyed:
            row.append(key_value)
    cells = [_cell(v) for v in row]
    short_digest = bytes.fromhex(digest)[:8]
    return Row(name, isinstance(item, Node), key, short_digest, item.source_ref, cells, item.model_dump_json())


def write_import_files(
    items: Iterable[Item | Prepared],
    folder: Path,
    rejects: RejectsWriter,
    loaded_at: datetime,
    progress: ProgressCallback | None = None,
) -> tuple[LoadSummary, list[Path], list[Path]]:
    """Stream items (or rows already prepared, see `loaders.bulk_pool`) into import CSVs under `folder`;
    returns the summary and the node and link files. `progress` is told the records read so far."""
    summary = LoadSummary(loaded_at=loaded_at)
    folder.mkdir(parents=True, exist_ok=True)
    with closing(Seen(folder / "nodes.sqlite")) as seen:  # uid digest (per key-label group) -> content digest
        node_names, link_names = _write_files(items, folder, rejects, summary, seen, progress)
        link_files = _check_links(folder, link_names, seen, summary, rejects)
    summary.mostly_rejected = rejects.tally.mostly_rejected()
    return summary, [folder / f"{n}.csv" for n in node_names], link_files


def _write_files(
    items: Iterable[Item | Prepared],
    folder: Path,
    rejects: RejectsWriter,
    summary: LoadSummary,
    seen: Seen,
    progress: ProgressCallback | None,
) -> tuple[list[str], list[str]]:
    """The first pass, counting into `summary`: node files written, link files pending their endpoint
    check; returns the names of both."""
    stamp = summary.loaded_at.isoformat()
    links_seen = Seen(folder / "links.sqlite")  # link identity digest -> content digest
    raw_links = _Writers(folder / "pending")
    (folder / "pending").mkdir(parents=True, exist_ok=True)
    nodes = _Writers(folder)

    def reject(item: Reject) -> None:
        summary.count(item.kind).rejected += 1
        rejects.write(item)

    try:
        for number, item in enumerate(items, start=1):
            if progress is not None and number % PROGRESS_EVERY == 0:
                progress(number)
            row = item if isinstance(item, Row | Reject) else prepare(item, stamp)
            if isinstance(row, Reject):
                rejects.tally.read(row.file + ":")
                summary.count(row.kind).read += 1
                reject(row)
                continue
            rejects.tally.read(row.source_ref)
            count = summary.count(row.name)
            count.read += 1
            earlier = (seen if row.node else links_seen).add(
                row.key, row.digest + row.source_ref.encode("utf-8", "surrogateescape")
            )
            if earlier is not None:
                if earlier[:8] == row.digest:
                    count.unchanged += 1  # the same record again (a name-keyed one's further spellings too)
                    count.repeated += 1
                else:
                    first = earlier[8:].decode("utf-8", "surrogateescape")
                    what = f"{row.name} {row.cells[0]}" if row.node else f"{row.name} tie"
                    reject(_conflict(row, conflict_reason(what, first)))
                continue
            if row.node:
                nodes.writer(f"nodes_{row.name}", partial(node_header, NODE_KINDS[row.name])).writerow(row.cells)
                count.loaded += 1  # links are counted once their endpoints are checked
            else:
                header = partial(link_header, LINK_KINDS[row.name])
                raw_links.writer(f"links_{row.name}", header).writerow(row.cells)
    finally:
        nodes.close()
        raw_links.close()
        links_seen.close()
    return nodes.names(), raw_links.names()


def _conflict(row: Row, reason: str) -> Reject:
    """The reject of a prepared row, its raw record read back from the JSON (conflicts are rare)."""
    raw = json.loads(row.raw)
    return reject_at(raw["source"], row.source_ref, row.name, reason, raw)


def _check_links(
    folder: Path, names: list[str], seen: Seen, summary: LoadSummary, rejects: RejectsWriter
) -> list[Path]:
    """Second pass over the pending link files: keep the links whose two endpoints are in a node file."""
    out: list[Path] = []
    for name in names:
        kind = LINK_KINDS[name.removeprefix("links_")]
        source = folder / "pending" / f"{name}.csv"
        target = folder / f"{name}.csv"
        header = link_header(kind)
        ref_at = header.index(f"{Prop.SOURCE_REF}") if f"{Prop.SOURCE_REF}" in header else None
        with source.open(encoding="utf-8", newline="") as src, target.open("w", encoding="utf-8", newline="") as dst:
            reader, writer = csv.reader(src), csv.writer(dst, lineterminator="\n")
            writer.writerow(next(reader))
            count = summary.count(kind.name)
            for row in reader:
                start_ok = short(f"{kind.start}\x00{row[0]}") in seen
                end_ok = short(f"{kind.end}\x00{row[1]}") in seen
                if start_ok and end_ok:
                    writer.writerow(row)
                    count.loaded += 1
                    continue
                ends = [
                    f"{side} {uid}"
                    for side, uid, ok in (("start", row[0], start_ok), ("end", row[1], end_ok))
                    if not ok
                ]
                reason = f"dangling reference: no {' and no '.join(ends)} in the input"
                src_ref = row[ref_at] if ref_at is not None else ""
                raw = dict(zip(header, row, strict=True))
                count.rejected += 1
                rejects.write(reject_at(row[header.index(str(Prop.SOURCE))], src_ref, kind.name, reason, raw))
        source.unlink()
        out.append(target)
    shutil.rmtree(folder / "pending", ignore_errors=True)
    return out


def run_import(home: Path, node_files: list[Path], link_files: list[Path], work: Path) -> None:
    """Run Neo4j's importer on `home` (the local instance's data folder, stopped)."""
    home.mkdir(parents=True, exist_ok=True)
    conf = work / "conf"
    conf.mkdir(exist_ok=True)
    (conf / "neo4j.conf").write_text("")
    args = [
        "database",
        "import",
        "full",
        "neo4j",
        *(f"--nodes={f}" for f in node_files),
        *(f"--relationships={f}" for f in link_files),
        "--overwrite-destination=true",
        f"--array-delimiter=U+{ord(ARRAY_DELIMITER):04X}",
        "--threads=2",
        f"--report-file={work / 'import.report'}",
    ]
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(conf)}
    done = subprocess.run(
        java_argv("org.neo4j.cli.AdminTool", args, heap=IMPORT_HEAP),
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    (work / "import.log").write_text(done.stdout + done.stderr)
    if done.returncode != 0:
        tail = (done.stdout + done.stderr)[-3000:]
        raise BulkImportError(f"Neo4j's importer failed (status {done.returncode}):\n{tail}")


def bulk_load(
    items: Iterable[Item | Prepared],
    *,
    rejects_path: Path | None,
    progress: ProgressCallback | None = None,
    instance: LocalNeo4j | None = None,
    settings: Settings | None = None,
    resolve: bool = True,
    loaded_at: datetime | None = None,
) -> LoadSummary:
    """Import `items` into the empty local database with Neo4j's importer; see the module docstring.
    `items` may be rows prepared in worker processes (`loaders.bulk_pool`) with the same `loaded_at`.
    `progress`, when given, is told the records read so far."""
    settings = settings or get_settings()
    if settings.neo4j_uri and instance is None:
        raise BulkImportError(
            f"--bulk works only on the local Neo4j (NEO4J_URI points to {settings.neo4j_uri}); "
            "load into an external server without --bulk"
        )
    instance = instance or LocalNeo4j(settings.local_data_dir, settings=settings)
    started = time.monotonic()
    state = instance.state()
    if state is None and (instance.data_dir / "data" / "databases" / "neo4j").exists():
        instance.start()  # an existing database that is not running: look inside before overwriting it
        state = instance.state()
    if state is not None:
        with Store.connect(settings, uri=state.uri) as store:
            if load_queries.count_graph(store).nodes:
                raise BulkImportError(
                    f"--bulk needs an empty database; the one in {instance.data_dir} holds data "
                    "(load without --bulk to add to it)"
                )
    loaded_at = loaded_at or datetime.now(UTC)
    work = Path(tempfile.mkdtemp(prefix="ipcredit-bulk-"))
    try:
        port = state.port if state is not None else instance.port
        instance.stop()  # before the Python stage, so that its workers have every core
        stage = time.monotonic()
        with rejects_writer(rejects_path, settings) as rejects:
            summary, node_files, link_files = write_import_files(items, work, rejects, loaded_at, progress)
        if not node_files:
            raise BulkImportError("nothing to import: no node record was read")
        summary.stages["write"], stage = round(time.monotonic() - stage, 3), time.monotonic()
        run_import(instance.data_dir, node_files, link_files, work)
        summary.stages["import"], stage = round(time.monotonic() - stage, 3), time.monotonic()
        instance.port = port
        uri = instance.start()
        with Store.connect(settings, uri=uri) as store:
            init_schema(store)
            summary.stages["start_and_schema"], stage = round(time.monotonic() - stage, 3), time.monotonic()
            _verify_counts(store, summary)
            if resolve:
                summary.possible_duplicates = load_queries.possible_duplicates(store, loaded_at)
            summary.stages["check_and_resolve"] = round(time.monotonic() - stage, 3)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for name, count in summary.kinds.items():
        if not count.balanced():
            raise AssertionError(f"bulk load books do not balance for {name}: {count}")
    summary.rejects_file = str(rejects_path) if rejects_path is not None else None
    summary.seconds = round(time.monotonic() - started, 3)
    return summary


def _verify_counts(store: Store, summary: LoadSummary) -> None:
    nodes = sum(c.loaded for n, c in summary.kinds.items() if n in NODE_KINDS)
    links = sum(c.loaded for n, c in summary.kinds.items() if n in LINK_KINDS)
    found = load_queries.count_graph(store)
    if (found.nodes, found.links) != (nodes, links):
        raise BulkImportError(
            f"the importer wrote {found.nodes} nodes and {found.links} links; expected {nodes} and {links}"
        )
