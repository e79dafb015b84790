"""CLI commands of the credit model: classify, check, chains, object (file/resolve), repair."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from api.cli.base import AsOf, Json, app, console, day_of, err, open_store
from api.i18n import Lang, cli_locale
from credit.classify import classify_all
from credit.evaluate import SubjectNotFoundError, evaluate, subject_facts
from credit.explain import behaviour_name, level_sentences
from credit.freshness import verify
from credit.grading import Evaluation
from credit.params import chain_params
from credit.policy import PolicyError, default_policy
from credit.workflow import (
    ObjectionRequest,
    Outcome,
    RepairRefusedError,
    RepairRequest,
    ResolveRequest,
    StepResult,
    WorkflowError,
    file_objection,
    repair,
    resolve_objection,
)
from queries.chains import Chain, chains_of
from queries.feed import changes_since

object_app = typer.Typer(help="Objections against a record: file one, resolve one.", no_args_is_help=True)
app.add_typer(object_app, name="object")

Actor = Annotated[str, typer.Option("--by", help="Who takes this step (recorded in the audit trail).")]
Why = Annotated[str, typer.Option("--reason", help="Why (recorded in the audit trail).")]
On = Annotated[str | None, typer.Option("--on", help="Date of the step (YYYY-MM-DD; default today, UTC).")]


def _policy() -> None:
    try:
        default_policy()
    except PolicyError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc


def _chain_line(chain: Chain) -> str:
    parts = [chain.path[0]]
    for step, node in zip(chain.steps, chain.path[1:], strict=True):
        label = f"{step.type}~{step.via}" if step.via else step.type
        if step.ratio is not None:
            label += f"({step.ratio:.0%})"
        if step.after:
            label += "[after]"
        parts.append(f"-{label}- {node}")
    return " ".join(parts)


def _print_evaluation(ev: Evaluation, name: str | None) -> None:
    """The check for a person reading it, in the CLI's language (`IPCREDIT_LANG`, `LANG`; zh by default):
    why the level is what it is in sentences, then the records, chains and measures (names, then codes)."""
    lang = Lang(cli_locale())
    _ = lang.gettext
    policy = default_policy()
    console.print(f"[bold]{ev.subject_uid}[/bold] {name or ''}", markup=True, highlight=False)
    for sentence in level_sentences(ev, policy, lang):
        console.print(sentence, markup=False, highlight=False)
    console.print(
        _("score %(score)s = base %(base)s - own %(own)s - linked %(linked)s · as of %(day)s · policy %(version)s")
        % {
            "score": f"{ev.score:g}",
            "base": f"{ev.base_score:g}",
            "own": f"{ev.own_deduction:g}",
            "linked": f"{ev.linked_deduction:g}",
            "day": ev.as_of,
            "version": ev.policy_version,
        },
        markup=False,
        highlight=False,
    )
    for why in ev.overrides:
        console.print("  " + _("override: %(why)s") % {"why": why}, markup=False)
    if ev.records:
        table = Table(title=_("Dishonesty records"))
        for col in (_("record"), _("behaviour"), _("severity"), _("decided"), _("until"), _("deduction"), _("note")):
            table.add_column(col)
        for r in ev.records:
            table.add_row(
                r.violation_uid,
                f"{lang.name(r.name_zh, r.name_en)} ({r.behaviour_code})",
                r.severity,
                str(r.decided_on),
                str(r.in_force_until or ""),
                f"{r.deduction:g}",
                r.note or "",
            )
        console.print(table)
    if ev.chains:
        table = Table(title=_("Dishonesty chains (%(count)d)") % {"count": len(ev.chains)})
        for col in (_("strength"), _("hops"), _("record"), _("contribution"), _("path")):
            table.add_column(col)
        for c in ev.chains[:30]:
            code = c.chain.violation.behaviour_code
            table.add_row(
                f"{c.chain.strength:.3f}",
                str(c.chain.hops),
                f"{c.chain.violation.uid} ({behaviour_name(policy, code, lang)}, {code})",
                f"{c.contribution:g}",
                _chain_line(c.chain),
            )
        console.print(table)
    m = ev.measures
    console.print(
        _("Measures (%(level)s, %(label)s; inspection: %(frequency)s):")
        % {
            "level": m.level,
            "label": lang.name(m.label_zh, m.label_en),
            "frequency": lang.name(m.inspection_zh, m.inspection_en),
        },
        markup=False,
    )
    for measure in m.measures:
        console.print(f"  - {lang.name(measure.name_zh, measure.name_en)}", markup=False)


Verify = Annotated[
    bool, typer.Option("--verify", help="Re-grade everything without writing; list every subject whose state differs.")
]


@app.command("classify")
def classify(as_of: AsOf = None, as_json: Json = False, verify_only: Verify = False) -> None:
    """Grade every subject in the graph (outward from the records in force) and store what changed."""
    _policy()
    day = day_of(as_of, "--as-of")
    if verify_only:
        _verify(day, as_json)
        return
    with open_store() as store:
        summary = classify_all(store, day)
    if as_json:
        print(summary.model_dump_json(indent=2))
        return
    console.print(
        f"classified {summary.subjects} subjects as of {summary.as_of} (policy {summary.policy_version}) "
        f"in {summary.seconds:.1f} s: {summary.graded} graded from {summary.chains} chains and their records, "
        f"{summary.base} at the base level; {summary.written} changed state, {summary.changes} change event(s)"
    )
    table = Table()
    table.add_column("level")
    table.add_column("subjects", justify="right")
    for level, count in summary.levels.items():
        table.add_row(level, str(count))
    console.print(table)


def _verify(day: date, as_json: bool) -> None:
    """Exit status 1 when any maintained state differs from a full re-grading."""
    with open_store() as store:
        found = verify(store, day)
    if as_json:
        print(json.dumps([d.model_dump(mode="json") for d in found], ensure_ascii=False, indent=2))
    elif not found:
        console.print(f"every maintained state equals a full re-grading as of {day}")
    else:
        table = Table(title=f"{len(found)} subject(s) whose maintained state differs (as of {day})")
        for col in ("subject", "maintained", "re-graded", "factors differ"):
            table.add_column(col)
        for d in found:
            table.add_row(
                d.uid, f"{d.maintained_level} ({d.maintained_score})", f"{d.level} ({d.score:g})", str(d.factors_differ)
            )
        console.print(table)
    if found:
        raise typer.Exit(1)


def _score(score: float | None) -> str:
    return "-" if score is None else f"{score:g}"


@app.command("changes")
def changes(
    since: Annotated[int, typer.Option("--since", min=0, help="Events after this sequence number.")] = 0,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100_000)] = 100,
    as_json: Json = False,
) -> None:
    """The change feed: level changes (and new records or chains) after a sequence number."""
    with open_store() as store:
        found = changes_since(store, since, limit)
    if as_json:
        print(json.dumps([c.model_dump(mode="json") for c in found], ensure_ascii=False, indent=2))
        return
    table = Table(title=f"changes after {since}")
    for col in ("seq", "subject", "level", "score", "new records", "new chains", "cause", "at"):
        table.add_column(col)
    for c in found:
        table.add_row(
            str(c.seq),
            c.subject_uid,
            f"{c.old_level or '-'} -> {c.new_level}",
            f"{_score(c.old_score)} -> {_score(c.new_score)}",
            ", ".join(c.new_records + [f"published {u}" for u in c.publication_started]),
            ", ".join(c.new_chains + [f"unpublished {u}" for u in c.publication_ended]),
            f"{c.cause_kind} {c.cause_uid or ''}".strip(),
            c.at,
        )
    console.print(table)


@app.command("check")
def check(uid: str, as_of: AsOf = None, as_json: Json = False) -> None:
    """Level, score, factors, chains and measures of one subject."""
    _policy()
    day = day_of(as_of, "--as-of")
    with open_store() as store:
        try:
            facts = subject_facts(store, uid)
            ev = evaluate(store, uid, day)
        except SubjectNotFoundError as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(1) from exc
    if as_json:
        print(ev.model_dump_json(indent=2))
    else:
        _print_evaluation(ev, facts.name)


@app.command("chains")
def chains(uid: str, as_of: AsOf = None, as_json: Json = False) -> None:
    """The dishonesty chains of one subject, strongest first."""
    _policy()
    day = day_of(as_of, "--as-of")
    with open_store() as store:
        try:
            subject_facts(store, uid)
        except SubjectNotFoundError as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(1) from exc
        found = chains_of(store, uid, chain_params(default_policy(), day))
    if as_json:
        print(json.dumps([c.model_dump(mode="json") for c in found], ensure_ascii=False, indent=2))
        return
    if not found:
        console.print(f"no dishonesty chain within {default_policy().chains.k} hops of {uid} as of {day}")
    for c in found:
        console.print(
            f"{c.strength:.3f}  {c.hops} hop(s)  {c.violation.uid} ({c.violation.behaviour_code}, "
            f"{c.violation.decided_on})\n    {_chain_line(c)}"
        )


def _print_step(result: StepResult, as_json: bool) -> None:
    if as_json:
        print(result.model_dump_json(indent=2))
        return
    extra = f" objection {result.objection_uid}" if result.objection_uid else ""
    console.print(f"{result.action}: record {result.violation_uid}{extra} (audit {result.event_uid}, {result.on})")
    console.print(f"  {result.detail}; {result.regraded} subject(s) re-graded")
    for change in result.changed:
        console.print(f"  {change.uid}: {change.old or 'not assessed'} -> {change.new}")


@object_app.command("file")
def object_file(violation_uid: str, by: Actor, reason: Why, on: On = None, as_json: Json = False) -> None:
    """File an objection against a record (suspends its effect while pending)."""
    _policy()
    day = day_of(on, "--on")
    with open_store() as store:
        try:
            result = file_objection(
                store, ObjectionRequest(violation_uid=violation_uid, actor=by, reason=reason, on=day)
            )
        except WorkflowError as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(1) from exc
    _print_step(result, as_json)


@object_app.command("resolve")
def object_resolve(
    objection_uid: str,
    outcome: Annotated[Outcome, typer.Option("--outcome", help="upheld (record revoked) or rejected (restored).")],
    by: Actor,
    reason: Why,
    on: On = None,
    as_json: Json = False,
) -> None:
    """Resolve a pending objection."""
    _policy()
    day = day_of(on, "--on")
    with open_store() as store:
        try:
            result = resolve_objection(
                store,
                ResolveRequest(objection_uid=objection_uid, outcome=outcome, actor=by, reason=reason, on=day),
            )
        except WorkflowError as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(1) from exc
    _print_step(result, as_json)


@app.command("repair")
def repair_cmd(violation_uid: str, by: Actor, reason: Why, on: On = None, as_json: Json = False) -> None:
    """Repair a record when the policy's conditions hold; otherwise say why not (exit status 1)."""
    _policy()
    day = day_of(on, "--on")
    with open_store() as store:
        try:
            result = repair(store, RepairRequest(violation_uid=violation_uid, actor=by, reason=reason, on=day))
        except RepairRefusedError as exc:
            err.print(f"[red]repair of {exc.violation_uid} refused (audit {exc.event_uid}):[/red]")
            for why in exc.reasons:
                err.print(f"  - {why}")
            raise typer.Exit(1) from exc
        except WorkflowError as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(1) from exc
    _print_step(result, as_json)
