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

import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from neo4j.exceptions import ClientError, DriverError, Neo4jError

from graph.model import Link, Node, normalize_name
from graph.schema import LINK_KINDS, NODE_KINDS, SUBJECT_KINDS, Prop
from graph.settings import Settings
from graph.store import Store
from loaders.records import Item, Reject
from loaders.rows import (
    NAME_PROPS,
    PROGRESS_EVERY,
    KindCount,
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
from queries.load import Upserted

Upsert = Callable[[list[dict[str, Any]], datetime], Upserted]  # one batch of rows -> what it did

# client-error classifications that blame the rows sent (constraint violations, type and argument errors)
ROW_FAULTS = ("Neo.ClientError.Statement.", "Neo.ClientError.Schema.")


def _seen_value(digest: str, ref: str) -> bytes:
    return bytes.fromhex(digest)[:8] + ref.encode("utf-8", "surrogateescape")


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
    return reject_at(item.source, item.source_ref, item.kind.name, reason, item.model_dump(mode="json"))


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
            "if_absent": getattr(item, "if_absent", False),
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
            return load_queries.stored_node(self.store, item.kind, item.uid)
        return load_queries.stored_link(self.store, item.kind, item.start_uid, item.end_uid, entry.row.get("key"))

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
            self._submit(name, partial(load_queries.upsert_nodes, self.store, NODE_KINDS[name]), entries)

    def _flush_links(self, name: str) -> None:
        for node_kind in list(self._nodes):  # links only ever after the nodes read before them
            self._flush_nodes(node_kind)
        entries = list(self._links.pop(name, {}).values())
        if entries:
            self._submit(name, partial(load_queries.upsert_links, self.store, LINK_KINDS[name]), entries)

    def _submit(self, name: str, upsert: Upsert, entries: list[_Entry]) -> None:
        """Hand a batch to the writer thread, after the one before it is done: one batch is written while
        the next is read and validated, and batches still reach the database in the order given."""
        self._wait()
        self._pending = self._pool.submit(self._write, name, upsert, entries)

    def _wait(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()  # re-raises what the writer thread raised

    def _write(self, name: str, upsert: Upsert, entries: list[_Entry]) -> None:
        rows = []
        for index, entry in enumerate(entries):
            entry.row["i"] = index
            rows.append(entry.row)
        try:
            outcome = upsert(rows, self.summary.loaded_at)
        except ClientError as exc:
            if not is_row_fault(exc):
                raise
            if len(entries) == 1:
                reason = f"the database refused it: {exc.code}: {exc.message}"
                self._reject(reject_of(entries[0].item, reason))
                return
            middle = len(entries) // 2
            self._write(name, upsert, entries[:middle])
            self._write(name, upsert, entries[middle:])
            return
        with self._counting:
            count = self.summary.count(name)
            count.loaded += outcome.loaded
            count.unchanged += outcome.unchanged
        for miss in outcome.missing:
            item = entries[miss.i].item
            assert isinstance(item, Link)
            ends = [
                f"{side} {uid}"
                for side, uid, found in (("start", item.start_uid, miss.start), ("end", item.end_uid, miss.end))
                if not found
            ]
            self._reject(reject_of(item, f"dangling reference: no {' and no '.join(ends)} in the graph"))


def load(
    store: Store,
    items: Iterable[Item],
    *,
    rejects_path: Path | None,
    batch_size: int,
    progress: ProgressCallback | None = None,
    resolve: bool = True,
    settings: Settings | None = None,
) -> LoadSummary:
    """Load a stream of items; rejects go to `rejects_path` (JSON lines, mode 600, overwritten) when given,
    with the secrets of `settings` (default: the process's) redacted. `progress`, when given, is told the
    records read so far (the caller draws it; the loader prints nothing)."""
    started = time.monotonic()
    with rejects_writer(rejects_path, settings) as rejects:
        loader = Loader(store, rejects, batch_size=batch_size)
        summary = loader.summary
        summary.rejects_file = str(rejects_path) if rejects_path is not None else None
        try:
            for number, item in enumerate(items, start=1):
                loader.feed(item)
                if progress is not None and number % PROGRESS_EVERY == 0:
                    progress(number)
            loader.finish()
            load_queries.await_fulltext_refresh(store)  # names loaded are searchable on return
            if resolve and any(summary.kinds.get(k, KindCount()).loaded for k in SUBJECT_KINDS):
                summary.possible_duplicates = load_queries.possible_duplicates(store, summary.loaded_at)
        except (Neo4jError, DriverError) as exc:
            loader.abandon()
            interrupted = LoadInterruptedError(summary, exc)
            summary.interrupted = str(interrupted)
            raise interrupted from exc
        finally:
            summary.seconds = round(time.monotonic() - started, 3)
    return summary
