"""Loads the project's Cypher statements from `.cypher` files: under `queries/`, or another package's
folder of statements (the benchmarks' own, in `bench/cypher/`) through `Statements(package)`.

Statements are plain, parameterised Cypher. Where one statement serves several kinds (a node label,
a relationship type or a property key that Cypher cannot take as a parameter), it holds
`{{placeholder}}` slots that only schema enum members may fill: schema tuples of types are written
`A|B|C`, a tuple of property keys (an index definition's) as the properties of its node `n`
(`n.name, n.aliases`). So no label, type or key ever comes from user text. The schema's tie
lists fill their own slots as the file is read (`{{party_ties}}`, `{{contact_links}}`,
`{{control_ties}}`), so a tie kind added to `graph/schema.py` reaches every statement that follows
those ties. A rule that several statements share is written
once, in a fragment file whose name starts with `_`, and included as `{{> folder/_name}}`: inside a
line it is inlined in parentheses (an expression, such as when a record is in force); on a line of
its own, as the clauses it holds (the chains' weighting tail). Comment lines are dropped either way.
"""

from __future__ import annotations

import re
from importlib import resources

from graph import schema

_SLOT = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
_INCLUDE = re.compile(r"\{\{>\s*([a-z0-9_/]+)\s*\}\}")
_CLAUSES = re.compile(r"^\s*\{\{>\s*([a-z0-9_/]+)\s*\}\}\s*$")
_NAME = re.compile(r"^[a-z0-9_]+(/[a-z0-9_]+)*$")


class CypherFileError(LookupError):
    """A statement file is missing, or its placeholders do not match what was given."""


SlotValue = schema.Label | schema.Rel | schema.Prop | tuple[schema.Rel, ...] | tuple[schema.Prop, ...]


def schema_ties() -> dict[str, tuple[schema.Rel, ...]]:
    """The schema's tie lists, by the slot name statements use for them."""
    return {
        "party_ties": schema.PARTY_TIES,
        "contact_links": schema.CONTACT_LINKS,
        "control_ties": schema.CONTROL_TIES,
    }


def _render(value: SlotValue) -> str:
    if not isinstance(value, tuple):
        return str(value)
    if all(isinstance(v, schema.Prop) for v in value):
        return ", ".join(f"n.{v}" for v in value)
    return "|".join(str(v) for v in value)


def _is_fragment(name: str) -> bool:
    return name.rpartition("/")[2].startswith("_")


class Statements:
    """The statement files of one package's data (`queries`, or `bench` for its own), read once each."""

    def __init__(self, package: str) -> None:
        self.package = package
        self._texts: dict[str, str] = {}

    def clear(self) -> None:
        """Forget the texts read, so the next read fills the schema's tie lists as they are now."""
        self._texts.clear()

    def text(self, name: str) -> str:
        """The file's text with fragments inlined and the schema's tie lists filled (other slots left)."""
        if name not in self._texts:
            self._texts[name] = self._read(name)
        return self._texts[name]

    def _read(self, name: str) -> str:
        if not _NAME.match(name):
            raise CypherFileError(f"not a statement name: {name!r}")
        path = resources.files(self.package).joinpath(f"{name}.cypher")
        if not path.is_file():
            raise CypherFileError(f"no statement file {self.package}/{name}.cypher")
        out = []
        for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
            clauses = _CLAUSES.match(line)
            if line.lstrip().startswith("//"):
                out.append(line)
            elif clauses:
                out.extend(f"{kept}\n" for kept in self.fragment_lines(clauses.group(1), name))
            else:
                out.append(_INCLUDE.sub(lambda m: self.fragment(m.group(1), name), line))
        ties = schema_ties()
        return _SLOT.sub(lambda m: _render(ties[m.group(1)]) if m.group(1) in ties else m.group(0), "".join(out))

    def fragment_lines(self, name: str, into: str) -> list[str]:
        if not _is_fragment(name):
            raise CypherFileError(f"{self.package}/{into}.cypher includes {name}, which is not a fragment (`_name`)")
        return [
            line.rstrip()
            for line in self.text(name).splitlines()
            if line.strip() and not line.lstrip().startswith("//")
        ]

    def fragment(self, name: str, into: str) -> str:
        """A fragment as an expression: its lines joined, in parentheses."""
        return "(" + " ".join(line.strip() for line in self.fragment_lines(name, into)) + ")"

    def __call__(self, name: str, /, **slots: SlotValue) -> str:
        """The statement in `<package>/<name>.cypher`, its `{{slot}}` placeholders filled from the schema."""
        text = self.text(name)
        wanted = set(_SLOT.findall(text))
        if wanted != set(slots):
            raise CypherFileError(f"{self.package}/{name}.cypher needs slots {sorted(wanted)}, got {sorted(slots)}")
        for key, value in slots.items():
            if isinstance(value, tuple):
                fits = bool(value) and (
                    all(isinstance(v, schema.Rel) for v in value) or all(isinstance(v, schema.Prop) for v in value)
                )
            else:
                fits = isinstance(value, schema.Label | schema.Rel | schema.Prop)
            if not fits:
                raise CypherFileError(
                    f"slot {key!r} must be a schema Label, Rel, Prop or a tuple of Rels or of Props, got {value!r}"
                )
        return _SLOT.sub(lambda m: _render(slots[m.group(1)]), text)

    def names(self, folder: str = "") -> list[str]:
        """Names of every statement file under `<package>/<folder>` (fragments left out), for catalogues and checks."""
        root = resources.files(self.package)
        base = root.joinpath(folder) if folder else root
        found: list[str] = []

        def walk(node: object, prefix: str) -> None:
            for child in sorted(node.iterdir(), key=lambda c: c.name):  # type: ignore[attr-defined]
                if child.is_dir() and not child.name.startswith("__"):
                    walk(child, f"{prefix}{child.name}/")
                elif child.name.endswith(".cypher") and not _is_fragment(child.name):
                    found.append(prefix + child.name.removesuffix(".cypher"))

        walk(base, f"{folder}/" if folder else "")
        return found


cypher = Statements("queries")
"""The project's statements: `cypher("credit/evaluation_facts")` is `queries/credit/evaluation_facts.cypher`."""
