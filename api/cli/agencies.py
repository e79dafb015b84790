"""The `agencies` commands of `ipcredit`: the agency evaluation cycle of a period."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli.base import AsOf, Json, app, console, day_of, err, open_store
from credit.agency_cycles import evaluate_cycle
from credit.workflow import WorkflowError

agencies_app = typer.Typer(help="Agency evaluation cycles (patent-agency credit evaluation).", no_args_is_help=True)
app.add_typer(agencies_app, name="agencies")


@agencies_app.command("evaluate")
def evaluate(
    period: Annotated[int, typer.Option("--period", min=2000, max=2100, help="The cycle's year.")],
    by: Annotated[str, typer.Option("--by", help="Who runs the cycle (audited).")] = "cli",
    as_of: AsOf = None,
    as_json: Json = False,
) -> None:
    """Compute every agency's indicators, make the records the rules name, grade, store and publish."""
    day = day_of(as_of, "--as-of")
    with open_store() as store:
        try:
            result = evaluate_cycle(store, period, day, actor=by)
        except WorkflowError as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(1) from exc
    if as_json:
        print(result.model_dump_json())
        return
    console.print(
        f"agency cycle {result.period} ({result.collection_from}..{result.collection_to}), evaluated on "
        f"{result.evaluated_on}: {len(result.entries)} agencies, {result.records_made} new record(s); "
        f"median filings per agent {result.median_per_agent}; published as /lists/agency-cycle"
    )
    for e in result.entries:
        found = ", ".join(e.findings) or "-"
        i = e.indicators
        console.print(
            f"{e.level:<3} {e.score:>6.1f}  {e.agency_uid}  {e.name or ''}  filings {i.filings}, per agent "
            f"{i.per_agent} (x{i.per_agent_vs_median}), flagged {i.flagged_share}, people's records "
            f"{i.people_records}  findings: {found}",
            markup=False,
        )
