"""The house, read from the code (ast): only `queries/` names a statement (and `bench/statements.py` the
benchmarks' own), no Cypher text outside `.cypher` files, imports point downward only, and grading is
pure. Anyone can see the same with `grep -rn 'queries.statements import' api credit graph loaders bench`.
"""

from __future__ import annotations

import ast
import importlib
import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from bench.statements import cypher as bench_cypher
from queries.statements import cypher

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("api", "credit", "queries", "graph", "loaders", "synth", "bench")
# who may import whom (a package always imports itself): api -> credit -> queries -> graph; loaders ->
# queries -> graph; synth writes files from the schema's models; bench measures everything
MAY_IMPORT = {
    "graph": set(),
    "queries": {"graph"},
    "credit": {"queries", "graph"},
    "loaders": {"queries", "graph"},
    "synth": {"graph"},
    "api": {"credit", "queries", "graph", "loaders", "synth"},
    "bench": {"api", "credit", "queries", "graph", "loaders", "synth"},
}
LOADER = "queries.statements"
STATEMENT_HOMES = ("queries/", "bench/statements.py")
# The one piece of Cypher in Python: the plan request prefixes the analyst's own query with EXPLAIN
# (`Store.explain`); it is a driver mechanism, not a statement of the project.
CYPHER_ALLOWED = {("graph/store.py", "EXPLAIN\n")}
# The shape of a Cypher statement: its clauses as the project writes them (upper case, with what a
# clause takes next), so SQL (`CREATE TABLE`) and prose do not match.
_CYPHER = re.compile(
    r"\b(MATCH\s*\(|OPTIONAL MATCH\b|MERGE\s*\(|CREATE\s*\(|CREATE\s+(CONSTRAINT|INDEX|FULLTEXT|RANGE|TEXT|POINT)\b"
    r"|DROP\s+(INDEX|CONSTRAINT)\b|UNWIND\s+\$|CALL\s*(\{|db\.|dbms\.|apoc\.)|DETACH\s+DELETE\b|EXPLAIN\b"
    r"|RETURN\s+[a-z0-9(*$])"
)


@dataclass(frozen=True)
class Module:
    path: str  # relative to the repository, with forward slashes
    package: str
    tree: ast.Module


def _modules() -> list[Module]:
    found = []
    for package in PACKAGES:
        for file in sorted((ROOT / package).rglob("*.py")):
            rel = file.relative_to(ROOT).as_posix()
            if "/local/target/" in rel:
                continue
            found.append(Module(rel, package, ast.parse(file.read_text(encoding="utf-8"), filename=rel)))
    return found


MODULES = _modules()


def _imports(tree: ast.Module) -> list[str]:
    """Every module imported anywhere in the file (top level, functions, TYPE_CHECKING blocks)."""
    out: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append(node.module)
            out += [f"{node.module}.{alias.name}" for alias in node.names]
    return out


def _docstrings(tree: ast.Module) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _strings(tree: ast.Module) -> list[str]:
    """Every string constant but docstrings (the constant parts of f-strings included)."""
    skip = _docstrings(tree)
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
    ]


def test_the_layout_walk_sees_the_packages() -> None:
    paths = {m.path for m in MODULES}
    assert {"queries/statements.py", "credit/grading.py", "api/service.py", "graph/store.py"} <= paths
    assert len(cypher.names()) > 50 and bench_cypher.names()


def test_only_queries_uses_the_statement_loader() -> None:
    users = {m.path for m in MODULES if any(i == LOADER or i.startswith(LOADER + ".") for i in _imports(m.tree))}
    outside = {p for p in users if not p.startswith(STATEMENT_HOMES)}
    assert outside == set()
    assert any(p.startswith("queries/") for p in users)


def test_only_queries_names_a_statement() -> None:
    """A string equal to a statement's name is naming it: only the runners do."""
    names = set(cypher.names()) | set(bench_cypher.names())
    named = {
        (m.path, s)
        for m in MODULES
        if not m.path.startswith(STATEMENT_HOMES)
        for s in _strings(m.tree)
        if s in names
    }
    assert named == set()
    # and the walk does see the names where they are
    in_queries = {s for m in MODULES if m.path.startswith("queries/") for s in _strings(m.tree) if s in names}
    assert {"credit/evaluation_facts", "subjects/search", "audit/record", "schema/applied_versions"} <= in_queries


def test_no_cypher_text_outside_statement_files() -> None:
    found = {
        (m.path, s) for m in MODULES for s in _strings(m.tree) if _CYPHER.search(s)
    }
    assert found == CYPHER_ALLOWED


def test_the_cypher_detector_tells_statements_from_other_text() -> None:
    for text in [cypher(name) for name in ("credit/evaluation_facts", "admin/ping", "schema/drop_index")] + [
        "MATCH (n) RETURN n",
        "CREATE CONSTRAINT x IF NOT EXISTS FOR (n:A) REQUIRE n.uid IS UNIQUE",
        "UNWIND $rows AS row MERGE (n:Subject {uid: row.uid})",
        "CALL db.index.fulltext.queryNodes('subject_names', $q) YIELD node",
    ]:
        assert _CYPHER.search(text), text
    for text in ["CREATE TABLE seen (key BLOB PRIMARY KEY)", "match the name", "the query returns rows", "uid"]:
        assert not _CYPHER.search(text), text


def test_imports_point_downward() -> None:
    wrong = sorted(
        (m.path, target)
        for m in MODULES
        for target in {i.split(".")[0] for i in _imports(m.tree)}
        if target in PACKAGES and target != m.package and target not in MAY_IMPORT[m.package]
    )
    assert wrong == []


def test_grading_is_pure() -> None:
    """`credit/grading.py` takes facts and a policy and returns an evaluation: no store, no driver, no
    statements, no files; from `queries` it takes only the result models it grades."""
    (grading,) = [m for m in MODULES if m.path == "credit/grading.py"]
    imports = _imports(grading.tree)
    banned = ("graph.store", "graph.settings", "neo4j", LOADER, "os", "io", "pathlib", "shutil", "subprocess")
    assert [i for i in imports if any(i == b or i.startswith(b + ".") for b in banned)] == []
    calls = {n.func.id for n in ast.walk(grading.tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    assert "open" not in calls
    taken = [
        (node.module, alias.name)
        for node in ast.walk(grading.tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "queries"
        for alias in node.names
    ]
    assert taken, "grading grades the chains and records that queries reads"
    for module, name in taken:
        if module == "queries.shapes":  # the shared shapes (a figure rounded where shown): types, no I/O
            continue
        value = getattr(importlib.import_module(module), name)
        assert isinstance(value, type) and issubclass(value, BaseModel), (module, name)
