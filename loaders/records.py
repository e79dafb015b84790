"""What every reader yields: validated graph records, or rejects that say why and where.

Readers (one per source format) turn input into a stream of `Item`s and never touch the database;
the pipeline batches the records into upserts and writes the rejects to the rejects file, so every
input record ends up either in the graph or in the rejects file with its reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, ValidationError

from graph.model import Link, Node


class Reject(BaseModel):
    """An input record that did not become graph records, with the reason and where it stood."""

    model_config = ConfigDict(frozen=True)

    source: str  # the source format or name, e.g. `uspto-xml`
    file: str  # the input file
    ref: str  # line number or record id within the file
    kind: str  # the node or link kind it was meant to be, or `record` when unknown
    reason: str
    raw: Any = None  # the raw record (truncated by the writer when enormous)


Item = Node | Link | Reject


class Reader(Protocol):
    """A source format: streams items from one input path without reading it whole into memory."""

    def __call__(self, path: Path) -> Iterator[Item]: ...


def error_reason(exc: Exception) -> str:
    """A reject's one-line reason from a validation error (`field: message; …`) or any other error."""
    if isinstance(exc, ValidationError):
        return "; ".join(
            f"{'.'.join(str(p) for p in error['loc']) or 'record'}: {error['msg']}" for error in exc.errors()
        )
    return str(exc)
