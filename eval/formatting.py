"""How metric values read in the Markdown and HTML reports."""

from typing import Any

HEADLINE_KEYS = (
    "n",
    "answer_accuracy",
    "answer_f1",
    "citation_verbatim_rate",
    "citation_precision",
    "citation_recall",
    "refusal_rate",
    "false_refusal_rate",
    "hit@1",
    "hit@3",
    "hit@5",
    "mrr@10",
    "latency_p50_ms",
    "latency_p95_ms",
    "degraded_rate",
    "error_rate",
)
TYPE_TABLE_KEYS = (
    "n",
    "answer_accuracy",
    "answer_f1",
    "citation_precision",
    "citation_recall",
    "refusal_rate",
    "false_refusal_rate",
    "hit@5",
    "mrr@10",
    "latency_p50_ms",
)
_SCORE_KEYS = frozenset({"answer_f1", "mrr@10"})


def format_metric(key: str, value: Any) -> str:
    """Rates as percentages, F1/MRR as 3 decimals, latency in ms, counts as integers."""
    if value is None:
        return "n/a"
    if key == "n" or key.startswith("n_"):
        return str(int(value))
    if key.endswith("_ms"):
        return f"{value:,.0f} ms"
    if key in _SCORE_KEYS:
        return f"{value:.3f}"
    return f"{100 * value:.1f}%"
