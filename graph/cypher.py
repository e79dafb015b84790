"""Loads the project's Cypher statements from `.cypher` files under `queries/`.

Statements are plain, parameterised Cypher. Where one statement serves several kinds (a node label or
a relationship type that Cypher cannot take as a parameter), it holds `{{placeholder}}` slots that
only schema enum members may fill, so no label or type ever comes from user text. A rule that several
statements share (when a record is in force) is written once, in a fragment file whose name starts
with `_`, and included as `{{> folder/_name}}`: inlined in parentheses, its comment lines dropped.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from graph.schema import Label, Rel

_SLOT = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
_INCLUDE = re.compile(r"\{\{>\s*([a-z0-9_/]+)\s*\}\}")
_NAME = re.compile(r"^[a-z0-9_]+(/[a-z0-9_]+)*$")


class CypherFileError(LookupError):
    """A statement file is missing, or its placeholders do not match what was given."""


@cache
def _text(name: str) -> str:
    if not _NAME.match(name):
        raise CypherFileError(f"not a statement name: {name!r}")
    path = resources.files("queries").joinpath(f"{name}.cypher")
    if not path.is_file():
        raise CypherFileError(f"no statement file queries/{name}.cypher")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    return "".join(
        line if line.lstrip().startswith("//") else _INCLUDE.sub(lambda m: _fragment(m.group(1), name), line)
        for line in lines
    )


def _fragment(name: str, into: str) -> str:
    if not _is_fragment(name):
        raise CypherFileError(f"queries/{into}.cypher includes {name}, which is not a fragment (`_name`)")
    lines = (line.strip() for line in _text(name).splitlines())
    return "(" + " ".join(line for line in lines if line and not line.startswith("//")) + ")"


def _is_fragment(name: str) -> bool:
    return name.rpartition("/")[2].startswith("_")


def cypher(name: str, **slots: Label | Rel) -> str:
    """The statement in `queries/<name>.cypher`, its `{{slot}}` placeholders filled from the schema."""
    text = _text(name)
    wanted = set(_SLOT.findall(text))
    if wanted != set(slots):
        raise CypherFileError(f"queries/{name}.cypher needs slots {sorted(wanted)}, got {sorted(slots)}")
    for key, value in slots.items():
        if not isinstance(value, Label | Rel):
            raise CypherFileError(f"slot {key!r} must be a schema Label or Rel, got {value!r}")
    return _SLOT.sub(lambda m: str(slots[m.group(1)]), text)


def statement_names(folder: str = "") -> list[str]:
    """Names of every statement file under `queries/<folder>` (fragments left out), for catalogues and checks."""
    root = resources.files("queries")
    base = root.joinpath(folder) if folder else root
    names: list[str] = []

    def walk(node: object, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):  # type: ignore[attr-defined]
            if child.is_dir() and not child.name.startswith("__"):
                walk(child, f"{prefix}{child.name}/")
            elif child.name.endswith(".cypher") and not _is_fragment(child.name):
                names.append(prefix + child.name.removesuffix(".cypher"))

    walk(base, f"{folder}/" if folder else "")
    return names
