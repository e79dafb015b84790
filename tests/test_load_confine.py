"""Server-side loads read only regular files inside the import folder: a corpus of escapes, each
refused by `loaders.confine.confined` and by `POST /load` (422, no job), whatever its spelling."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.store import Store
from loaders.confine import RefusedPathError, confined
from tests.api_fixtures import HEADERS, api_settings

LIMIT = 4096
SECRET_TEXT = "TOP-SECRET-OUTSIDE-CONTENT"
Setup = Callable[[Path, Path], str]  # (import folder, a folder outside it) -> the path to ask for


def _link(name: str, target: str | Path) -> Setup:
    def setup(inside: Path, outside: Path) -> str:
        (inside / name).symlink_to(str(target).format(outside=outside, inside=inside))
        return name

    return setup


def _chain(inside: Path, outside: Path) -> str:
    (inside / "c3.xml").symlink_to(outside / "secret.xml")
    (inside / "c2.xml").symlink_to(inside / "c3.xml")
    (inside / "c1.xml").symlink_to("c2.xml")  # relative, then absolute, then out
    return "c1.xml"


def _fifo(inside: Path, outside: Path) -> str:
    os.mkfifo(inside / "pipe.xml")
    return "pipe.xml"


def _oversize(inside: Path, outside: Path) -> str:
    (inside / "big.xml").write_bytes(b"<x/>" * LIMIT)
    return "big.xml"


def _folder_with_escape(inside: Path, outside: Path) -> str:
    (inside / "set").mkdir()
    (inside / "set" / "ok.xml").write_text("<x/>")
    (inside / "set" / "leak.xml").symlink_to(outside / "secret.xml")
    return "set"


def _folder_with_fifo(inside: Path, outside: Path) -> str:
    (inside / "set2").mkdir()
    os.mkfifo(inside / "set2" / "p.xml")
    return "set2"


def _loop(inside: Path, outside: Path) -> str:
    (inside / "l1.xml").symlink_to(inside / "l2.xml")
    (inside / "l2.xml").symlink_to(inside / "l1.xml")
    return "l1.xml"


def _dir_link_then_dotdot(inside: Path, outside: Path) -> str:
    (inside / "d").symlink_to(outside)  # a linked folder, reached by name
    return "d/secret.xml"


def _given(path: str) -> Setup:
    return lambda inside, outside: path.format(outside=outside, inside=inside)


ESCAPES: dict[str, Setup] = {
    "dotdot": _given("../outside/secret.xml"),
    "dotdot-deep": _given("sub/../../outside/secret.xml"),
    "dotdot-many": _given("../../../../../../etc/passwd"),
    "absolute-outside": _given("{outside}/secret.xml"),
    "absolute-in-then-out": _given("{inside}/../outside/secret.xml"),
    "absolute-etc": _given("/etc/passwd"),
    "proc-environ": _given("/proc/self/environ"),
    "dev-zero": _given("/dev/zero"),
    "nul-byte": _given("ok.xml\0../../etc/passwd"),
    "missing-outside": _given("../outside/no-such.xml"),
    "symlink-out": _link("out.xml", "{outside}/secret.xml"),
    "symlink-relative-out": _link("rel.xml", "../outside/secret.xml"),
    "symlink-to-etc": _link("etc", "/etc"),
    "symlink-dev-zero": _link("zero.xml", "/dev/zero"),
    "symlink-environ": _link("env.xml", "/proc/self/environ"),
    "symlink-chain": _chain,
    "linked-folder": _dir_link_then_dotdot,
    "link-loop": _loop,
    "fifo": _fifo,
    "oversize": _oversize,
    "folder-with-escaping-link": _folder_with_escape,
    "folder-with-fifo": _folder_with_fifo,
}


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    inside, outside = tmp_path / "import", tmp_path / "outside"
    inside.mkdir()
    (inside / "sub").mkdir()
    (inside / "ok.xml").write_text("<x/>")
    outside.mkdir()
    (outside / "secret.xml").write_text(SECRET_TEXT)
    return inside, outside


@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_every_escape_is_refused(name: str, folders: tuple[Path, Path]) -> None:
    inside, outside = folders
    given = ESCAPES[name](inside, outside)
    with pytest.raises(RefusedPathError) as refused:
        confined(given, inside, LIMIT)
    message = str(refused.value)
    assert SECRET_TEXT not in message  # nothing read, and no link target shown unless the caller sent it
    assert str(outside) not in message or str(outside) in given


def test_files_and_links_inside_are_read_resolved(folders: tuple[Path, Path]) -> None:
    inside, _ = folders
    (inside / "alias.xml").symlink_to(inside / "ok.xml")
    (inside / "sub" / "up.xml").symlink_to("../ok.xml")
    real = (inside / "ok.xml").resolve()
    for given in ("ok.xml", "alias.xml", "sub/up.xml", "sub/../ok.xml", str(inside / "ok.xml")):
        assert confined(given, inside, LIMIT) == real
    assert confined(".", inside, LIMIT) == inside.resolve()  # a folder of plain files (and sub-folders)


def test_post_load_refuses_the_corpus_and_queues_nothing(store: Store, folders: tuple[Path, Path]) -> None:
    inside, outside = folders
    settings = api_settings(import_dir=inside, import_max_bytes=LIMIT, local_data_dir=inside.parent / "neo4j")
    with TestClient(create_app(settings, store=store)) as client:
        for name, setup in sorted(ESCAPES.items()):
            try:
                given = setup(inside, outside)
            except FileExistsError:  # a setup shared by two entries
                continue
            answer = client.post("/load", json={"format": "tipo-xml", "paths": [given]}, headers=HEADERS["admin"])
            assert answer.status_code == 422, (name, answer.text)
            assert answer.json()["error"]["code"] == "invalid_load"
            assert SECRET_TEXT not in answer.text, name
            assert str(outside) not in answer.text or str(outside) in given, name
        audit = client.get("/audit", headers=HEADERS["admin"]).json()["items"]
    assert not [e for e in audit if e["action"].startswith("load")]
    assert store.read("MATCH (j:LoadJob) RETURN count(j) AS n")[0]["n"] == 0
