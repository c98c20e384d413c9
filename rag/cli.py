"""The `rag` command line: ingest, ls, delete, ask, search, serve, eval."""

from __future__ import annotations

import logging
import os
import sys
import warnings
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from rag.errors import NewsdeskError
from rag.settings import Settings, get_settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)


# Loggers whose INFO lines are ours to show; every other library shows only errors.
OWN_LOGGERS = ("rag", "index", "api", "eval", "bench")


class _QuietLibraries(logging.Filter):
    """Pass Newsdesk's INFO and above, and only errors from third-party libraries (some set
    their own loggers to DEBUG, so the root level alone does not hold them back)."""

    def filter(self, record: logging.LogRecord) -> bool:
        own = record.name.partition(".")[0] in OWN_LOGGERS
        return record.levelno >= (logging.INFO if own else logging.ERROR)


def _setup_logging(verbose: bool) -> None:
    """INFO and above from Newsdesk; with `--verbose`, every library's logs, warnings and
    progress bars as well."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    if verbose:
        logging.captureWarnings(True)
    else:
        _quiet_libraries()
        handler.addFilter(_QuietLibraries())
        # The root stays at WARNING: some libraries draw bars when their level is INFO
        # (sentence-transformers' "Batches"); our own loggers say what they do at INFO.
        for name in OWN_LOGGERS:
            logging.getLogger(name).setLevel(logging.INFO)
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, handlers=[handler])


def _quiet_libraries() -> None:
    """No third-party progress bars or advisory warnings: Hugging Face's bars ("Loading
    weights") and transformers' warnings are switched off through the variables they read
    when first imported, which the commands do lazily, after this."""
    warnings.simplefilter("ignore")
    for name, value in (
        ("HF_HUB_DISABLE_PROGRESS_BARS", "1"),
        ("TRANSFORMERS_VERBOSITY", "error"),
        ("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1"),
        ("TOKENIZERS_PARALLELISM", "false"),
    ):
        os.environ.setdefault(name, value)


def _on_terminal() -> bool:
    """Our own progress bars are drawn only for a person watching a terminal."""
    return sys.stderr.isatty()


def _fail(exc: Exception) -> None:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(1)


def _offline(settings: Settings) -> Settings:
    """The same settings without an LLM, for commands that never generate: no answering
    model, and no judge of its answers."""
    return settings.model_copy(update={"answer_mode": "extractive", "judge_model": "off"})


@app.command()
def ingest(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Files or folders (.txt .md .html .json .jsonl); - reads JSONL"),
    ],
    max_tokens: Annotated[
        int | None, typer.Option(min=16, max=256, help="Chunk size in word pieces")
    ] = None,
    overlap: Annotated[
        int | None, typer.Option(min=0, max=5, help="Sentences shared by consecutive chunks")
    ] = None,
    progress: Annotated[bool, typer.Option(help="Show a progress bar (on a terminal only)")] = True,
    verbose: bool = False,
) -> None:
    """Clean, deduplicate, chunk, embed and store articles; unchanged ones are skipped.

    Malformed records (no text, a bad date, bad JSON) are reported as "file:line: field: why"
    and skipped; the exit status is then 1. Records with nothing left after cleaning (all
    page furniture) are counted as empty, which is no error.
    """
    from tqdm import tqdm

    from index.loading import check_paths, iter_sources
    from rag.assembly import runtime

    _setup_logging(verbose)
    settings = _offline(get_settings())
    overrides = {"chunk_max_tokens": max_tokens, "chunk_overlap_sentences": overlap}
    settings = settings.model_copy(update={k: v for k, v in overrides.items() if v is not None})
    try:
        check_paths(paths)
        with (
            runtime(settings) as rt,
            tqdm(desc="ingest", unit="article", disable=not (progress and _on_terminal())) as bar,
        ):
            summary = rt.newsdesk.ingest(iter_sources(paths), _progress(bar, verbose))
    except NewsdeskError as exc:
        _fail(exc)
    typer.echo(summary.describe())
    if summary.skipped:
        typer.echo(f"error: {summary.skipped} malformed records skipped (listed above)", err=True)
        raise typer.Exit(1)


def _progress(bar, verbose: bool):
    """Advance the bar per article; print malformed records (and, with --verbose, empty
    ones) and near-duplicates above it as they come."""

    def report(outcome) -> None:
        bar.update(1)
        if outcome.status == "skipped":
            bar.write(outcome.message, file=sys.stderr)
        elif outcome.status == "empty" and verbose:
            bar.write(f"empty: {outcome.message}", file=sys.stderr)
        elif outcome.duplicate_of:
            bar.write(f"near-duplicate: {outcome.article_id} of {outcome.duplicate_of}")

    return report


@app.command("ls")
def list_articles(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line")] = False,
) -> None:
    """List the stored articles: id, chunks, date, source, title, near-duplicate marks."""
    import json

    from rag.assembly import open_article_store

    store = open_article_store(get_settings())
    try:
        records = store.records()
    finally:
        store.close()
    for r in records:
        a = r.article
        if as_json:
            fields = {"id": a.id, "chunks": r.chunks, **a.meta(), "author": a.author}
            fields |= {"duplicate_of": a.duplicate_of, "chars": len(a.text)}
            typer.echo(json.dumps(fields | {"content_hash": r.content_hash}, ensure_ascii=False))
            continue
        mark = f"  [duplicate of {a.duplicate_of}]" if a.duplicate_of else ""
        typer.echo(
            f"{a.id}\t{r.chunks:3d}\t{a.published_at or '-':10.10}\t{a.source or '-':16.16}\t"
            f"{(a.title or '-')[:70]}{mark}"
        )
    if not as_json:
        duplicates = sum(r.article.duplicate_of is not None for r in records)
        chunks = sum(r.chunks for r in records)
        typer.echo(f"{len(records)} articles ({duplicates} near-duplicates), {chunks} chunks")


@app.command()
def delete(
    article_ids: Annotated[list[str], typer.Argument(help="Ids of the articles to remove")],
) -> None:
    """Remove articles and their chunks (a near-duplicate of one is indexed in its place)."""
    from rag.assembly import runtime

    _setup_logging(False)
    try:
        with runtime(_offline(get_settings())) as rt:
            for article_id in article_ids:
                rt.newsdesk.delete(article_id)
                typer.echo(f"deleted {article_id}")
    except NewsdeskError as exc:
        _fail(exc)


_AS_OF = typer.Option(
    formats=["%Y-%m-%d"],
    help="The day the question is asked on: that week's stories rank higher",
)


@app.command()
def ask(
    question: str,
    top_k: Annotated[int, typer.Option(min=1, max=20)] = 5,
    as_of: Annotated[datetime | None, _AS_OF] = None,
    verbose: bool = False,
) -> None:
    """Answer a question from the stored articles, with numbered verbatim citations."""
    from rag.assembly import runtime, seed_if_empty

    _setup_logging(verbose)
    settings = get_settings()
    try:
        with runtime(settings) as rt:
            seed_if_empty(rt.newsdesk, settings)
            answer = rt.newsdesk.ask(question, top_k, as_of=as_of.date() if as_of else None)
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
    as_of: Annotated[datetime | None, _AS_OF] = None,
) -> None:
    """Show the passages retrieval finds for a query."""
    from rag.assembly import runtime

    _setup_logging(False)
    try:
        with runtime(_offline(get_settings())) as rt:
            hits = rt.newsdesk.search(query, top_k, as_of=as_of.date() if as_of else None)
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
    from api.request_log import JsonFormatter
    from api.security import ApiKeys, serving_notice

    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    settings = get_settings()
    bind = host or settings.host
    try:
        keys = ApiKeys.from_settings(settings)
        notice = serving_notice(bind, keys)
    except NewsdeskError as exc:
        _fail(exc)
    logging.getLogger("rag.serve").log(logging.INFO if keys else logging.WARNING, notice)
    uvicorn.run(
        create_app(settings),
        host=bind,
        port=port or settings.port,
        log_level="info",
        access_log=False,  # api/request_log.py writes one JSON line per request instead
        log_config=None,  # keep the JSON handler configured above
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
    fmt: Annotated[
        str, typer.Option("--format", help="gold | multihop | realtimeqa (file or folder)")
    ] = "gold",
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

            with HttpClient(url) as client:
                report = eval_command(client, gold, out, top_k, fmt, progress=_on_terminal())
        else:
            from eval.inprocess import InProcessClient
            from rag.assembly import runtime, seed_if_empty

            settings = get_settings()
            with runtime(settings) as rt:
                seed_if_empty(rt.newsdesk, settings)
                client = InProcessClient(rt.newsdesk)
                report = eval_command(client, gold, out, top_k, fmt, progress=_on_terminal())
    except (NewsdeskError, ValueError, OSError) as exc:
        _fail(exc)
    overall = report["overall"]
    for key in (
        "n",
        "answer_accuracy",
        "cited_accuracy",
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


if __name__ == "__main__":  # python -m rag.cli
    main()
