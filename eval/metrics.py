"""Per-question verdicts: answer correctness, retrieval hits, citation checks (pure functions)."""

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from eval.aggregate import aggregate, hit_at_k, mrr_at_k
from eval.gold import GoldQuestion
from eval.normalize import normalize_answer

__all__ = [
    "aggregate",
    "answer_correct",
    "citation_precision",
    "citation_verbatim",
    "cites_gold",
    "contains_normalized",
    "hit_at_k",
    "hit_rank",
    "is_hit",
    "locate_quote",
    "mrr_at_k",
    "normalize_answer",
    "token_f1",
]

# Too common in any text to show that a chunk supports the answer (MultiHop-RAG has many).
_UNINFORMATIVE_ANSWERS = frozenset({"yes", "no", "true", "false"})


_PLURAL_SUFFIXES = ("s", "es")
_MIN_PLURAL_STEM = 4


def _same_token(a: str, b: str) -> bool:
    """Equal tokens, or a word and its plain plural ("drone"/"drones"), stems of 4+ letters."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return (
        len(short) >= _MIN_PLURAL_STEM
        and long.isalpha()
        and any(long == short + suffix for suffix in _PLURAL_SUFFIXES)
    )


def contains_normalized(haystack: str, needle: str) -> bool:
    """Whether normalized ``needle`` occurs as whole tokens in normalized ``haystack``.

    Tokens compare equal up to a plain plural, so "drones" supports the answer "drone".
    """
    want, have = needle.split(), haystack.split()
    if not want:
        return False
    return any(
        all(_same_token(w, h) for w, h in zip(want, have[i : i + len(want)], strict=True))
        for i in range(len(have) - len(want) + 1)
    )


def answer_correct(answer: str, accepted: Iterable[str]) -> bool:
    """True when some accepted answer, normalized, occurs as whole tokens in the answer."""
    normalized = normalize_answer(answer)
    return any(contains_normalized(normalized, normalize_answer(a)) for a in accepted)


def _f1(prediction: list[str], truth: list[str]) -> float:
    if not prediction or not truth:
        return float(prediction == truth)
    common = sum((Counter(prediction) & Counter(truth)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(prediction), common / len(truth)
    return 2 * precision * recall / (precision + recall)


def token_f1(answer: str, accepted: Iterable[str]) -> float:
    """SQuAD-style token F1 on normalized tokens, the best over accepted answers (0 if none)."""
    prediction = normalize_answer(answer).split()
    return max((_f1(prediction, normalize_answer(a).split()) for a in accepted), default=0.0)


def locate_quote(text: str, quote: str) -> tuple[int, int] | None:
    """Span ``[start, end)`` of ``quote`` in ``text``: exact, else whitespace- and case-loose."""
    quote = quote.strip()
    if not quote:
        return None
    start = text.find(quote)
    if start >= 0:
        return start, start + len(quote)
    pattern = r"\s+".join(re.escape(part) for part in quote.split())
    match = re.search(pattern, text, flags=re.IGNORECASE)
    return (match.start(), match.end()) if match else None


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _chunk_span(chunk: Mapping[str, Any]) -> tuple[int, int] | None:
    start, end = chunk.get("start"), chunk.get("end")
    if isinstance(start, int) and isinstance(end, int):
        return start, end
    return None


def is_hit(chunk: Mapping[str, Any], gold: GoldQuestion, article_text: str | None = None) -> bool:
    """A chunk of a gold article holding an accepted answer or a gold quote.

    A quote counts when its normalized text is inside the chunk, or when the quote's span in the
    article text (if given) overlaps the chunk's ``[start, end)`` by at least half its length.
    Yes/no answers are ignored here: they would match almost any chunk.
    """
    if chunk.get("article_id") not in gold.articles:
        return False
    text = normalize_answer(str(chunk.get("text") or ""))
    answers = (normalize_answer(a) for a in gold.answers)
    if any(contains_normalized(text, a) for a in answers if a not in _UNINFORMATIVE_ANSWERS):
        return True
    if any(contains_normalized(text, normalize_answer(q)) for q in gold.quotes):
        return True
    span = _chunk_span(chunk)
    if article_text is None or span is None:
        return False
    for quote in gold.quotes:
        found = locate_quote(article_text, quote)
        if found and 2 * _overlap(found, span) >= found[1] - found[0]:
            return True
    return False


def hit_rank(
    chunks: Sequence[Mapping[str, Any]],
    gold: GoldQuestion,
    article_texts: Mapping[str, str | None] | None = None,
    k: int = 10,
) -> int | None:
    """1-based rank of the first hit among the top ``k`` chunks, or None when there is none."""
    texts = article_texts or {}
    for rank, chunk in enumerate(chunks[:k], start=1):
        if is_hit(chunk, gold, texts.get(str(chunk.get("article_id")))):
            return rank
    return None


def citation_verbatim(citation: Mapping[str, Any], article_text: str | None) -> bool | None:
    """Whether ``quote == article_text[start:end]``; None when the article text is unknown."""
    if article_text is None:
        return None
    start, end, quote = citation.get("start"), citation.get("end"), citation.get("quote")
    if not (isinstance(start, int) and isinstance(end, int) and isinstance(quote, str)):
        return False
    if not 0 <= start <= end <= len(article_text):
        return False
    return bool(quote) and article_text[start:end] == quote


def cites_gold(citations: Iterable[Mapping[str, Any]], gold_articles: Iterable[str]) -> bool:
    """Whether at least one citation points at a gold article."""
    gold = set(gold_articles)
    return any(c.get("article_id") in gold for c in citations)


def citation_precision(
    citations: Sequence[Mapping[str, Any]], gold_articles: Iterable[str]
) -> float | None:
    """Share of citations that point at gold articles; None when there are no citations."""
    if not citations:
        return None
    gold = set(gold_articles)
    return sum(1 for c in citations if c.get("article_id") in gold) / len(citations)
