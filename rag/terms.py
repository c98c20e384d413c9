"""Word-level text features: tokens, content terms and fuzzy term matching."""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

_WORD = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[^\W\d_]+(?:['\u2019][^\W\d_]+)*", re.UNICODE)

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "according",
        "said",
        "say",
        "says",
        "tell",
        "told",
        "according",
        "many",
        "much",
        "per",
        "did",
        "does",
        "s",
        "t",
        "don",
        "according",
        "whose",
        "let",
        "us",
    ]
)


# Words that frame a question rather than name what it is about.
QUESTION_FRAMING = frozenset(
    [
        "besides",
        "figure",
        "figures",
        "name",
        "named",
        "article",
        "articles",
        "report",
        "reports",
        "reported",
        "type",
        "kind",
        "gave",
        "give",
        "hold",
        "held",
        "mention",
        "mentioned",
        "explicitly",
        "cite",
        "cited",
        "cites",
        "remarks",
        "claims",
        "claim",
        "instead",
        "compare",
        "compared",
        "comparison",
        "roughly",
        "two",
        "both",
        "appears",
        "appear",
        "describe",
        "described",
        "call",
        "called",
        "word",
        "words",
    ]
)


def tokens(text: str) -> list[str]:
    """Lower-cased word and number tokens; thousands separators removed from numbers."""
    out = []
    for tok in _WORD.findall(text.lower().replace("\u2019", "'")):
        if tok[0].isdigit():
            tok = tok.replace(",", "")
        elif tok.endswith("'s"):
            tok = tok[:-2]
        out.append(tok)
    return out


def content_terms(text: str) -> list[str]:
    """Tokens that carry meaning: not stopwords, not one letter."""
    return [t for t in tokens(text) if t not in STOPWORDS and len(t) > 1]


def topic_terms(question: str) -> list[str]:
    """Content terms of a question without the words that only frame it."""
    return [t for t in content_terms(question) if t not in QUESTION_FRAMING]


def unknown_terms(question: str, vocabulary: set[str]) -> list[str]:
    """Topic terms of the question that no stored text contains, even fuzzily."""
    return [t for t in dict.fromkeys(topic_terms(question)) if not term_matches(t, vocabulary)]


def term_matches(term: str, vocabulary: set[str]) -> bool:
    """Exact, shared-stem or near-spelling match (Zelenskyy ~ Zelensky, Volodymir ~ Volodymyr)."""
    return term in vocabulary or any(_similar(term, word) for word in vocabulary)


@lru_cache(maxsize=200_000)
def _similar(term: str, word: str) -> bool:
    if term == word:
        return True
    if term[0].isdigit() or word[0].isdigit() or abs(len(word) - len(term)) > 3:
        return False
    stem = min(len(word), len(term), 6)
    if stem >= 4 and word[:stem] == term[:stem]:
        return True
    return len(term) >= 5 and fuzz.ratio(term, word) >= 80


def coverage(terms: set[str], text_tokens: set[str]) -> float:
    """Share of `terms` matched (exactly or fuzzily) by some token of the text."""
    if not terms:
        return 0.0
    return sum(term_matches(t, text_tokens) for t in terms) / len(terms)
