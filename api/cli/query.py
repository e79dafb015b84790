"""CLI commands `ipcredit query` (the named-query catalogue) and `ipcredit cypher` (read-only Cypher).

`query` validates parameters with the query's own model and fills the ones the credit policy holds;
`cypher` runs in read access mode with the settings' timeout and row cap, so the server itself
refuses a write. Exit status: 0 done, 1 the database refused or failed the query, 2 bad input.
"""

from __future__ import annotations

import csv
import json
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer
from neo4j.exceptions import DriverError, Neo4jError
from rich import box
from rich.console import RenderableType
from rich.table import Table

from api.analyst import run_cypher
from api.cli.base import app, console, err, open_store
from api.errors import ApiError
from credit.params import policy_params
from credit.policy import PolicyError, default_policy
from graph.settings import get_settings
from graph.store import Row
from queries.catalogue import (
    QUERIES,
    NotAnAgencyError,
    QueryParamsError,
    UnknownQueryError,
    UnknownSubjectError,
    get_query,
    run_named,
)


class Format(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output: table, csv or json.")]
ParamOption = Annotated[
    list[str] | None,
    typer.Option("--param", "-p", help="A parameter as key=value (repeat for more; JSON values are parsed)."),
]


def _value(text: str) -> Any:
    """JSON when the text is JSON (numbers, lists, objects, true/false), else the text itself."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def parse_params(items: list[str] | None, *, typed: bool) -> dict[str, Any]:
    """`key=value` pairs into a dict; a key given twice collects a list. Bad pairs: exit status 2.

    `typed` parses every value as JSON where it is JSON (for raw Cypher, which has no model); else
    only lists and objects are parsed and the query's params model converts the rest.
    """
    params: dict[str, Any] = {}
    for item in items or []:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep or not key.isidentifier():
            err.print(f"[red]--param wants key=value, got {item!r}[/red]")
            raise typer.Exit(2)
        value = _value(text) if typed or text.lstrip()[:1] in ("[", "{") else text
        if key in params:
            previous = params[key]
            params[key] = [*(previous if isinstance(previous, list) else [previous]), value]
        else:
            params[key] = value
    return params


def _cell(value: Any) -> str:
    """A CSV cell: nested values as compact JSON (a table shows them as tables, see `_shown`)."""
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def _shown(value: Any) -> RenderableType:
    """A table cell: a list of plain values as lines, a mapping or a list of mappings as a table of its
    own (nested as deep as the value), so that no cell holds a JSON blob."""
    if isinstance(value, dict):
        inner = Table("key", "value", show_header=False, box=box.MINIMAL)
        for key, item in value.items():
            inner.add_row(str(key), _shown(item))
        return inner
    if isinstance(value, list) and any(isinstance(item, dict | list) for item in value):
        if all(isinstance(item, dict) for item in value):
            keys = list(dict.fromkeys(k for item in value for k in item))
            inner = Table(*keys, box=box.MINIMAL)
            for item in value:
                inner.add_row(*(_shown(item.get(k)) for k in keys))
            return inner
        listed = Table(show_header=False, box=box.MINIMAL)
        for item in value:
            listed.add_row(_shown(item))
        return listed
    if isinstance(value, list):
        return "\n".join("" if item is None else str(item) for item in value)
    return _cell(value)


def emit(rows: list[Row], fmt: Format, *, title: str | None = None) -> None:
    """Print rows as a table, CSV (nested values as JSON) or JSON."""
    if fmt is Format.JSON:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    columns = list(dict.fromkeys(key for row in rows for key in row))
    if fmt is Format.CSV:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in columns])
        return
    table = Table(*columns, title=title, show_lines=False)
    for row in rows:
        table.add_row(*(_shown(row.get(c)) for c in columns))
    console.print(table)
    console.print(f"{len(rows)} row{'s' if len(rows) != 1 else ''}")


def _catalogue() -> None:
    table = Table("name", "parameters", "description", title="query catalogue (ipcredit query NAME --param k=v)")
    for q in sorted(QUERIES.values(), key=lambda q: q.name):
        parts = []
        for field_name, field in q.params.model_fields.items():
            if field_name in q.policy_params:
                parts.append(f"{field_name} (policy)")
            elif field.is_required():
                parts.append(f"{field_name}*")
            else:
                parts.append(field_name)
        table.add_row(q.name, ", ".join(parts), q.description)
    console.print(table)
    console.print("* required; (policy): filled from the credit policy unless given")


@app.command("query")
def query(
    name: Annotated[str | None, typer.Argument(help="Query name; `list` (or nothing) shows the catalogue.")] = None,
    param: ParamOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Run a named query from the catalogue, with its parameters validated."""
    if name is None or name == "list":
        _catalogue()
        return
    try:
        named = get_query(name)
        raw = policy_params(named, default_policy(), parse_params(param, typed=False))
        named.validate(raw)  # fail on bad parameters before touching the database
    except (UnknownQueryError, QueryParamsError, PolicyError) as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    with open_store() as store:
        try:
            rows = run_named(store, name, raw)
        except (UnknownSubjectError, NotAnAgencyError) as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(2) from exc
        except (Neo4jError, DriverError) as exc:
            err.print(f"[red]the query failed: {exc}[/red]")
            raise typer.Exit(1) from exc
    emit(rows, fmt, title=name)


@app.command("cypher")
def cypher_cmd(
    statement: Annotated[str, typer.Argument(help="A read-only Cypher statement (`-` reads it from stdin).")],
    param: ParamOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Run read-only Cypher: read access mode, a timeout and a row cap (a write is refused)."""
    text = sys.stdin.read() if statement == "-" else statement
    if not text.strip():
        err.print("[red]no Cypher statement given[/red]")
        raise typer.Exit(2)
    params = parse_params(param, typed=True)
    settings = get_settings()
    with open_store() as store:
        try:
            result = run_cypher(
                store,
                text,
                params,
                timeout=settings.cypher_timeout_s,
                max_rows=settings.cypher_max_rows,
                max_bytes=settings.cypher_max_bytes,
            )
        except ApiError as exc:
            err.print(f"[red]{exc.message}[/red]")
            raise typer.Exit(2 if exc.code == "bad_params" else 1) from exc
        except (Neo4jError, DriverError) as exc:
            err.print(f"[red]the query failed: {exc}[/red]")
            raise typer.Exit(1) from exc
    emit(result.rows, fmt)
    if result.truncated:
        err.print(
            f"[yellow]stopped at {settings.cypher_max_rows} rows (IPCREDIT_CYPHER_MAX_ROWS); "
            f"add a LIMIT or raise the cap[/yellow]"
        )
