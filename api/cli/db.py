"""`ipcredit db`: the graph database, the local Neo4j (build, start, stop, status) and the schema (init)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.base import app, console, err, open_store
from graph import local
from graph.settings import get_settings
from graph.store import Store
from queries.admin import components
from queries.schema import init_schema

db_app = typer.Typer(help="The graph database: the local Neo4j and the schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")

DataOption = Annotated[
    Path | None, typer.Option("--data", help="Data folder of the local Neo4j (default: IPCREDIT_LOCAL_DATA_DIR).")
]


def _local(data: Path | None, port: int | None = None) -> local.LocalNeo4j:
    settings = get_settings()
    return local.LocalNeo4j(data or settings.local_data_dir, port, settings=settings)


@db_app.command("build")
def db_build(force: Annotated[bool, typer.Option("--force", help="Rebuild even when up to date.")] = False) -> None:
    """Fetch Neo4j from Maven Central and compile the launcher (done once; quick when built)."""
    try:
        path = local.build(force=force)
    except local.LocalNeo4jError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    console.print(f"local Neo4j built: {path}")


@db_app.command("start")
def db_start(
    port: Annotated[int | None, typer.Option(help="Bolt port on 127.0.0.1 (default: IPCREDIT_LOCAL_PORT).")] = None,
    data: DataOption = None,
) -> None:
    """Start the local Neo4j (or find it running) and print its Bolt URI."""
    instance = _local(data, port)
    try:
        uri = instance.start()
    except local.LocalNeo4jError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    with Store.connect(uri=uri) as store:
        init_schema(store)
    console.print(uri)


@db_app.command("stop")
def db_stop(data: DataOption = None) -> None:
    """Stop the local Neo4j cleanly."""
    instance = _local(data)
    if instance.stop():
        console.print(f"stopped the local Neo4j in {instance.data_dir}")
    else:
        console.print(f"no local Neo4j running in {instance.data_dir}")


@db_app.command("status")
def db_status(data: DataOption = None) -> None:
    """Bolt URI and Neo4j version of the local instance, or that it is not running."""
    instance = _local(data)
    state = instance.state()
    if state is None:
        console.print(f"not running (data folder {instance.data_dir})")
        raise typer.Exit(3)
    with Store.connect(uri=state.uri) as store:
        found = components(store)
    kernel = next((c for c in found if c.name == "Neo4j Kernel"), found[0])
    console.print(f"running: {state.uri} (pid {state.pid}), {kernel.name} {kernel.version} {kernel.edition}")


@db_app.command("init")
def db_init() -> None:
    """Apply the schema's constraints and indexes (idempotent) and print the applied version."""
    with open_store() as store:
        status = init_schema(store)
    console.print(f"schema version {status.version} (newly applied: {status.newly_applied or 'none'})")
