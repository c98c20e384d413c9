"""Run a gold set through a QAClient and build the report (the only I/O is the client's)."""

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from tqdm import tqdm

from eval.aggregate import aggregate, aggregate_by_type
from eval.clients import QAClient
from eval.gold import GoldQuestion
from eval.scoring import RETRIEVAL_DEPTH, Observation, score_question


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"


def _article_texts(client: QAClient, article_ids: Iterable[str]) -> dict[str, str | None]:
    texts: dict[str, str | None] = {}
    for article_id in dict.fromkeys(article_ids):
        try:
            texts[article_id] = client.article_text(article_id)
        except Exception:  # a missing text only leaves verdicts unknown (None)
            texts[article_id] = None
    return texts


Clock = Callable[[], float]


def observe(
    client: QAClient, gold: GoldQuestion, top_k: int, clock: Clock = time.perf_counter
) -> Observation:
    """Ask (timed with ``clock``, in seconds), search or fall back to ``retrieved``, fetch texts."""
    response, error = None, None
    # Only a question that knows its day passes one, so clients without `as_of` still work.
    dated = {"as_of": gold.as_of} if gold.as_of else {}
    started = clock()
    try:
        if gold.history:
            response = client.ask(gold.question, top_k, gold.messages(), **dated)
        else:
            response = client.ask(gold.question, top_k, **dated)
    except Exception as exc:  # one failing question must not end a long run
        error = _describe(exc)
    latency_ms = (clock() - started) * 1000
    retrieved, source, search_error = None, None, None
    # A follow-up is searched as the service rewrote it ("query"): its own words lean on
    # the conversation ("And Ukraine's?").
    query = gold.question
    if gold.history and response and isinstance(response.get("query"), str):
        query = response["query"]
    try:
        retrieved = client.search(query, max(top_k, RETRIEVAL_DEPTH), **dated)
        source = "search" if retrieved is not None else None
    except Exception as exc:
        search_error = _describe(exc)
    if retrieved is None and response and isinstance(response.get("retrieved"), list):
        retrieved, source = response["retrieved"], "ask"
    cited = [str(c.get("article_id")) for c in (response or {}).get("citations") or []]
    wanted = cited + (list(gold.articles) if gold.quotes else [])
    return Observation(
        response=response,
        latency_ms=latency_ms,
        retrieved=retrieved,
        retrieval_source=source,
        article_texts=_article_texts(client, wanted),
        error=error,
        search_error=search_error,
    )


def build_report(results: Sequence[dict[str, Any]], meta: dict[str, Any]) -> dict[str, Any]:
    """Combine overall and per-type aggregates with run metadata."""
    return {"overall": aggregate(results), "by_type": aggregate_by_type(results), "meta": meta}


def run_eval(
    client: QAClient,
    questions: Sequence[GoldQuestion],
    top_k: int = 5,
    progress: bool = True,
    gold_file: str | None = None,
    clock: Clock = time.perf_counter,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Ask every question, score it, and return ``(results, report)``."""
    results = [
        score_question(q, observe(client, q, top_k, clock))
        for q in tqdm(questions, desc="eval", unit="q", disable=not progress)
    ]
    models = sorted({str(r["model"]) for r in results if r.get("model")})
    meta = {
        "gold_file": gold_file,
        "n": len(results),
        "top_k": top_k,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "model": ", ".join(models) or None,
        "url": getattr(client, "base_url", None) or "in-process",
        "retrieval_sources": dict(Counter(str(r["retrieval_source"]) for r in results)),
    }
    waits = getattr(client, "waits", None)
    if callable(waits) and waits() is not None:
        meta["http_waits"] = waits()  # 429/503 the server asked us to wait on, and for how long
    return results, build_report(results, meta)
