"""The transactional load: a stream of items -> batches per kind -> one UNWIND/MERGE statement per kind.

Every item read ends up counted as loaded, unchanged or rejected (read = loaded + unchanged + rejected
per kind, checked at the end). Records carry a content hash of their properties: a re-load of an unchanged
record writes nothing (not even `loaded_at`); a changed one is updated and its previous hash and source
go to its `provenance_history`. The same record twice in one input is counted unchanged (and repeated); with other
content the first is kept and the second rejected ("conflicts with line N", both contents). A subject
whose uid is derived from its name (`name_keyed`) takes other spellings as aliases, its first name stays.
Links are flushed only after every node batch seen so far, so a link whose endpoint is still missing is a
real dangling reference and is rejected with that reason. A batch the server refuses for its rows (a
statement or schema client error: a constraint, a type) is bisected down to the rows at fault, which are
rejected with the server's message while the rest
load. Any other failure (the database unreachable, shutting down, out of memory) is no row's fault: the
load stops at once with `LoadInterruptedError`, carrying the summary so far, and no row is filed as a
reject. Memory is bounded by the batch size and the digests of records seen (which spill to SQLite).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from pathlib import Path
from typing import IO, Any

from neo4j.exceptions import ClientError, DriverError, Neo4jError
from pydantic import BaseModel, Field, computed_field
from rich.console import Console
from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from graph.cypher import cypher
from graph.identity import server_secret
from graph.model import Link, Node, normalize_name
from graph.schema import LINK_KINDS, NODE_KINDS, LinkKind, NodeKind, Prop, Rel
from graph.settings import MIN_REDACTED, Settings, get_settings
from graph.store import Store
from loaders.records import Item, Reject
from loaders.seen import Seen, short

REDACTED = "[redacted]"
RAW_FIELD_LIMIT = 2000  # characters kept of one raw string in the rejects file
SUBJECT_KINDS = frozenset({"company", "person", "agency", "agent"})
UNKNOWN_KEY = "unknown"  # the link_key part of a keyed link whose discriminator (e.g. role) is not given
OPEN_END = "-"  # the link_key part of a period end that is not given
# client-error classifications that blame the rows sent (constraint violations, type and argument errors)
ROW_FAULTS = ("Neo.ClientError.Statement.", "Neo.ClientError.Schema.")


class KindCount(BaseModel):
    """What happened to the records of one kind."""

    read: int = 0
    loaded: int = 0  # new or changed, written
    unchanged: int = 0  # already in the graph with the same content, or given again in this input
    repeated: int = 0  # of the unchanged: the same record given again in this input (on an empty graph, all)
    rejected: int = 0

    def balanced(self) -> bool:
        return self.read == self.loaded + self.unchanged + self.rejected


class ReasonCount(BaseModel):
    """One kind of reject reason in a file (values in it replaced by `…`), how often, and where first."""

    reason: str
    count: int
    first_refs: list[str]


class FileReport(BaseModel):
    """A file most of whose records were rejected (wrong format, wrong encoding?), with why."""

    file: str
    read: int
    rejected: int
    reasons: list[ReasonCount]


class LoadSummary(BaseModel):
    """The outcome of one load, per node or link kind."""

    kinds: dict[str, KindCount] = Field(default_factory=dict)
    mostly_rejected: list[FileReport] = Field(default_factory=list)  # files with more rejected than not
    rejects_file: str | None = None
    possible_duplicates: int = 0  # POSSIBLE_SAME_AS links made after the load
    loaded_at: datetime
    seconds: float = 0.0
    stages: dict[str, float] = Field(default_factory=dict)  # seconds per stage, where a path has stages
    # why the load stopped before the end (counts are then what was done so far; `read` may include
    # records not yet written)
    interrupted: str | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total(self) -> KindCount:
        out = KindCount()
        for count in self.kinds.values():
            out.read += count.read
            out.loaded += count.loaded
            out.unchanged += count.unchanged
            out.repeated += count.repeated
            out.rejected += count.rejected
        return out

    def as_json(self) -> dict[str, Any]:
        """The summary as the CLI's `--json` and a load job print it: every field, plus the total."""
        return {**self.model_dump(mode="json"), "total": self.total.model_dump()}

    def count(self, kind: str) -> KindCount:
        return self.kinds.setdefault(kind, KindCount())


