"""Helpers shared by the real-format adapters (USPTO XML, TIPO XML, FollowTheMoney).

Why: every adapter must turn a record that fails validation into a `Reject` with the reason and
where it stood, never an exception that stops the file, and must derive uids the same way.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from graph.model import Company, Link, Node, normalize_name
from loaders.records import Item, Reject, error_reason

_NOT_WORD = re.compile(r"[^\w]+")


class Orgs:
    """The organisations one read has emitted, keyed by name-derived uids (`name_keyed`): each is
    emitted once with its first record's facts, and again (same facts) for each new spelling, which the
    loader adds as an alias; so the content never flips between records and a reload changes nothing."""

    def __init__(self) -> None:
        self._first: dict[str, Company] = {}
        self._spellings: dict[str, set[tuple[str, ...]]] = {}

    def __contains__(self, uid: str) -> bool:
        return uid in self._first

    def once(self, node: Item) -> Iterator[Item]:
        if not isinstance(node, Company):
            yield node
            return
        spelling = (node.name, *node.aliases)
        first = self._first.get(node.uid)
        if first is None:
            self._first[node.uid] = node
            self._spellings[node.uid] = {spelling}
            yield node
        elif spelling not in self._spellings[node.uid]:
            self._spellings[node.uid].add(spelling)
            yield first.model_copy(update={"name": node.name, "aliases": node.aliases, "source_ref": node.source_ref})


def read_xml_files(path: Path, read_file: Callable[[Path, Orgs], Iterator[Item]]) -> Iterator[Item]:
    """Items of one XML file, or of every `*.xml` file in a folder in name order. The organisations
    already emitted are shared across the files (see `Orgs`)."""
    orgs = Orgs()
    for file in sorted(path.glob("*.xml")) if path.is_dir() else [path]:
        yield from read_file(file, orgs)


def verbatim(element: ET.Element | None, path: str) -> str:
    """The text of a name-like element as given (spaces and all), or "" when it is missing or blank:
    names are stored byte for byte, only their keys are normalised."""
    found = element.find(path) if element is not None else None
    text = "".join(found.itertext()) if found is not None else ""
    return text if text.strip() else ""


def slug(text: str, limit: int = 200) -> str:
    """The key form of a name inside a uid: normalised, runs of non-word characters as `-`."""
    return _NOT_WORD.sub("-", normalize_name(text)).strip("-")[:limit] or "-"


class Builder:
    """Makes validated models for one source and file, turning validation errors into rejects."""

    def __init__(self, source: str, file: Path) -> None:
        self.source = source
        self.file = file

    def ref(self, record: str) -> str:
        return f"{self.file.name}:{record}"

    def reject(self, record: str, kind: str, why: str, raw: Any = None) -> Reject:
        return Reject(source=self.source, file=str(self.file), ref=self.ref(record), kind=kind, reason=why, raw=raw)

    def make(self, model: type[Node] | type[Link], record: str, raw: Any = None, **fields: Any) -> Item:
        """The model built from `fields`, or a reject naming the kind and the fields that failed.

        `raw` may be a function, called only for a reject (serialising every record would be waste).
        """
        try:
            return model(source=self.source, source_ref=self.ref(record), **fields)
        except (ValidationError, ValueError) as exc:
            raw = raw() if callable(raw) else raw
            return self.reject(record, model.kind.name, error_reason(exc), raw if raw is not None else fields)
