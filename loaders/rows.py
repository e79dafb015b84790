"""The row vocabulary both writers share: what a record becomes on its way into the graph.

The transactional writer (`loaders.pipeline`) and the bulk writer (`loaders.bulk`) are peers: each turns
validated records into rows with the same functions here (`node_props`, `link_props`, `link_key`,
`content_hash`), so a record loaded by one is found unchanged by the other; both count into the same
`LoadSummary`, file rejects through the same `RejectsWriter` (secrets redacted, long strings cut once,
mode 600) and report progress through the same callback type.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel, Field, computed_field

from graph.identity import server_secret
from graph.model import Link, Node
from graph.schema import LinkKind, NodeKind, Prop
from graph.settings import MIN_REDACTED, Settings, get_settings
from loaders.records import Reject

REDACTED = "[redacted]"
RAW_FIELD_LIMIT = 2000  # characters kept of one raw string in the rejects file
UNKNOWN_KEY = "unknown"  # the link_key part of a keyed link whose discriminator (e.g. role) is not given
OPEN_END = "-"  # the link_key part of a period end that is not given

ProgressCallback = Callable[[int], None]  # told the number of records read so far, every PROGRESS_EVERY records
PROGRESS_EVERY = 1000


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
    return _file_name(source_ref.split(":", 1)[0])


@lru_cache(maxsize=1024)
def _file_name(path: str) -> str:
    """Cached: a load names a few files for millions of records, and parsing a path each time was a
    tenth of the bulk Python stage."""
    return Path(path).name


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


def reject_at(source: str, source_ref: str, kind: str, reason: str, raw: Any) -> Reject:
    """The reject of a record that was read whole, placed by its `source_ref` (`file:line`, or a bare ref)."""
    file, _, ref = source_ref.rpartition(":")
    return Reject(
        source=source, file=file or source_ref, ref=ref if file else source_ref, kind=kind, reason=reason, raw=raw
    )


def _safe(value: Any, secrets: tuple[str, ...] = ()) -> Any:
    """A raw record fit for the rejects file: secrets redacted, long strings cut, undecodable bytes shown
    as escapes."""
    if isinstance(value, bytes):  # a raw document as read (XML): its text
        value = value.decode("utf-8", "replace")
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


@contextmanager
def rejects_writer(path: Path | None, settings: Settings | None = None) -> Iterator[RejectsWriter]:
    """A rejects writer on `path` (JSON lines, mode 600, overwritten; None: tally only) that redacts the
    secrets of `settings` (default: the process's)."""
    fh = open_private(path) if path is not None else None
    try:
        yield RejectsWriter(fh, known_secrets(settings))
    finally:
        if fh is not None:
            fh.close()