_VALUES = re.compile(r"'[^']*'|\"[^\"]*\"|\S*\d\S*")  # quoted values, numbers, ids: what varies by record
REASON_GROUPS = 20  # reason kinds kept per file (the rest are counted as "other reasons")
FIRST_REFS = 3


class FileTally:
    """Records read and rejected per input file, and the rejects' reasons grouped, so that the summary
    can say why a file was mostly rejected, not only point at the rejects file."""

    def __init__(self) -> None:
        self._read: dict[str, int] = {}
        self._rejected: dict[str, int] = {}
        self._reasons: dict[str, dict[str, ReasonCount]] = {}
        self._lock = threading.Lock()

    def read(self, source_ref: str) -> None:
        file = _file_of(source_ref)
        with self._lock:
            self._read[file] = self._read.get(file, 0) + 1

    def rejected(self, reject: Reject) -> None:
        file = Path(reject.file).name
        group = _VALUES.sub("…", reject.reason)
        with self._lock:
            self._rejected[file] = self._rejected.get(file, 0) + 1
            reasons = self._reasons.setdefault(file, {})
            if group not in reasons and len(reasons) >= REASON_GROUPS:
                group = "other reasons"
            count = reasons.setdefault(group, ReasonCount(reason=group, count=0, first_refs=[]))
            count.count += 1
            if len(count.first_refs) < FIRST_REFS:
                count.first_refs.append(reject.ref)

    def mostly_rejected(self) -> list[FileReport]:
        out = []
        for file, rejected in sorted(self._rejected.items()):
            read = self._read.get(file, 0)
            if rejected * 2 > read:
                reasons = sorted(self._reasons[file].values(), key=lambda r: (-r.count, r.reason))
                out.append(FileReport(file=file, read=read, rejected=rejected, reasons=reasons))
        return out


def _file_of(source_ref: str) -> str:
    """The file name of a record's `source_ref` (`path/subjects.csv:12`, `ipg120327.xml:D656296`)."""
    return Path(source_ref.split(":", 1)[0]).name


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | str):
        return value or None  # an empty list or text is "unknown": no property
    return value


def node_props(item: Node, kind: NodeKind) -> dict[str, Any]:
    """The kind's properties of a node record, as written (None removes a property)."""
    return {str(p): _plain(getattr(item, p, None)) for p in kind.properties}


def link_props(item: Link, kind: LinkKind) -> dict[str, Any]:
    return {str(p): _plain(getattr(item, p, None)) for p in kind.properties}


def link_key(kind: LinkKind, props: dict[str, Any]) -> str | None:
    """The key that tells apart links of one type between the same two nodes: the discriminator (an
    officer's role, a family relation) and the period, `director|2020-01-01|-`; None when unkeyed.
    Two shareholdings of one owner in one asset with different periods are two ties, each in force
    on its own dates; the same period again is the same tie (its ratio may change)."""
    if not kind.keyed:
        return None
    parts = [str(props.get(str(kind.discriminator)) or UNKNOWN_KEY)] if kind.discriminator is not None else []
    if kind.periodic:
        given = dict(p.split("=", 1) for p in props.get(str(Prop.PARTIAL_DATES)) or [])
        for end in (Prop.SINCE, Prop.UNTIL):
            value = props.get(str(end))
            parts.append(given.get(str(end)) or (value.isoformat() if isinstance(value, date) else OPEN_END))
    return "|".join(parts)


def content_hash(kind: str, props: dict[str, Any]) -> str:
    """A stable digest of a record's kind and properties (provenance excluded)."""
    return hashlib.blake2b(repr((kind, sorted(props.items()))).encode(), digest_size=16).hexdigest()


NAME_PROPS = frozenset({Prop.NAME, Prop.NAME_NORM, Prop.ALIASES, Prop.ALIASES_NORM})


