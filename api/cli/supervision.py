"""The supervision commands of `ipcredit`: `regions assign`, `inspect plan|result`, `stats`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from api.cli.base import Json, app, console, day_of, err, open_store
from credit.supervision.inspections import PlanError, PlanRequest, ResultRequest, load_roster, plan_inspections, record
from credit.supervision.regions import assign
from credit.supervision.stats import statistics

regions_app = typer.Typer(help="Subjects' regions (GB/T 2260 division codes).", no_args_is_help=True)
inspect_app = typer.Typer(help="Random inspections by level (双随机、一公开).", no_args_is_help=True)
app.add_typer(regions_app, name="regions")
app.add_typer(inspect_app, name="inspect")

Region = Annotated[str | None, typer.Option("--region", help="Division-code prefix (2, 4 or 6 digits).")]


@regions_app.command("assign")
def regions_assign(as_json: Json = False) -> None:
    """Give every subject its region: from the credit code, else a recognised address (after loads)."""
    with open_store() as store:
        summary = assign(store)
    if as_json:
        print(json.dumps(summary.model_dump(), ensure_ascii=False))
        return
    console.print(f"regions: {summary.subjects} subjects, {summary.assigned} set or changed, {summary.unknown} unknown")


@inspect_app.command("plan")
def inspect_plan(
    period: Annotated[str, typer.Option("--period", help="The quarter, e.g. 2026Q4.")],
    seed: Annotated[str, typer.Option("--seed", help="The draw's seed: the same seed, the same plan.")],
    inspectors: Annotated[Path, typer.Option("--inspectors", help="The roster (CSV or JSON).", exists=True)],
    region: Region = None,
    kind: Annotated[list[str] | None, typer.Option("--kind", help="A kind of subject (repeatable).")] = None,
    by: Annotated[str, typer.Option("--by", help="Who draws the plan (stored with it).")] = "cli",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Draw without storing.")] = False,
    as_json: Json = False,
) -> None:
    """Draw a reproducible inspection plan and store it (published at /inspections/plans/{uid})."""
    try:
        request = PlanRequest.model_validate(
            {
                "period": period,
                "seed": seed,
                "region": region,
                "kinds": kind or None,
                "inspectors": load_roster(inspectors),
            }
        )
    except (ValidationError, ValueError) as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    with open_store() as store:
        plan = plan_inspections(store, request, actor=f"cli:{by}", save=not dry_run)
    if as_json:
        print(json.dumps(plan.model_dump(mode="json"), ensure_ascii=False))
        return
    for count in plan.counts:
        console.print(
            f"{count.level:>2}: {count.drawn} of {count.candidates - count.cooled} "
            f"(ratio {count.ratio:g}, {count.cooled} in cool-down)"
        )
    console.print(f"plan {plan.uid or '(not stored)'}: {len(plan.inspections)} inspections, seed {plan.seed}")


@inspect_app.command("result")
def inspect_result(
    inspection: Annotated[str, typer.Argument(help="The inspection's uid.")],
    finding: Annotated[list[str] | None, typer.Option("--finding", help="A behaviour code found (repeatable).")] = None,
    doc_number: Annotated[str | None, typer.Option("--doc-number", help="The decision's document number.")] = None,
    on: Annotated[str | None, typer.Option("--on", help="The day of the result (YYYY-MM-DD).")] = None,
    by: Annotated[str, typer.Option("--by", help="Who records it.")] = "cli",
    as_json: Json = False,
) -> None:
    """Record an inspection's result: clean (no --finding), or findings that become records."""
    try:
        request = ResultRequest(
            outcome="findings" if finding else "clean",
            findings=finding or [],
            doc_number=doc_number,
            on=day_of(on, "--on"),
        )
    except ValidationError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    with open_store() as store:
        try:
            result = record(store, inspection, request, actor=f"cli:{by}")
        except PlanError as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(1) from exc
    if as_json:
        print(json.dumps(result.model_dump(mode="json"), ensure_ascii=False))
        return
    records = len(result.violation_uids)
    console.print(f"{result.inspection_uid}: {result.outcome}, {records} record(s), {result.regraded} re-graded")


@app.command("stats")
def stats(
    as_of: Annotated[str | None, typer.Option("--as-of", help="Levels as of this date (default today).")] = None,
    start: Annotated[str | None, typer.Option("--from", help="Period start (default 1 January).")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Period end (default --as-of).")] = None,
    region: Region = None,
    kind: Annotated[str | None, typer.Option("--kind", help="company, agency, person or agent.")] = None,
    as_json: Json = False,
) -> None:
    """Supervision statistics: levels by region and kind, transitions, behaviours, workflow, inspections."""
    on = day_of(as_of, "--as-of")
    first = day_of(start, "--from") if start else date(on.year, 1, 1)
    last = day_of(end, "--to") if end else on
    with open_store() as store:
        data = statistics(store, as_of=on, start=first, end=last, region=region, kind=kind)
    if as_json:
        print(json.dumps(data.model_dump(mode="json"), ensure_ascii=False))
        return
    console.print(f"levels as of {data.as_of}: " + ", ".join(f"{k} {v}" for k, v in sorted(data.by_level.items())))
    for t in data.transitions:
        console.print(f"  {t.before or '-'} -> {t.after}: {t.subjects}")
    for b in data.top_behaviours:
        console.print(f"  {b.behaviour_code}: {b.records} records, {b.subjects} subjects")
    console.print(f"objections {data.objections_filed}, repairs {data.repairs}")
    for r in data.inspections:
        console.print(f"  inspections {r.level}: {r.done} done, {r.with_findings} with findings ({r.hit_rate:.1%})")
