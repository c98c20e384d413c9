"""Turn what the system returned for one gold question into a JSON-shaped result with verdicts.

Unanswerable questions: a refusal (``answered`` false) is correct with F1 1.0, an answer is
wrong with F1 0.0. Answerable questions: a refusal is wrong with F1 0.0, whatever its text.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from eval.gold import GoldQuestion
from eval.metrics import (
    answer_correct,
    citation_precision,
    citation_verbatim,
    cites_gold,
    hit_rank,
    token_f1,
)

RETRIEVAL_DEPTH = 10


@dataclass(frozen=True)
class Observation:
    """What the client gave back for one question, plus the wall-clock latency of ``ask``."""

    response: Mapping[str, Any] | None
    latency_ms: float | None
    retrieved: Sequence[Mapping[str, Any]] | None = None
    retrieval_source: str | None = None
    article_texts: Mapping[str, str | None] = field(default_factory=dict)
    error: str | None = None
    search_error: str | None = None


def _answer_verdicts(gold: GoldQuestion, answer: str, answered: bool) -> tuple[bool, float]:
    if not gold.answerable:
        return (not answered), float(not answered)
    if not answered:
        return False, 0.0
    return answer_correct(answer, gold.answers), token_f1(answer, gold.answers)


def score_question(gold: GoldQuestion, seen: Observation) -> dict[str, Any]:
    """Score one question; the dict is what ``results.jsonl`` holds and ``aggregate`` reads."""
    response = seen.response or {}
    answer = str(response.get("answer") or "")
    answered = bool(response.get("answered", bool(answer.strip()))) and seen.error is None
    citations = [
        {
            **c,
            "verbatim": citation_verbatim(c, seen.article_texts.get(str(c.get("article_id")))),
            "gold": c.get("article_id") in gold.articles,
        }
        for c in response.get("citations") or []
    ]
    correct, f1 = _answer_verdicts(gold, answer, answered)
    if seen.error is not None:
        correct, f1 = False, 0.0
    cites_eligible = seen.error is None and gold.answerable and bool(gold.articles)
    chunks = list(seen.retrieved or [])[:RETRIEVAL_DEPTH]
    retrieval_evaluated = gold.answerable and bool(gold.articles) and seen.retrieved is not None
    return {
        "id": gold.id,
        "question": gold.question,
        **({"history": gold.messages(), "query": response.get("query")} if gold.history else {}),
        "type": gold.type,
        "expected": list(gold.answers),
        "answerable": gold.answerable,
        "gold_articles": list(gold.articles),
        "answer": answer,
        "answered": answered,
        "model": response.get("model"),
        "degraded": bool(response.get("degraded", False)),
        "error": seen.error,
        "search_error": seen.search_error,
        "latency_ms": seen.latency_ms,
        "timings_ms": response.get("timings_ms"),
        "citations": citations,
        "retrieval_source": seen.retrieval_source if seen.retrieved is not None else None,
        "retrieved_chunk_ids": [c.get("chunk_id") for c in chunks],
        "retrieved_article_ids": [c.get("article_id") for c in chunks],
        "correct": correct,
        "f1": f1,
        "refused": None if seen.error is not None else not answered,
        "retrieval_evaluated": retrieval_evaluated,
        "hit_rank": hit_rank(chunks, gold, seen.article_texts) if retrieval_evaluated else None,
        "n_citations": len(citations),
        "n_gold_citations": sum(1 for c in citations if c["gold"]),
        "citation_precision": (
            citation_precision(citations, gold.articles) if cites_eligible else None
        ),
        "citation_recall": cites_gold(citations, gold.articles) if cites_eligible else None,
    }
