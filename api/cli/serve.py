"""The `serve`, `viz` and `demo` commands of `ipcredit`."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from api import service
from api import viz as pages
from api.app import create_app, open_api_store
from api.auth import Caller, Role
from api.cli.base import app, console, err, open_store
from api.demo import DemoError, check_port, load_samples, load_synthetic, pick_tips, supervise, watch_a_load
from api.domain import shown
from api.errors import ApiError
from api.i18n import Lang, cli_locale
from api.schemas import Network
from credit.classify import classify_all
from credit.evaluate import evaluate, today
from credit.register import run as publication_run
from graph import local
from graph.settings import get_settings
from graph.store import Store
from queries.schema import init_schema
from synth.generator import ANCHOR

PortOption = Annotated[int, typer.Option(help="HTTP port on 127.0.0.1.")]


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="HTTP port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
) -> None:
    """Serve the HTTP API (OpenAPI at /docs) and the visual pages."""
    open_store().close()  # fail early and clearly when there is no database
    if workers > 1:
        uvicorn.run("api.app:create_app", factory=True, host=host, port=port, workers=workers, log_level="warning")
    else:
        uvicorn.run(create_app(), host=host, port=port, log_level="warning")


@app.command("viz")
def viz(
    uid: Annotated[str, typer.Argument(help="The subject's uid.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="The HTML file to write.")],
    depth: Annotated[int, typer.Option(min=1, max=4, help="Hops around the subject.")] = 2,
    public: Annotated[bool, typer.Option("--public", help="Mask personal identifiers as for the public role.")] = False,
    link_base: Annotated[
        str | None, typer.Option(help="URL of a running `ipcredit serve`, so clicks open subject pages there.")
    ] = None,
) -> None:
    """Write a subject's network page as one self-contained HTML file (works offline)."""
    viewer = Caller(role=Role.PUBLIC if public else Role.ADMIN, actor="cli")
    with open_store() as store:
        try:
            detail = service.subject(store, uid)
            network = Network.model_validate(shown(store, viewer, service.network(store, [uid], depth)))
        except ApiError as exc:
            err.print(f"[red]{exc.message}[/red]")
            raise typer.Exit(1) from exc
        evaluation = evaluate(store, uid)
        name = shown(store, viewer, detail)["name"] or uid
    highlights = pages.chain_highlights(c.chain.model_dump(mode="json") for c in evaluation.chains)
    lang = Lang(cli_locale())  # the file is read by the person who asked for it: the CLI's language
    _ = lang.gettext
    html = pages.network_page(
        network,
        title=str(name),
        subtitle=_("%(kind)s · level %(level)s · network to depth %(depth)d")
        % {"kind": _(detail.kind), "level": evaluation.level.value, "depth": depth},
        inline=True,
        lang=lang,
        link_base=link_base.rstrip("/") if link_base else None,
        chain_nodes=highlights[0],
        chain_edges=highlights[1],
        facts={"uid": uid, _("level"): evaluation.level.value, _("score"): round(evaluation.score, 1)},
    )
    out.write_text(html, encoding="utf-8")
    console.print(f"wrote {out} ({len(network.nodes)} nodes, {len(network.edges)} edges, {len(html) // 1024} KiB)")


@app.command("demo")
def demo(
    port: PortOption = 8000,
    subjects: Annotated[int, typer.Option(min=50, help="Size of the synthetic set with planted rings.")] = 3000,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic set.")] = 7,
    serve_it: Annotated[bool, typer.Option("--serve/--no-serve", help="Serve after loading (default).")] = True,
) -> None:
    """Start the local Neo4j, load the real samples and a synthetic set with rings, classify, serve."""
    if serve_it:
        try:
            check_port(port)
        except DemoError as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(2) from exc
    os.environ.setdefault("IPCREDIT_AS_OF", ANCHOR.isoformat())  # the served app evaluates as of it too
    get_settings.cache_clear()
    settings = get_settings()
    console.print(
        f"credit is evaluated as of {settings.as_of} (IPCREDIT_AS_OF), the day the synthetic dates are anchored to"
    )
    started = time.monotonic()
    if not settings.neo4j_uri:
        instance = local.LocalNeo4j(settings.local_data_dir, settings=settings)
        console.print(f"starting the local Neo4j in {instance.data_dir} …")
        try:
            uri = instance.start()
        except local.LocalNeo4jError as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(1) from exc
        settings = settings.model_copy(update={"neo4j_uri": uri})
    console.print(f"Neo4j at {settings.neo4j_uri}")
    work = Path(".ipcredit/demo")
    work.mkdir(parents=True, exist_ok=True)
    with Store.connect(settings) as store:
        init_schema(store)
        console.print("loading the real samples (../shared/data):")
        try:
            load_samples(store, settings, work, console)
        except DemoError as exc:
            err.print(f"[yellow]{exc}; going on with the synthetic set only[/yellow]")
        truth = load_synthetic(store, settings, work, subjects, seed, console)
        summary = classify_all(store)
        console.print(f"classified: {summary.model_dump_json()}")
        published = publication_run(store, today())
        console.print(f"publication: {published.started} records published, {published.ended} ended")
        watch_a_load(store, truth, work, console)
        tips = pick_tips(store, truth) + supervise(store, console)
    base = f"http://127.0.0.1:{port}"
    _ = Lang(cli_locale()).gettext
    console.print(f"\nready in {time.monotonic() - started:.0f}s. Open first:")
    for tip in tips:
        console.print(f"  {tip.said(_)}:\n    {base}{tip.href}")
    search = _("search page")
    console.print(f"  {search}: {base}/\n")
    if not serve_it:
        return
    app = create_app(settings, store=open_api_store(settings))
    app.state.tips = tips
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
