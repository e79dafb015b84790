"""Bulk first load with Neo4j's own importer (placeholder until implemented below)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from loaders.pipeline import LoadSummary
from loaders.records import Item


class BulkImportError(RuntimeError):
    """The bulk path cannot be used here; the message says why."""


def bulk_load(items: Iterable[Item], *, rejects_path: Path, progress: bool) -> LoadSummary:
    raise BulkImportError("the bulk path is not available yet")
