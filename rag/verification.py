"""Checks a model's answer against the evidence it cites before anyone sees it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rag.evidence import answer_type_fits, asks_for_quantity, names_the_time_asked
from rag.quotes import unsupported_numbers
from rag.terms import Vocabulary, content_terms, term_matches, tokens

_NON_ANSWERS = (
    "not mention",
    "no information",
    "not provided",
    "cannot",
    "can't",
    "unknown",
    "does not say",
    "not stated",
    "not specified",
    "i don't know",
)


_BROKEN = re.compile(r"[\[\]{}<>]")
_NUMBERS_ONLY = re.compile(r"[\d.,\s%$-]+")


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str
    cited: tuple[int, ...] = ()


def verify_answer(
    question: str,
    output: dict[str, Any],
    evidence_texts: Sequence[str],
    min_grounding: float = 0.75,
    max_chars: int | None = None,
) -> Verdict:
    """Accept the model's answer only if it is grounded in, and numerically faithful to,
    the evidence sentences it cites, and says something the question did not.

    `max_chars` is the length the answer schema allowed: an answer that fills it was cut off
    by the constrained decoder ("...whether such a meet-"), whatever its words."""
    answer = output.get("answer")
    cited = output.get("evidence")
    if not isinstance(answer, str) or not answer.strip():
        return Verdict(False, "empty answer")
    if not isinstance(cited, list) or not cited:
        return Verdict(False, "no evidence cited")
    if not all(isinstance(i, int) and 1 <= i <= len(evidence_texts) for i in cited):
        return Verdict(False, "cited evidence out of range")
    lowered = answer.lower()
    if any(marker in lowered for marker in _NON_ANSWERS):
        return Verdict(False, "model declined")
    indices = tuple(dict.fromkeys(cited))
    cited_text = " ".join(evidence_texts[i - 1] for i in indices)
    if unsupported_numbers(answer, cited_text):
        return Verdict(False, "number not in cited evidence", indices)
    terms = content_terms(answer)
    vocabulary = set(tokens(cited_text))
    # Words must be copied from the evidence: exact tokens (a plural "s" aside), no fuzzy match,
    # so a model cannot pass "Zelenskaya" off as "Zelensky".
    grounded = [t for t in terms if _copied(t, vocabulary)]
    if not terms or len(grounded) / len(terms) < min_grounding:
        return Verdict(False, "answer not grounded in cited evidence", indices)
    question_terms = Vocabulary(tokens(question))
    if all(term_matches(t, question_terms) for t in grounded):
        return Verdict(False, "answer only repeats the question", indices)
    if not answer_type_fits(question, answer):
        return Verdict(False, "answer is not the kind the question asks for", indices)
    if not names_the_time_asked(question, answer):
        return Verdict(
            False, "answer lacks the month or year (or weekday) the question asks for", indices
        )
    if _BROKEN.search(answer) or (max_chars is not None and len(answer) >= max_chars):
        return Verdict(False, "answer is cut off or carries markup", indices)
    if _NUMBERS_ONLY.fullmatch(answer.strip()) and not asks_for_quantity(question):
        return Verdict(False, "a bare number answers a question that asks for no number", indices)
    return Verdict(True, "ok", indices)


def _copied(term: str, vocabulary: set[str]) -> bool:
    return term in vocabulary or term.rstrip("s") in vocabulary or f"{term}s" in vocabulary
