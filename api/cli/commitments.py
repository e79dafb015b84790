"""The `commitments` commands of `ipcredit`: record a credit commitment, verify it, list them."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from api.cli.base import Json, app, console, day_of, err, open_store
from credit.commitments import (
    CommitmentRefusedError,
    CommitmentRequest,
    Outcome,
    VerifyRequest,
    record_commitment,
    verify_commitment,
)
from credit.workflow import WorkflowError
from queries.commitments import commitments

commitments_app = typer.Typer(help="Credit commitments (信用承诺): record, verify, list.", no_args_is_help=True)
app.add_typer(commitments_app, name="commitments")

By = Annotated[str, typer.Option("--by", help="Who takes this step (recorded in the audit trail).")]
Day = Annotated[str | None, typer.Option("--on", help="The day (YYYY-MM-DD; default today, UTC).")]


@commitments_app.command("record")
def record(
    subject: Annotated[str, typer.Option("--subject", help="The subject's uid.")],
    matter: Annotated[str, typer.Option("--matter", help="What the commitment is for.")],
    text: Annotated[str, typer.Option("--text", help="The commitment as made (stored as given).")],
    due_by: Annotated[str, typer.Option("--due-by", help="When it must be met (YYYY-MM-DD).")],
    office: Annotated[str, typer.Option("--office", help="The office that verifies it.")],
    by: By,
    made_on: Day = None,
    as_json: Json = False,
) -> None:
    """Record a commitment; refused (exit status 1, with every reason, audited) when the route is shut."""
    request = CommitmentRequest(
        subject_uid=subject,
        matter=matter,
        text=text,
        made_on=day_of(made_on, "--on"),
        due_by=day_of(due_by, "--due-by"),
        office=office,
        actor=by,
    )
    with open_store() as store:
        try:
            made = record_commitment(store, request)
        except CommitmentRefusedError as exc:
            err.print(f"[red]commitment of {exc.subject_uid} refused (audit {exc.event_uid}):[/red]")
            for why in exc.reasons:
                err.print(f"  - {why}")
            raise typer.Exit(1) from exc
        except WorkflowError as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(1) from exc
    if as_json:
        print(made.model_dump_json())
        return
    console.print(f"commitment {made.uid} of {made.subject_uid} recorded (audit {made.event_uid})")


@commitments_app.command("verify")
def verify(
    commitment_uid: str,
    outcome: Annotated[Outcome, typer.Option("--outcome", help="kept (a positive record), broken or untrue.")],
    reason: Annotated[str, typer.Option("--reason", help="What the verification found (audited).")],
    by: By,
    on: Day = None,
    doc: Annotated[str | None, typer.Option("--doc", help="The verification's document number.")] = None,
    as_json: Json = False,
) -> None:
    """Verify a pending commitment: its record is made and the subjects it touches re-graded."""
    request = VerifyRequest(
        commitment_uid=commitment_uid, outcome=outcome, reason=reason, actor=by, on=day_of(on, "--on"), doc_number=doc
    )
    with open_store() as store:
        try:
            done = verify_commitment(store, request)
        except WorkflowError as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(1) from exc
    if as_json:
        print(done.model_dump_json())
        return
    console.print(
        f"commitment {done.commitment_uid} {done.outcome.value}: record {done.violation_uid} ({done.behaviour_code}), "
        f"audit {done.event_uid}; {done.regraded} subject(s) re-graded"
    )
    for change in done.changed:
        console.print(f"  {change.uid}: {change.old or 'not assessed'} -> {change.new}")


@commitments_app.command("list")
def list_cmd(
    subject: Annotated[str | None, typer.Option("--subject", help="Only this subject's.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=10_000)] = 100,
    as_json: Json = False,
) -> None:
    """Commitments, newest first."""
    with open_store() as store:
        page = commitments(store, subject=subject, limit=limit)
    if as_json:
        print(json.dumps(page.model_dump(mode="json"), ensure_ascii=False))
        return
    for c in page.items:
        console.print(f"{c.uid}  {c.subject_uid}  {c.matter}  {c.made_on} -> {c.due_by}  {c.status}", markup=False)
    console.print(f"{page.total} commitment(s)")