def node_hash(item: Node, props: dict[str, Any]) -> str:
    """The content hash of a node record. A name-keyed subject's spellings are not its content (they
    merge into name and aliases), so its hash leaves them out and every spelling hashes alike."""
    if getattr(item, "name_keyed", False):
        props = {k: v for k, v in props.items() if k not in NAME_PROPS}
    return content_hash(item.kind.name, props)


def conflict_reason(what: str, first_ref: str) -> str:
    """The reject reason of a record given again in one input with other content (the first is kept)."""
    file, _, line = first_ref.rpartition(":")
    where = f"line {line}" if line.isdigit() else f"record {line or first_ref}"
    return f"conflicts with {where} of {file or first_ref}: the same {what} with other content (the first is kept)"


def _seen_value(digest: str, ref: str) -> bytes:
    return bytes.fromhex(digest)[:8] + ref.encode("utf-8", "surrogateescape")


def _safe(value: Any, secrets: tuple[str, ...] = ()) -> Any:
    """A raw record fit for the rejects file: secrets redacted, long strings cut, undecodable bytes shown
    as escapes."""
    if isinstance(value, str):
        text = value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        for secret in secrets:
            text = text.replace(secret, REDACTED)
        if len(text) > RAW_FIELD_LIMIT:
            return f"{text[:RAW_FIELD_LIMIT]}…[truncated, {len(text)} characters]"
        return text
    if isinstance(value, dict):
        return {str(_safe(k, secrets)): _safe(v, secrets) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_safe(v, secrets) for v in value[:1000]]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return _safe(str(value), secrets) if any(str(value) in s for s in secrets) else value
    if isinstance(value, date):
        return value.isoformat()
    return _safe(str(value), secrets)


def open_private(path: Path) -> IO[str]:
    """`path` for writing, truncated, readable by the owner only (mode 600, also when it existed)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, "w", encoding="utf-8")


def known_secrets(settings: Settings | None = None) -> tuple[str, ...]:
    """The secret values a rejects file must never hold: the settings' secrets and the server secret."""
    settings = settings or get_settings()
    values = {*settings.secret_values(), server_secret(settings).decode("utf-8", "replace")}
    return tuple(sorted((v for v in values if len(v) >= MIN_REDACTED), key=len, reverse=True))


class RejectsWriter:
    """Appends rejects as JSON lines: source, file, ref, kind, reason, raw (secret values redacted); and
    tallies them per file (the loaders tell it what they read) for the summary."""

    def __init__(self, fh: IO[str] | None, secrets: tuple[str, ...] = ()) -> None:
        self.fh = fh
        self.tally = FileTally()
        self.secrets = secrets
        self._lock = threading.Lock()  # the reader's rejects and the writer thread's meet here

    def write(self, reject: Reject) -> None:
        self.tally.rejected(reject)
        if self.fh is None:
            return
        record = {
            "source": reject.source,
            "file": _safe(reject.file, self.secrets),
            "ref": _safe(reject.ref, self.secrets),
            "kind": reject.kind,
            "reason": _safe(reject.reason, self.secrets),
            "raw": _safe(reject.raw, self.secrets),
        }
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with self._lock:
            self.fh.write(line)


def is_row_fault(exc: Neo4jError) -> bool:
    """Whether the server blamed the rows sent (so bisecting finds them), not itself or the connection."""
    return isinstance(exc, ClientError) and (exc.code or "").startswith(ROW_FAULTS)


class LoadInterruptedError(RuntimeError):
    """The database failed (unreachable, shutting down) mid-load; `summary` holds what was done so far."""

    def __init__(self, summary: LoadSummary, cause: Exception) -> None:
        detail = " ".join(str(getattr(cause, "message", None) or cause).split())
        super().__init__(f"the database failed during the load ({type(cause).__name__}): {detail}")
        self.summary = summary


def reject_of(item: Node | Link, reason: str) -> Reject:
    """A record that validated but could not be written, as a reject that still says where it came from."""
    file, _, ref = item.source_ref.rpartition(":")
    return Reject(
        source=item.source,
        file=file or item.source_ref,
        ref=ref if file else item.source_ref,
        kind=item.kind.name,
        reason=reason,
        raw=item.model_dump(mode="json"),
    )


@dataclass
class _Entry:
    row: dict[str, Any]
    item: Node | Link


