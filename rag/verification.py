"""Checks a model's answer against the evidence before anyone sees it.

The system, not the model, decides what an answer rests on (`rag.grounding`): the cited
sentences are those that hold the answer's numbers, names and words, whatever sentence the
model had in mind. An answer that cannot be grounded that way is rejected."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rag.evidence import answer_type_fits, asks_for_quantity, names_the_time_asked
from rag.grounding import ground_answer
from rag.terms import Vocabulary, content_terms, term_matches, tokens

NOT_FOUND = "NOT_FOUND"

_NON_ANSWERS = (
    "not_found",
    "not found",
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
    cited: tuple[int, ...] = ()  # 1-based evidence numbers the answer rests on
    declined: bool = False  # the model said the evidence does not answer


def verify_answer(
    question: str,
    output: dict[str, Any],
    evidence_texts: Sequence[str],
    min_grounding: float = 0.75,
    max_chars: int | None = None,
    shape_checks: bool = True,
) -> Verdict:
    """Accept the model's answer only if it is grounded in the evidence (its numbers and names
    all stand in the sentences cited for it, and most of its words), says something the
    question did not, is not cut off, and (with `shape_checks`) is of the kind asked.

    `max_chars` is the length the answer schema allowed: an answer that fills it was cut off
    by the constrained decoder ("...whether such a meet-"), whatever its words.

    `shape_checks` adds the rules on the answer's shape read from the question's wording (the
    kind of answer asked for, the month or year asked for, no bare number for a question that
    asks none): for a model that cannot judge. A judging model's answer is checked without
    them: measured with Qwen2.5-1.5B (one answer per question, each check applied alone) on
    seeds, seeds_blind, seeds_blind2, general_blind, its unanswerable set and RealTime QA
    (every 4th question and the 10 unanswerable), they declined no unanswerable question and
    rejected 7 right answers (seeds 53 -> 57 of 79, general_blind 34 -> 37 of 60; "one day"
    for "within what time span", "2025-02-05" for "the date line")."""
    answer = output.get("answer")
    if not isinstance(answer, str) or not answer.strip():
        return Verdict(False, "empty answer")
    lowered = answer.lower()
    if any(marker in lowered for marker in _NON_ANSWERS):
        return Verdict(False, "model declined", declined=True)
    grounding = ground_answer(answer, evidence_texts, min_share=min_grounding)
    cited = tuple(i + 1 for i in grounding.cited)
    if not grounding.ok:
        return Verdict(False, f"not in the evidence: {', '.join(grounding.missing)}", cited)
    question_terms = Vocabulary(tokens(question))
    if all(term_matches(t, question_terms) for t in content_terms(answer)):
        return Verdict(False, "answer only repeats the question", cited)
    if _BROKEN.search(answer) or (max_chars is not None and len(answer) >= max_chars):
        return Verdict(False, "answer is cut off or carries markup", cited)
    if not shape_checks:
        return Verdict(True, "ok", cited)
    if not answer_type_fits(question, answer):
        return Verdict(False, "answer is not the kind the question asks for", cited)
    if not names_the_time_asked(question, answer):
        return Verdict(
            False, "answer lacks the month or year (or weekday) the question asks for", cited
        )
    if _NUMBERS_ONLY.fullmatch(answer.strip()) and not asks_for_quantity(question):
        return Verdict(False, "a bare number answers a question that asks for no number", cited)
    return Verdict(True, "ok", cited)
