"""A newcomer's first ten minutes: `make demo PORT=…`, a busy port said at once, output that survives a
redirect, synthetic offenders that stay offenders as the calendar moves, a first load that says why
records are unchanged."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from api.demo import outcome
from credit.evaluate import evaluate, today
from graph.settings import get_settings
from graph.store import Store
from loaders.formats import reader_for
from loaders.pipeline import load
from synth.generator import ANCHOR, generate

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def clean_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Settings re-read from a monkeypatched environment, and re-read again afterwards."""
    monkeypatch.delenv("IPCREDIT_AS_OF", raising=False)
    get_settings.cache_clear()
    yield monkeypatch
    monkeypatch.delenv("IPCREDIT_AS_OF", raising=False)
    get_settings.cache_clear()


def test_make_demo_passes_the_port() -> None:
    planned = subprocess.run(
        ["make", "-n", "demo", "PORT=8123"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    assert "ipcredit demo --port 8123" in planned
    assert "make demo PORT=" in (REPO / "README.md").read_text(encoding="utf-8")


def test_demo_refuses_a_busy_port_before_loading(tmp_path: Path, clean_settings: pytest.MonkeyPatch) -> None:
    clean_settings.chdir(tmp_path)
    clean_settings.setenv("NEO4J_URI", "bolt://127.0.0.1:1")  # never reached: the port is checked first
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(app, ["demo", "--port", str(port)])
    assert result.exit_code == 2
    assert f"port {port}" in result.output and "in use" in result.output
    assert "loading" not in result.output and "Neo4j at" not in result.output
    assert not (tmp_path / ".ipcredit").exists()


def test_redirected_output_is_never_wrapped() -> None:
    """A console that is not a terminal prints long lines (JSON above all) and wide tables whole."""
    blob = json.dumps({"key": "x" * 300, "more": list(range(60))})
    script = (
        "import sys\nfrom rich.table import Table\nfrom api.cli.base import console, err\n"
        f"console.print({blob!r})\nerr.print({blob!r})\n"
        f"t = Table('a', 'b')\nt.add_row('y' * 200, 'z' * 200)\nconsole.print(t)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO)
    lines = done.stdout.splitlines()
    assert lines[0] == blob and json.loads(lines[0])["key"] == "x" * 300
    assert done.stderr.splitlines()[0] == blob
    assert any("y" * 200 in line and "z" * 200 in line for line in lines[1:])


def test_as_of_setting_pins_the_evaluation_day(clean_settings: pytest.MonkeyPatch) -> None:
    assert today() != ANCHOR or date.today() == ANCHOR
    clean_settings.setenv("IPCREDIT_AS_OF", ANCHOR.isoformat())
    get_settings.cache_clear()
    assert today() == ANCHOR


def test_planted_offenders_stay_offenders_as_of_the_anchor(store: Store, tmp_path: Path) -> None:
    """As of the anchor the planted offenders hold records in force; years later they would not, which is
    why the demo evaluates as of the anchor and not as of the clock."""
    out = tmp_path / "synth"
    generate(out, 300, seed=3)
    load(store, reader_for("csv")(out), rejects_path=tmp_path / "rejects.jsonl", batch_size=1000)
    truth = [json.loads(line) for line in (out / "truth.jsonl").read_text(encoding="utf-8").splitlines()]
    offenders = [row["uid"] for row in truth if row.get("role") == "offender"]
    assert offenders
    at_anchor = [evaluate(store, uid, ANCHOR) for uid in offenders]
    later = [evaluate(store, uid, ANCHOR + timedelta(days=365 * 8)) for uid in offenders]
    assert all(any(r.counted for r in e.records) for e in at_anchor)
    assert sum(1 for e in later if any(r.counted for r in e.records)) < len(offenders)


def test_a_first_load_counts_repeats_as_such(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    row = {"kind": "company", "uid": "t-company:1", "name": "甲公司"}
    (folder / "subjects.jsonl").write_text((json.dumps(row, ensure_ascii=False) + "\n") * 2, encoding="utf-8")
    first = load(store, reader_for("jsonl")(folder), rejects_path=tmp_path / "r.jsonl", batch_size=10).total
    assert (first.loaded, first.unchanged, first.repeated) == (1, 1, 1)
    assert outcome(first) == "1 loaded, 1 unchanged (1 repeated within the input), 0 rejected"
    again = load(store, reader_for("jsonl")(folder), rejects_path=tmp_path / "r.jsonl", batch_size=10).total
    assert (again.loaded, again.unchanged, again.repeated) == (0, 2, 1)
    assert outcome(again) == "0 loaded, 2 unchanged (1 repeated within the input, 1 already in the graph), 0 rejected"


def test_demo_says_its_as_of_day_and_why_records_are_unchanged(
    store: Store, neo4j_uri: str, tmp_path: Path, clean_settings: pytest.MonkeyPatch
) -> None:
    clean_settings.chdir(tmp_path)
    clean_settings.setenv("NEO4J_URI", neo4j_uri)
    clean_settings.setenv("IPCREDIT_SHARED_DATA", str(tmp_path))  # no samples: the synthetic set only
    clean_settings.setenv("IPCREDIT_LANG", "en")  # the tips below are asserted in English
    get_settings.cache_clear()
    args = ["demo", "--no-serve", "--subjects", "300", "--seed", "5"]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    assert f"evaluated as of {ANCHOR.isoformat()}" in first.output
    assert "already in the graph" not in first.output  # an empty graph: nothing was there before
    classified = next(line for line in first.output.splitlines() if line.startswith("classified: "))
    assert json.loads(classified.removeprefix("classified: "))
    assert "a ringleader" in first.output and "(level D)" in first.output
    get_settings.cache_clear()
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0, again.output
    synthetic = next(line for line in again.output.splitlines() if line.strip().startswith("synthetic"))
    assert " 0 loaded" in synthetic and "already in the graph" in synthetic
