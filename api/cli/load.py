"""`ipcredit load FORMAT PATH...`: load input files into the graph and print what happened to every record.

Exit status: 0 when records were loaded or found unchanged (rejects, if any, are in the summary and the
rejects file); 1 when no record could be loaded at all (nothing read, or every record rejected);
2 for unusable arguments (unknown format or encoding, a path not in the expected layout, no database,
or `--bulk` refused), and when the database fails mid-load: the summary so far is printed, then one
line on stderr says what failed (no traceback).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from api.cli.base import Json, app, console, err, open_store
from credit.classify import classify_all
from credit.freshness import regrade_after_load
from graph.settings import get_settings
from loaders.bulk import BulkImportError, Prepared, bulk_load
from loaders.bulk_pool import prepared_rows
from loaders.canonical import ENCODINGS, CanonicalInputError, CanonicalReader
from loaders.formats import READERS, UnknownFormatError, reader_for
from loaders.pipeline import LoadInterruptedError, load
from loaders.records import Item, Reader
from loaders.rows import LoadSummary, ProgressCallback
from queries.schema import init_schema


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


@contextmanager
def _progress_bar(shown: bool, out: Console) -> Iterator[ProgressCallback | None]:
    """A transient rich progress bar on `out`, as the callback the loaders tell records read; None when
    not `shown`."""
    if not shown:
        yield None
        return
    columns = (
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        MofNCompleteColumn(),
        TextColumn("records"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=out, transient=True) as bar:
        task = bar.add_task("loading", total=None)
        yield lambda read: bar.update(task, completed=read)


def print_summary(summary: LoadSummary, out: Console) -> None:
    table = Table(title="load summary")
    for column in ("kind", "read", "loaded", "unchanged", "of which repeats", "rejected"):
        table.add_column(column, justify="left" if column == "kind" else "right")
    rows = [*sorted(summary.kinds.items()), ("[bold]total[/bold]", summary.total)]
    for name, count in rows:
        numbers = (count.read, count.loaded, count.unchanged, count.repeated, count.rejected)
        table.add_row(name, *map(str, numbers))
    total = summary.total
    out.print(table)
    if total.repeated:
        out.print(f"{total.repeated} unchanged: the same record given again in this input (counted once)")
    if total.rejected:
        out.print(f"[yellow]{total.rejected} rejected[/yellow]: reasons in {summary.rejects_file}")
    for report in summary.mostly_rejected:  # say why right here: wrong format or encoding, most likely
        out.print(f"[yellow]{escape(report.file)}: {report.rejected} of {report.read} records rejected[/yellow]")
        for reason in report.reasons:
            out.print(f"  {reason.count} x {reason.reason} (first: {', '.join(reason.first_refs)})", markup=False)
    if total.read and total.unchanged == total.read:
        out.print("nothing changed: every record was already in the graph or repeated in this input")
    if summary.possible_duplicates:
        out.print(f"{summary.possible_duplicates} possible duplicates linked (POSSIBLE_SAME_AS)")
    out.print(f"{total.read} records in {summary.seconds:.1f}s")
    if summary.interrupted:
        out.print("[red]stopped before the end[/red]: read counts records not yet written")


def _report(summary: LoadSummary, as_json: bool, regraded: int | None) -> None:
    """The summary; `regraded`: how many subjects changed state afterwards (None: not re-graded)."""
    if as_json:
        typer.echo(json.dumps({**summary.as_json(), "regraded": regraded}, ensure_ascii=False))
    else:
        print_summary(summary, console)
        if regraded is not None:
            console.print(f"levels kept current: {regraded} subject(s) changed state")


@app.command("load")
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
    as_json: Json = False,
    bulk: Annotated[
        bool, typer.Option("--bulk", help="First load into an empty local database with Neo4j's importer.")
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="With --bulk: processes validating canonical input (default: cores)."),
    ] = None,
) -> None:
    """Load input files into the graph: validate, upsert in batches, write rejects, print a summary."""
    try:
        reader = reader_for(format, encoding)
        _check_paths(reader, paths)
    except (UnknownFormatError, CanonicalInputError) as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    size = batch_size or get_settings().batch_size
    if bulk:
        try:
            loaded_at = datetime.now(UTC)
            items: Iterable[Item | Prepared] = (
                prepared_rows(reader, paths, loaded_at, workers or os.cpu_count() or 1)
                if isinstance(reader, CanonicalReader)
                else _items(reader, paths)
            )
            with _progress_bar(not as_json and console.is_terminal, err) as progress:
                summary = bulk_load(items, rejects_path=rejects, progress=progress, loaded_at=loaded_at)
        except BulkImportError as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(2) from exc
        with open_store() as store:
            regraded = classify_all(store).written  # the bulk path ends with a full classification
    else:
        with open_store() as store:
            try:
                init_schema(store)
                with _progress_bar(not as_json and console.is_terminal, err) as progress:
                    summary = load(
                        store, _items(reader, paths), rejects_path=rejects, batch_size=size, progress=progress
                    )
                regraded = regrade_after_load(store, summary.loaded_at).written
            except LoadInterruptedError as exc:
                _report(exc.summary, as_json, None)
                typer.echo(f"error: {exc}; the summary above is what was done before", err=True)
                raise typer.Exit(2) from exc
    _report(summary, as_json, regraded)
    total = summary.total
    if total.loaded + total.unchanged == 0:
        if not as_json:
            err.print("[red]no record could be loaded[/red]")
        raise typer.Exit(1)
