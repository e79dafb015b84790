"""The `publication` commands of `ipcredit`: the daily run of the publication register."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from api.cli.base import Json, app, console, day_of, open_store
from credit.register import run

publication_app = typer.Typer(help="The publication (公示) register: start and end publication.", no_args_is_help=True)
app.add_typer(publication_app, name="publication")

On = Annotated[str | None, typer.Option("--on", help="The day of the run (YYYY-MM-DD; default today, UTC).")]


@publication_app.command("run")
def publication_run(on: On = None, as_json: Json = False) -> None:
    """Start the publication of records decided by the day and end what has run its course (daily)."""
    day = day_of(on, "--on")
    with open_store() as store:
        result = run(store, day)
    if as_json:
        print(json.dumps(result.model_dump(mode="json"), ensure_ascii=False))
        return
    console.print(
        f"publication on {result.on}: {result.started} started, {result.ended} ended, "
        f"{result.changes} change event(s), audit event {result.event_uid}"
    )
