"""The `ipcredit` command tree as `--help` shows it: every command answers, every boolean flag reads as a flag."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer
from typer.testing import CliRunner

from api.cli import app


def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from _commands(sub, (*path, name))


def _option_line(help_text: str, option: str) -> str:
    """The help line that starts with `option` (table borders and padding stripped)."""
    for line in help_text.splitlines():
        if line.strip("│ ").startswith(option):
            return line
    raise AssertionError(f"{option} not in the help:\n{help_text}")


def test_every_command_has_help_and_its_boolean_flags_show_as_flags() -> None:
    runner = CliRunner()
    flags = 0
    commands = list(_commands(typer.main.get_command(app)))
    assert {path[0] for path, _ in commands if path} >= {"db", "load", "check", "query", "serve", "synth", "object"}
    for path, command in commands:
        shown = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200", "TERMINAL_WIDTH": "200"})
        assert shown.exit_code == 0, (path, shown.output)
        for param in command.params:
            if not getattr(param, "is_bool_flag", False):
                continue
            flags += 1
            line = _option_line(shown.output, param.opts[0])
            assert "<bool>" not in line and "BOOLEAN" not in line, (path, line)
            if param.default:  # on by default: the off switch is shown beside it
                assert param.secondary_opts and all(o in line for o in param.secondary_opts), (path, line)
            else:  # off by default: the name alone switches it on
                assert not param.secondary_opts and "--no-" not in line, (path, line)
    assert flags >= 10  # --json on most commands, --force, --public, --bulk, --serve/--no-serve, --help
