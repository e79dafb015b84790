"""The transactional load: a stream of items -> batches per kind -> one UNWIND/MERGE statement per kind.

Every item read ends up counted as loaded, unchanged or rejected (read = loaded + unchanged + rejected
per kind, checked at the end). Records carry a content hash of their properties: a re-load of an unchanged
record writes nothing (not even `loaded_at`). Links are flushed only after every node batch seen so far,
so a link whose endpoint is still missing is a real dangling reference and is rejected with that reason.
A batch the server refuses for its rows (a statement or schema client error: a constraint, a type) is
bisected down to the rows at fault, which are rejected with the server's message while the rest load.
Any other failure (the database unreachable, shutting down, out of memory) is no row's fault: the load
stops at once with `LoadInterruptedError`, carrying the summary so far, and no row is filed as a reject.
Memory is bounded by the batch size.
"""

from __future__ import annotations

import hashlib
import json
import os
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
from pydantic import BaseModel, Field
from rich.console import Console
from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from graph.cypher import cypher
from graph.identity import server_secret
from graph.model import Link, Node
from graph.schema import LINK_KINDS, NODE_KINDS, LinkKind, NodeKind, Prop, Rel
from graph.settings import MIN_REDACTED, Settings, get_settings
from graph.store import Store
from loaders.records import Item, Reject

REDACTED = "[redacted]"
RAW_FIELD_LIMIT = 2000  # characters kept of one raw string in the rejects file
SUBJECT_KINDS = frozenset({"company", "person", "agency", "agent"})
UNKNOWN_KEY = "unknown"  # the link_key of a keyed link whose discriminator (e.g. role) is not given
# client-error classifications that blame the rows sent (constraint violations, type and argument errors)
ROW_FAULTS = ("Neo.ClientError.Statement.", "Neo.ClientError.Schema.")


class KindCount(BaseModel):
    """What happened to the records of one kind."""

    read: int = 0
    loaded: int = 0  # new or changed, written
    unchanged: int = 0  # already in the graph with the same content
    rejected: int = 0

    def balanced(self) -> bool:
        return self.read == self.loaded + self.unchanged + self.rejected


class LoadSummary(BaseModel):
    """The outcome of one load, per node or link kind."""

    kinds: dict[str, KindCount] = Field(default_factory=dict)
    rejects_file: str | None = None
    possible_duplicates: int = 0  # POSSIBLE_SAME_AS links made after the load
    loaded_at: datetime
    seconds: float = 0.0
    stages: dict[str, float] = Field(default_factory=dict)  # seconds per stage, where a path has stages
    # why the load stopped before the end (counts are then what was done so far; `read` may include
    # records not yet written)
    interrupted: str | None = None

    @property
    def total(self) -> KindCount:
        out = KindCount()
        for count in self.kinds.values():
            out.read += count.read
            out.loaded += count.loaded
            out.unchanged += count.unchanged
            out.rejected += count.rejected
        return out

    def count(self, kind: str) -> KindCount:
        return self.kinds.setdefault(kind, KindCount())


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


def content_hash(kind: str, props: dict[str, Any]) -> str:
    """A stable digest of a record's kind and properties (provenance excluded)."""
    return hashlib.blake2b(repr((kind, sorted(props.items()))).encode(), digest_size=16).hexdigest()


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
    """Appends rejects as JSON lines: source, file, ref, kind, reason, raw (secret values redacted)."""

    def __init__(self, fh: IO[str] | None, secrets: tuple[str, ...] = ()) -> None:
        self.fh = fh
        self.secrets = secrets
        self._lock = threading.Lock()  # the reader's rejects and the writer thread's meet here

    def write(self, reject: Reject) -> None:
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
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ipcredit-load")
        self._pending: Future[None] | None = None
        self._counting = threading.Lock()  # counts change in both threads

    # --- feeding -----------------------------------------------------------------------------------

    def feed(self, item: Item) -> None:
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
        row = {
            "uid": item.uid,
            "hash": content_hash(kind.name, props),
            "props": props,
            "source": item.source,
            "source_ref": item.source_ref,
        }
        self._queue(self._nodes, self._flush_nodes, kind.name, item.uid, _Entry(row, item))

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
        if kind.discriminator is not None:
            row["key"] = str(props.get(str(kind.discriminator)) or UNKNOWN_KEY)
            props[str(Prop.LINK_KEY)] = row["key"]
        identity = (item.start_uid, item.end_uid, row.get("key"))
        self._queue(self._links, self._flush_links, kind.name, identity, _Entry(row, item))

    def _queue(
        self,
        pending: dict[str, dict[Any, _Entry]],
        flush: Callable[[str], None],
        name: str,
        identity: Any,
        entry: _Entry,
    ) -> None:
        """Add a record to its kind's pending batch. The same content again is unchanged (nothing to
        write); other content for a record already pending writes that batch first, so the last wins."""
        earlier = pending.get(name, {}).get(identity)
        if earlier is not None:
            if earlier.row["hash"] == entry.row["hash"]:
                with self._counting:
                    self.summary.count(name).unchanged += 1
                return
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
        for name, count in self.summary.kinds.items():
            if not count.balanced():
                raise AssertionError(f"load books do not balance for {name}: {count}")
        return self.summary

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
            file = "load/upsert_links_keyed" if kind.discriminator is not None else "load/upsert_links"
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
