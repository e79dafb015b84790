"""`ipcredit export KIND --out FILE [--since SEQ] [--format jsonl|csv] [--public]`: the exchange files for
the national credit platform (docs/exchange.md). It prints the last sequence number the file is complete
up to: give it as `--since` next time to continue."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from api.cli.base import Json, app, console, day_of, err, open_store
from api.masking import mask_name
from credit.exchange import Syntax, write
from credit.exchange_export import PublicExportError, export
from graph.exchange import ExchangeKind


@app.command("export")
def export_command(
    kind: Annotated[ExchangeKind, typer.Argument(help="What to export: penalties, levels, repairs or lists.")],
    out: Annotated[Path, typer.Option("--out", help="The file to write (UTF-8; overwritten).")],
    since: Annotated[
        int | None, typer.Option("--since", min=0, help="Only what changed after this sequence number (default: all).")
    ] = None,
    syntax: Annotated[str, typer.Option("--format", help="jsonl or csv.")] = "jsonl",
    public: Annotated[
        bool, typer.Option("--public", help="The public view: published penalties only, persons' names masked.")
    ] = False,
    on: Annotated[str | None, typer.Option("--on", help="The day (YYYY-MM-DD; default today, UTC).")] = None,
    as_json: Json = False,
) -> None:
    """Write one kind of exchange records to a file and print the sequence number to continue from."""
    if syntax not in ("jsonl", "csv"):
        err.print(f"[red]--format must be jsonl or csv, got {syntax!r}[/red]")
        raise typer.Exit(2)
    day = day_of(on, "--on")
    with open_store() as store:
        try:
            found = export(store, kind, since, mask=mask_name if public else None, on=day)
        except PublicExportError as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(2) from exc
    fmt: Syntax = "csv" if syntax == "csv" else "jsonl"
    with out.open("w", encoding="utf-8", newline="") as fh:
        written = write(found.rows, found.columns, fmt, fh)
    if as_json:
        typer.echo(json.dumps({"kind": kind.value, "rows": written, "file": str(out), "last_seq": found.head}))
    else:
        console.print(f"{written} {kind.value} row(s) written to {out}")
        console.print(f"last sequence: {found.head} (continue with --since {found.head})")
