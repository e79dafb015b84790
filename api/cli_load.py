"""`ipcredit load FORMAT PATH...`: load input files into the graph and print what happened to every record.

Exit status: 0 when records were loaded or found unchanged (rejects, if any, are in the summary and the
rejects file); 1 when no record could be loaded at all (nothing read, or every record rejected);
2 for unusable arguments (unknown format or encoding, a path not in the expected layout, no database,
or `--bulk` refused), and when the database fails mid-load: the summary so far is printed, then one
line on stderr says what failed (no traceback).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from graph.migrate import init_schema
from graph.settings import get_settings
from loaders.canonical import ENCODINGS, CanonicalInputError
from loaders.formats import READERS, UnknownFormatError, reader_for
from loaders.pipeline import LoadInterruptedError, LoadSummary, load
from loaders.records import Item, Reader

console = Console()
err = Console(stderr=True)


def _items(reader: Reader, paths: list[Path]) -> Iterator[Item]:
    for path in paths:
        yield from reader(path)


def _check_paths(reader: Reader, paths: list[Path]) -> None:
    """Fail before touching the database when a path does not exist or is not in the layout."""
    for path in paths:
        if not path.exists():
            raise CanonicalInputError(f"{path}: no such file or folder")
        files = getattr(reader, "files", None)
        if callable(files):
            files(path)


def print_summary(summary: LoadSummary, out: Console) -> None:
    table = Table(title="load summary")
    for column in ("kind", "read", "loaded", "unchanged", "rejected"):
        table.add_column(column, justify="left" if column == "kind" else "right")
    for name, count in sorted(summary.kinds.items()):
        table.add_row(name, str(count.read), str(count.loaded), str(count.unchanged), str(count.rejected))
    total = summary.total
    table.add_row("[bold]total[/bold]", str(total.read), str(total.loaded), str(total.unchanged), str(total.rejected))
    out.print(table)
    if total.rejected:
        out.print(f"[yellow]{total.rejected} rejected[/yellow]: reasons in {summary.rejects_file}")
    if total.read and total.unchanged == total.read:
        out.print("nothing changed: every record was already in the graph")
    if summary.possible_duplicates:
        out.print(f"{summary.possible_duplicates} possible duplicates linked (POSSIBLE_SAME_AS)")
    out.print(f"{total.read} records in {summary.seconds:.1f}s")
    if summary.interrupted:
        out.print("[red]stopped before the end[/red]: read counts records not yet written")


def _report(summary: LoadSummary, as_json: bool) -> None:
    if as_json:
        payload = summary.model_dump(mode="json")
        payload["total"] = summary.total.model_dump()
        typer.echo(json.dumps(payload, ensure_ascii=False))
    else:
        print_summary(summary, console)


def load_command(
    format: Annotated[str, typer.Argument(help=f"Input format: one of {', '.join(sorted(READERS))}.")],
    paths: Annotated[list[Path], typer.Argument(help="Files, or folders in the canonical layout (csv, jsonl).")],
    rejects: Annotated[Path, typer.Option("--rejects", help="Rejects file (JSON lines, overwritten).")] = Path(
        "rejects.jsonl"
    ),
    batch_size: Annotated[
        int | None, typer.Option("--batch-size", min=1, help="Rows per transaction (default IPCREDIT_BATCH_SIZE).")
    ] = None,
    encoding: Annotated[
        str, typer.Option("--encoding", help=f"Text encoding of CSV/JSON-lines input: {', '.join(ENCODINGS)}.")
    ] = "auto",
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as one JSON object.")] = False,
    bulk: Annotated[
        bool, typer.Option("--bulk", help="First load into an empty local database with Neo4j's importer.")
    ] = False,
) -> None:
    """Load input files into the graph: validate, upsert in batches, write rejects, print a summary."""
    from api.cli import open_store  # the shared connection helper; imported late to avoid a cycle

    try:
        reader = reader_for(format, encoding)
        _check_paths(reader, paths)
    except (UnknownFormatError, CanonicalInputError) as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    size = batch_size or get_settings().batch_size
    if bulk:
        from loaders.bulk import BulkImportError, bulk_load

        try:
            summary = bulk_load(_items(reader, paths), rejects_path=rejects, progress=not as_json)
        except BulkImportError as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(2) from exc
    else:
        with open_store() as store:
            try:
                init_schema(store)
                summary = load(
                    store,
                    _items(reader, paths),
                    rejects_path=rejects,
                    batch_size=size,
                    progress=not as_json and console.is_terminal,
                    console=err,
                )
            except LoadInterruptedError as exc:
                _report(exc.summary, as_json)
                typer.echo(f"error: {exc}; the summary above is what was done before", err=True)
                raise typer.Exit(2) from exc
    _report(summary, as_json)
    total = summary.total
    if total.loaded + total.unchanged == 0:
        if not as_json:
            err.print("[red]no record could be loaded[/red]")
        raise typer.Exit(1)
