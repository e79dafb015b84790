"""The loaders' house rules: the two writers are peers over one row vocabulary (`loaders.rows`), no loader
names a statement (they call `queries.load`), and progress reaches a writer as a callback."""

from __future__ import annotations

import ast
import re
from datetime import UTC, datetime
from pathlib import Path

from loaders.bulk import write_import_files
from loaders.canonical import CanonicalReader
from loaders.rows import PROGRESS_EVERY, RejectsWriter
from synth.generator import generate

LOADERS = Path(__file__).resolve().parent.parent / "loaders"


def _imports(module: Path) -> set[str]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_writers_are_peers_over_the_row_vocabulary() -> None:
    pipeline, bulk = _imports(LOADERS / "pipeline.py"), _imports(LOADERS / "bulk.py")
    assert "loaders.bulk" not in pipeline and "loaders.pipeline" not in bulk
    assert "loaders.rows" in pipeline and "loaders.rows" in bulk


def test_no_loader_names_a_statement() -> None:
    modules = sorted(LOADERS.rglob("*.py"))
    assert len(modules) > 10
    for module in modules:
        text = module.read_text(encoding="utf-8")
        assert not re.search(r"\bcypher\(", text), f"{module} names a statement"
        assert "graph.cypher" not in _imports(module), f"{module} loads statements itself"


def test_progress_is_told_the_records_read(tmp_path: Path) -> None:
    generate(tmp_path / "data", 300, 5)
    told: list[int] = []
    summary, _, _ = write_import_files(
        CanonicalReader("csv")(tmp_path / "data"), tmp_path / "out", RejectsWriter(None), datetime.now(UTC), told.append
    )
    read = summary.total.read
    assert read > 2 * PROGRESS_EVERY
    assert told == list(range(PROGRESS_EVERY, read + 1, PROGRESS_EVERY))
