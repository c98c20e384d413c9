"""The `rag` command line: ingest, ask, search, serve, eval."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from rag.errors import NewsdeskError
from rag.settings import Settings, get_settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def _fail(exc: Exception) -> None:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(1)


def _offline(settings: Settings) -> Settings:
    """The same settings without an LLM, for commands that never generate."""
    return settings.model_copy(update={"answer_mode": "extractive"})


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of articles")],
    verbose: bool = False,
) -> None:
    """Clean, chunk, embed and store articles (id = file name without extension)."""
    from tqdm import tqdm

    from index.loading import iter_article_files, load_article
    from rag.assembly import runtime

    _setup_logging(verbose)
    try:
        files = list(iter_article_files(paths))
        with runtime(_offline(get_settings())) as rt:
            articles = (load_article(p) for p in tqdm(files, desc="ingest", unit="article"))
            summary = rt.newsdesk.ingest(articles)
    except NewsdeskError as exc:
        _fail(exc)
    typer.echo(
        f"{summary.articles} articles, {summary.chunks} chunks in {summary.seconds:.1f}s "
        f"({summary.chunks_per_second:.1f} chunks/s)"
    )


@app.command()
def ask(
    question: str,
    top_k: Annotated[int, typer.Option(min=1, max=20)] = 5,
    verbose: bool = False,
) -> None:
    """Answer a question from the stored articles, with numbered verbatim citations."""
    from rag.assembly import runtime, seed_if_empty

    _setup_logging(verbose)
    settings = get_settings()
    try:
        with runtime(settings) as rt:
            seed_if_empty(rt.newsdesk, settings)
            answer = rt.newsdesk.ask(question, top_k)
    except NewsdeskError as exc:
        _fail(exc)
    typer.echo(answer.answer)
    if answer.degraded:
        typer.echo("(extractive answer: the model's answer did not pass verification)")
    for c in answer.citations:
        title = c.article.title or c.article.id
        typer.echo(f'\n[{c.n}] {title} ({c.article.id}, chars {c.start}-{c.end})\n    "{c.quote}"')


@app.command()
def search(
    query: str,
    top_k: Annotated[int, typer.Option(min=1, max=50)] = 10,
) -> None:
    """Show the passages retrieval finds for a query."""
    from rag.assembly import runtime

    _setup_logging(False)
    try:
        with runtime(_offline(get_settings())) as rt:
            hits = rt.newsdesk.search(query, top_k)
    except NewsdeskError as exc:
        _fail(exc)
    for rank, hit in enumerate(hits, start=1):
        text = hit.chunk.text.replace("\n", " ")
        typer.echo(f"{rank:2d}. {hit.score:.4f} {hit.chunk.id}  {text[:160]}")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default RAG_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default RAG_PORT)")] = None,
) -> None:
    """Start the HTTP API (ingests the seed folder first when the store is empty)."""
    import uvicorn

    from api.app import create_app

    _setup_logging(True)
    settings = get_settings()
    uvicorn.run(
        create_app(settings),
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
    )


def main() -> None:  # pragma: no cover - console entry point helper
    sys.exit(app())


@app.command("eval")
def evaluate(
    gold: Annotated[
        Path | None, typer.Option(help="Gold questions (JSONL, or MultiHop-RAG JSON)")
    ] = None,
    url: Annotated[str | None, typer.Option(help="Evaluate a running server instead")] = None,
    out: Annotated[Path, typer.Option(help="Folder for results and reports")] = Path("eval/out"),
    top_k: Annotated[int, typer.Option(min=1, max=20)] = 5,
    fmt: Annotated[str, typer.Option("--format", help="gold | multihop")] = "gold",
    compare: Annotated[
        tuple[Path, Path] | None,
        typer.Option(help="BASE NEW: compare two report.json files and exit 1 on a regression"),
    ] = None,
    tolerance: float = 0.02,
    thresholds: Annotated[Path | None, typer.Option(help="Also check a thresholds TOML")] = None,
) -> None:
    """Run a gold set and write results.jsonl, report.json, report.md and report.html."""
    from eval.commands import compare_command, eval_command, thresholds_command

    if compare:
        raise typer.Exit(compare_command(compare[0], compare[1], tolerance))
    if gold is None:
        _fail(ValueError("--gold is required unless --compare is given"))
    _setup_logging(False)
    try:
        if url:
            from eval.clients import HttpClient

            report = eval_command(HttpClient(url), gold, out, top_k, fmt)
        else:
            from eval.inprocess import InProcessClient
            from rag.assembly import runtime, seed_if_empty

            settings = get_settings()
            with runtime(settings) as rt:
                seed_if_empty(rt.newsdesk, settings)
                report = eval_command(InProcessClient(rt.newsdesk), gold, out, top_k, fmt)
    except (NewsdeskError, ValueError, OSError) as exc:
        _fail(exc)
    overall = report["overall"]
    for key in (
        "n",
        "answer_accuracy",
        "citation_verbatim_rate",
        "citation_precision",
        "citation_recall",
        "refusal_rate",
        "false_refusal_rate",
        "hit@1",
        "hit@5",
        "latency_p50_ms",
        "degraded_rate",
    ):
        value = overall.get(key)
        shown = "n/a" if value is None else (f"{value:.3f}" if isinstance(value, float) else value)
        typer.echo(f"{key:>24}: {shown}")
    typer.echo(f"reports written to {out}/")
    if thresholds:
        raise typer.Exit(thresholds_command(out / "report.json", thresholds))
