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
        typer.echo(f"\n[{c.n}] {title} ({c.article.id}, chars {c.start}-{c.end})\n    \"{c.quote}\"")


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
