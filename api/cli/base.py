"""The `ipcredit` Typer app and what its commands share: consoles, `open_store`, `--as-of`, `--json`.

Every command module imports this module and nothing else of `api.cli`, and adds its commands to
`app`; `api.cli` imports the command modules, so there is no circle and no late import.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Annotated

import typer
from neo4j.exceptions import DriverError
from rich.console import Console

from credit.evaluate import today
from graph.store import NoDatabaseError, Store

app = typer.Typer(help="ipcredit: knowledge-graph credit investigation for the IP field.", no_args_is_help=True)

WIDE = 100_000  # columns of a console that is not a terminal: tables at their natural width, no line cut


def _console(*, stderr: bool = False) -> Console:
    """Rich output that fits a terminal, and that is never wrapped when redirected (JSON stays whole)."""
    probe = Console(stderr=stderr)
    return probe if probe.is_terminal else Console(stderr=stderr, soft_wrap=True, width=WIDE)


console = _console()
err = _console(stderr=True)

AsOf = Annotated[str | None, typer.Option("--as-of", help="Evaluate as of this date (YYYY-MM-DD; default today, UTC).")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]

# the driver logs a lost connection itself; the commands report failures in their own one line
logging.getLogger("neo4j").addHandler(logging.NullHandler())


def open_store() -> Store:
    """A connected Store, or a clear error and exit status 2 when there is no database."""
    try:
        store = Store.connect()
        store.verify()
    except NoDatabaseError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    except DriverError as exc:  # configured but unreachable
        typer.echo(f"error: Neo4j is unreachable: {' '.join(str(exc).split())}", err=True)
        raise typer.Exit(2) from exc
    return store


def day_of(value: str | None, option: str) -> date:
    """The date given to `option` (today, UTC, when none), or a clear error and exit status 2."""
    if value is None:
        return today()
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        err.print(f"[red]{option}: not a date (YYYY-MM-DD): {value!r}[/red]")
        raise typer.Exit(2) from exc
