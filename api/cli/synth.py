"""`ipcredit synth`: write a synthetic dataset in the canonical format, with ground truth."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.base import Json, app, console, err
from synth.generator import generate


@app.command("synth")
def synth(
    subjects: Annotated[int, typer.Option("--subjects", min=50, help="Number of subjects (companies, persons, …).")],
    out: Annotated[Path, typer.Option("--out", help="Folder to write the CSV files and truth.jsonl into.")],
    seed: Annotated[int, typer.Option("--seed", help="Random seed: the same seed gives identical files.")] = 0,
    as_json: Json = False,
) -> None:
    """Generate companies, persons, agencies, IP filings and planted dishonesty rings (see docs/input-format.md)."""
    try:
        summary = generate(out, subjects, seed)
    except (ValueError, OSError) as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    if as_json:
        print(summary.model_dump_json())
        return
    console.print(f"wrote {summary.subjects} subjects to {summary.out} (seed {summary.seed})")
    for name, rows in summary.rows.items():
        console.print(f"  {name:<11} {rows:>10,} rows")
    rings = ", ".join(f"{k} {v}" for k, v in summary.rings.items())
    console.print(f"  rings: {rings}; offenders {summary.offenders}, tied {summary.tied}")
