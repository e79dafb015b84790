"""The `measures` commands of `ipcredit`: applied measures, a department's CSV export, feedback."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from api.cli.base import Json, app, console, day_of, err, open_store
from credit.measures_applied import FeedbackRequest, MeasureError, measures_csv, record_feedback
from queries.measures import MeasureNotFoundError, measures

measures_app = typer.Typer(help="Measures applied by level (联合惩戒): list, export, feedback.", no_args_is_help=True)
app.add_typer(measures_app, name="measures")

Department = Annotated[str, typer.Option("--department", help="The executing department's code.")]


class MeasureState(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"


State = Annotated[MeasureState | None, typer.Option("--state", help="Only active, or only ended, measures.")]


def _active(state: MeasureState | None) -> bool | None:
    return None if state is None else state is MeasureState.ACTIVE


@measures_app.command("list")
def list_cmd(
    subject: Annotated[str | None, typer.Option("--subject")] = None,
    department: Annotated[str | None, typer.Option("--department")] = None,
    state: State = None,
    as_json: Json = False,
) -> None:
    """Applied measures, newest first."""
    with open_store() as store:
        page = measures(store, subject=subject, department=department, active=_active(state), limit=None)
    if as_json:
        print(json.dumps(page.model_dump(mode="json"), ensure_ascii=False))
        return
    for m in page.items:
        until = f"ended {m.ended_on}" if m.ended_on else f"until {m.planned_end}"
        console.print(f"{m.uid}  {m.subject_uid}  {m.level}  {m.department}  {m.measure}  {until}", markup=False)
    console.print(f"{page.total} measure(s)")


@measures_app.command("export")
def export(
    department: Department,
    out: Annotated[Path | None, typer.Option("-o", "--out", help="Write the CSV here (default: stdout).")] = None,
    state: State = None,
) -> None:
    """The department's measures as CSV (UTF-8), with their feedback."""
    with open_store() as store:
        text = measures_csv(measures(store, department=department, active=_active(state), limit=None).items)
    if out is None:
        print(text, end="")
        return
    out.write_text(text, encoding="utf-8")
    err.print(f"{out}: {text.count(chr(10)) - 1} row(s)")


@measures_app.command("feedback")
def feedback(
    measure_uid: str,
    department: Department,
    text: Annotated[str, typer.Option("--text", help="What the department did (stored as given).")],
    by: Annotated[str, typer.Option("--by", help="Who records it (audited).")],
    on: Annotated[str | None, typer.Option("--on", help="The day (YYYY-MM-DD; default today, UTC).")] = None,
) -> None:
    """Record a department's execution feedback on a measure it executes."""
    request = FeedbackRequest(
        measure_uid=measure_uid, department=department, text=text, actor=by, on=day_of(on, "--on")
    )
    with open_store() as store:
        try:
            done = record_feedback(store, request)
        except (MeasureError, MeasureNotFoundError) as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(1) from exc
    console.print(f"feedback {done.feedback_uid} on {done.measure_uid} (audit {done.event_uid})")