class Loader:
    """Batches items per kind and writes them; use `feed` for each item, then `finish`."""

    def __init__(
        self,
        store: Store,
        rejects: RejectsWriter,
        *,
        batch_size: int,
        loaded_at: datetime | None = None,
    ) -> None:
        self.store = store
        self.rejects = rejects
        self.batch_size = batch_size
        self.summary = LoadSummary(loaded_at=loaded_at or datetime.now(UTC))
        # pending batches per kind, keyed by the record's identity: a repeat within one batch is settled
        # here (same content: unchanged; new content: the batch is written first, so the last one wins)
        self._nodes: dict[str, dict[Any, _Entry]] = {}
        self._links: dict[str, dict[Any, _Entry]] = {}
        # every record seen in this load, for repeats and conflicts across batches (spills to SQLite)
        self._work = tempfile.TemporaryDirectory(prefix="ipcredit-load-")
        self._seen = Seen(Path(self._work.name) / "seen.sqlite")
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ipcredit-load")
        self._pending: Future[None] | None = None
        self._counting = threading.Lock()  # counts change in both threads

    # --- feeding -----------------------------------------------------------------------------------

    def feed(self, item: Item) -> None:
        self.rejects.tally.read(item.file + ":" if isinstance(item, Reject) else item.source_ref)
        if isinstance(item, Reject):
            with self._counting:
                self.summary.count(item.kind).read += 1
            self._reject(item)
        elif isinstance(item, Node):
            self._add_node(item)
        else:
            self._add_link(item)

    def _add_node(self, item: Node) -> None:
        kind = item.kind
        with self._counting:
            self.summary.count(kind.name).read += 1
        props = node_props(item, kind)
        digest = node_hash(item, props)
        row: dict[str, Any] = {
            "uid": item.uid,
            "hash": digest,
            "props": props,
            "source": item.source,
            "source_ref": item.source_ref,
            "name_keyed": False,
        }
        identity: Any = item.uid
        spelling: tuple[str, ...] = ()
        if getattr(item, "name_keyed", False):
            spellings = [props[str(Prop.NAME)], *(props.get(str(Prop.ALIASES)) or [])]
            row |= {
                "name_keyed": True,
                "others": {k: v for k, v in props.items() if k not in NAME_PROPS},
                "norms": {spelling: normalize_name(spelling) for spelling in spellings},
            }
            spelling = ("spelling", item.uid, *spellings)
        entry = _Entry(row, item)
        key = f"{kind.key_label}\x00{item.uid}"
        if self._repeat(kind.name, key, identity, digest, entry, f"{kind.name} {item.uid}"):
            return
        if row["name_keyed"] and self._seen.add(short("\x00".join(spelling)), b"") is not None:
            with self._counting:
                count = self.summary.count(kind.name)  # a spelling already given in this load
                count.unchanged += 1
                count.repeated += 1
            return
        self._queue(self._nodes, self._flush_nodes, kind.name, identity, entry)

    def _add_link(self, item: Link) -> None:
        kind = item.kind
        with self._counting:
            self.summary.count(kind.name).read += 1
        props = link_props(item, kind)
        row: dict[str, Any] = {
            "start_uid": item.start_uid,
            "end_uid": item.end_uid,
            "hash": content_hash(kind.name, props),
            "props": props,
            "source": item.source,
            "source_ref": item.source_ref,
        }
        key = link_key(kind, props)
        if key is not None:
            row["key"] = key
            props[str(Prop.LINK_KEY)] = key
        identity = (item.start_uid, item.end_uid, key)
        entry = _Entry(row, item)
        what = f"{kind.name} tie {item.start_uid} -> {item.end_uid}" + (f" [{key}]" if key else "")
        seen_key = "\x00".join((kind.name, item.start_uid, item.end_uid, key or ""))
        if self._repeat(kind.name, seen_key, identity, row["hash"], entry, what):
            return
        self._queue(self._links, self._flush_links, kind.name, identity, entry)

    def _repeat(self, name: str, seen_key: str, identity: Any, digest: str, entry: _Entry, what: str) -> bool:
        """Whether the record was seen before in this load: the same content is counted unchanged; other
        content is rejected naming the first (kept) and both contents. A name-keyed subject with the
        same content may still bring a new spelling (the caller decides)."""
        earlier = self._seen.add(short(seen_key), _seen_value(digest, entry.item.source_ref))
        if earlier is None:
            return False
        if earlier[:8] == bytes.fromhex(digest)[:8]:
            if entry.row.get("name_keyed"):
                return False
            with self._counting:
                count = self.summary.count(name)
                count.unchanged += 1
                count.repeated += 1
            return True
        first_ref = earlier[8:].decode("utf-8", "surrogateescape")
        reject = reject_of(entry.item, conflict_reason(what, first_ref))
        raw = {"kept": {"source_ref": first_ref, "properties": self._stored(entry, identity)}, "rejected": reject.raw}
        self._reject(reject.model_copy(update={"raw": raw}))
        return True

    def _stored(self, entry: _Entry, identity: Any) -> Any:
        """The properties of the record kept (the first given), for a conflict's reject: from its pending
        batch, else from the graph once every pending node batch is written (conflicts are rare)."""
        item = entry.item
        pending = (self._nodes if isinstance(item, Node) else self._links).get(item.kind.name, {}).get(identity)
        if pending is not None:
            return pending.row["props"]
        for name in list(self._nodes):
            self._flush_nodes(name)
        self._wait()
        if isinstance(item, Node):
            rows = self.store.read(cypher("load/stored_node", label=item.kind.key_label), {"uid": item.uid})
        else:
            kind = item.kind
            query = cypher("load/stored_link", start=kind.start, rel=kind.rel, end=kind.end)
            rows = self.store.read(query, {"start": item.start_uid, "end": item.end_uid, "key": entry.row.get("key")})
        return rows[0]["props"] if rows else None

    def _queue(
        self,
        pending: dict[str, dict[Any, _Entry]],
        flush: Callable[[str], None],
        name: str,
        identity: Any,
        entry: _Entry,
    ) -> None:
        """Add a record to its kind's pending batch (repeats were settled before), writing a full batch.
        A further spelling of a name-keyed subject already pending writes that batch first: one statement
        reads every row's node before it writes any, so the two would not see each other."""
        if identity in pending.get(name, {}):
            flush(name)
        batch = pending.setdefault(name, {})
        batch[identity] = entry
        if len(batch) >= self.batch_size:
            flush(name)

    def abandon(self) -> None:
        """Stop after a failure: wait for the write in flight (its error is already known) and close."""
        with suppress(Neo4jError, DriverError):  # the failure being reported, or its consequence
            self._wait()
        self._pool.shutdown()

    def finish(self) -> LoadSummary:
        """Write what is pending (nodes first), check the books, and return the summary."""
        for name in list(self._nodes):
            self._flush_nodes(name)
        for name in list(self._links):
            self._flush_links(name)
        self._wait()
        self._pool.shutdown()
        self.close()
        self.summary.mostly_rejected = self.rejects.tally.mostly_rejected()
        for name, count in self.summary.kinds.items():
            if not count.balanced():
                raise AssertionError(f"load books do not balance for {name}: {count}")
        return self.summary

    def close(self) -> None:
        """Drop what this load has seen (its SQLite spill file too)."""
        self._seen.close()
        self._work.cleanup()

    # --- writing -----------------------------------------------------------------------------------

    def _reject(self, reject: Reject) -> None:
        with self._counting:
            self.summary.count(reject.kind).rejected += 1
        self.rejects.write(reject)

    def _flush_nodes(self, name: str) -> None:
        entries = list(self._nodes.pop(name, {}).values())
        if entries:
            kind = NODE_KINDS[name]
            extras = [label for label in kind.labels if label != kind.key_label] or [kind.key_label]
            second, third = extras[0], extras[-1]
            query = cypher("load/upsert_nodes", label=kind.key_label, second=second, third=third)
            self._submit(name, query, entries)

    def _flush_links(self, name: str) -> None:
        for node_kind in list(self._nodes):  # links only ever after the nodes read before them
            self._flush_nodes(node_kind)
        entries = list(self._links.pop(name, {}).values())
        if entries:
            kind = LINK_KINDS[name]
            file = "load/upsert_links_keyed" if kind.keyed else "load/upsert_links"
            query = cypher(file, rel=kind.rel, start=kind.start, end=kind.end)
            self._submit(name, query, entries)

    def _submit(self, name: str, query: str, entries: list[_Entry]) -> None:
        """Hand a batch to the writer thread, after the one before it is done: one batch is written while
        the next is read and validated, and batches still reach the database in the order given."""
        self._wait()
        self._pending = self._pool.submit(self._write, name, query, entries)

    def _wait(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()  # re-raises what the writer thread raised

    def _write(self, name: str, query: str, entries: list[_Entry]) -> None:
        rows = []
        for index, entry in enumerate(entries):
            entry.row["i"] = index
            rows.append(entry.row)
        try:
            result = self.store.write(query, {"rows": rows, "loaded_at": self.summary.loaded_at})
        except ClientError as exc:
            if not is_row_fault(exc):
                raise
            if len(entries) == 1:
                reason = f"the database refused it: {exc.code}: {exc.message}"
                self._reject(reject_of(entries[0].item, reason))
                return
            middle = len(entries) // 2
            self._write(name, query, entries[:middle])
            self._write(name, query, entries[middle:])
            return
        outcome = result[0] if result else {}
        with self._counting:
            count = self.summary.count(name)
            count.loaded += int(outcome.get("loaded") or 0)
            count.unchanged += int(outcome.get("unchanged") or 0)
        for miss in outcome.get("missing") or []:
            item = entries[int(miss["i"])].item
            assert isinstance(item, Link)
            ends = [
                f"{side} {uid}"
                for side, uid, found in (("start", item.start_uid, miss["start"]), ("end", item.end_uid, miss["end"]))
                if not found
            ]
            self._reject(reject_of(item, f"dangling reference: no {' and no '.join(ends)} in the graph"))


def link_possible_duplicates(store: Store, loaded_at: datetime) -> int:
    """Link (never merge) likely duplicates among the subjects this load wrote; returns the links seen."""
    rows = store.write(cypher("load/possible_duplicates", rel=Rel.POSSIBLE_SAME_AS), {"loaded_at": loaded_at})
    return int(rows[0]["linked"]) if rows else 0


@contextmanager
def _progress(enabled: bool, console: Console | None) -> Iterator[Progress | None]:
    if not enabled:
        yield None
        return
    columns = (
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        MofNCompleteColumn(),
        TextColumn("records"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        yield bar


def load(
    store: Store,
    items: Iterable[Item],
    *,
    rejects_path: Path | None,
    batch_size: int,
    progress: bool = False,
    resolve: bool = True,
    console: Console | None = None,
    settings: Settings | None = None,
) -> LoadSummary:
    """Load a stream of items; rejects go to `rejects_path` (JSON lines, mode 600, overwritten) when given,
    with the secrets of `settings` (default: the process's) redacted."""
    started = time.monotonic()
    fh = open_private(rejects_path) if rejects_path is not None else None
    loader = Loader(store, RejectsWriter(fh, known_secrets(settings)), batch_size=batch_size)
    summary = loader.summary
    summary.rejects_file = str(rejects_path) if rejects_path is not None else None
    try:
        with _progress(progress, console) as bar:
            task = bar.add_task("loading", total=None) if bar is not None else None
            for number, item in enumerate(items, start=1):
                loader.feed(item)
                if bar is not None and task is not None and number % 1000 == 0:
                    bar.update(task, completed=number)
            loader.finish()
        store.run_autocommit(cypher("schema/await_fulltext_refresh"))  # names loaded are searchable on return
        if resolve and any(summary.kinds.get(k, KindCount()).loaded for k in SUBJECT_KINDS):
            summary.possible_duplicates = link_possible_duplicates(store, summary.loaded_at)
    except (Neo4jError, DriverError) as exc:
        loader.abandon()
        interrupted = LoadInterruptedError(summary, exc)
        summary.interrupted = str(interrupted)
        raise interrupted from exc
    finally:
        summary.seconds = round(time.monotonic() - started, 3)
        if fh is not None:
            fh.close()
    return summary
