"""Summaries of per-question results into report metrics; null where nothing was eligible.

Eligibility, per metric (``error`` results are those whose ``ask`` call failed):
- answer_accuracy, answer_f1: every question; an unanswerable one is correct when refused.
- cited_accuracy: answerable questions answered right with a citation to a gold article.
- citation_verbatim_rate: every citation whose article text could be fetched.
- citation_precision: gold-article citations / all citations, over answerable questions with
  gold articles and at least one citation (micro-averaged).
- citation_recall: answerable questions with gold articles that cite one of them.
- refusal_rate / false_refusal_rate: unanswerable / answerable questions without errors.
- hit@k, mrr@10: answerable questions with gold articles and a retrieved list.
- latency_*, degraded_rate: questions without errors.
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

Result = Mapping[str, Any]

RETRIEVAL_KS = (1, 3, 5)
MRR_K = 10


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (numpy's default), ``q`` in 0..100; None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _mean(values: Iterable[float | bool]) -> float | None:
    items = [float(v) for v in values]
    return sum(items) / len(items) if items else None


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def hit_at_k(ranks: Sequence[int | None], k: int) -> float | None:
    """Fraction of questions whose first hit is within rank ``k``; None for no questions."""
    return _mean(r is not None and r <= k for r in ranks)


def mrr_at_k(ranks: Sequence[int | None], k: int = MRR_K) -> float | None:
    """Mean reciprocal rank of the first hit, counting ranks beyond ``k`` as 0."""
    return _mean(1 / r if r is not None and r <= k else 0.0 for r in ranks)


def aggregate(results: Sequence[Result]) -> dict[str, Any]:
    """Report metrics over per-question results; rates are fractions in 0..1, latency in ms."""
    ok = [r for r in results if not r.get("error")]
    answerable = [r for r in ok if r["answerable"]]
    unanswerable = [r for r in ok if not r["answerable"]]
    verdicts = [c.get("verbatim") for r in results for c in r.get("citations", [])]
    checked = [v for v in verdicts if v is not None]
    precision_pool = [r for r in results if r.get("citation_precision") is not None]
    ranks = [r.get("hit_rank") for r in results if r.get("retrieval_evaluated")]
    latencies = [float(r["latency_ms"]) for r in ok if r.get("latency_ms") is not None]
    report: dict[str, Any] = {
        "n": len(results),
        "n_answerable": sum(1 for r in results if r["answerable"]),
        "n_unanswerable": sum(1 for r in results if not r["answerable"]),
        "answer_accuracy": _mean(r["correct"] for r in results),
        "answer_f1": _mean(r["f1"] for r in results),
        # Answerable questions answered right with a citation to an article holding the answer.
        "cited_accuracy": _mean(
            bool(r["correct"] and r.get("n_gold_citations")) for r in results if r["answerable"]
        ),
        "citation_verbatim_rate": _mean(checked),
        "citation_precision": _ratio(
            sum(r["n_gold_citations"] for r in precision_pool),
            sum(r["n_citations"] for r in precision_pool),
        ),
        "citation_recall": _mean(
            r["citation_recall"] for r in results if r.get("citation_recall") is not None
        ),
        "refusal_rate": _mean(r["refused"] for r in unanswerable),
        "false_refusal_rate": _mean(r["refused"] for r in answerable),
    }
    for k in RETRIEVAL_KS:
        report[f"hit@{k}"] = hit_at_k(ranks, k)
    report[f"mrr@{MRR_K}"] = mrr_at_k(ranks, MRR_K)
    report["latency_p50_ms"] = percentile(latencies, 50)
    report["latency_p95_ms"] = percentile(latencies, 95)
    report["degraded_rate"] = _mean(bool(r.get("degraded")) for r in ok)
    report["error_rate"] = _mean(bool(r.get("error")) for r in results)
    return report


def aggregate_by_type(results: Sequence[Result]) -> dict[str, dict[str, Any]]:
    """``aggregate`` per question type, types sorted by name."""
    types = sorted({str(r["type"]) for r in results})
    return {t: aggregate([r for r in results if r["type"] == t]) for t in types}
