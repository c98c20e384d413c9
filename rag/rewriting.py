"""Follow-up questions made standalone before retrieval ("and Ukraine's?" -> a full question)."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rag.errors import UpstreamError
from rag.protocols import ChatModel
from rag.terms import Vocabulary, named_terms, term_matches, tokens, topic_terms

log = logging.getLogger(__name__)

_ELLIPTICAL = re.compile(r"^\s*(and|but|also|what about|how about|what of|same for)\b", re.I)
_PRONOUN = re.compile(
    r"\b(he|she|they|it|his|her|their|its|him|them|this|that|these|those)\b", re.I
)


def needs_context(question: str) -> bool:
    """A question that leans on the conversation: elliptical, very short, or pronoun-led."""
    return bool(
        _ELLIPTICAL.search(question)
        or len(topic_terms(question)) <= 2
        or (_PRONOUN.search(question) and len(topic_terms(question)) <= 4)
    )


def _previous_question(history: Sequence[dict[str, str]]) -> str | None:
    previous = [t["content"] for t in history if t.get("role") == "user"]
    return previous[-1] if previous else None


def names_added(question: str, history: Sequence[dict[str, str]]) -> set[str]:
    """The names and numbers a follow-up brings that the previous question lacks: "And how
    many did Ukraine lose?" after a question about Russia adds Ukraine, which the answer must
    then be about."""
    previous = _previous_question(history)
    if previous is None:
        return set()
    before = Vocabulary(tokens(previous))
    return {t for t in named_terms(question) if not term_matches(t, before)}


def rule_rewrite(question: str, history: Sequence[dict[str, str]]) -> str:
    """Deterministic rewrite: a follow-up borrows the previous user question's words."""
    previous = _previous_question(history)
    if previous is None or not needs_context(question):
        return question
    return f"{previous.strip()} {question.strip()}"


REWRITE_PROMPT = (
    "Rewrite the user's last question so it can be understood without the conversation. "
    "Keep every name, number and date. Do not answer it."
)


@dataclass(frozen=True)
class Rewrite:
    """A question made ready for retrieval.

    `query` is what retrieval searches with (standalone), `asked` the question as the user
    put it, `added` the names and numbers a follow-up brings over the previous question
    (`names_added`): the answer must be about them."""

    query: str
    asked: str
    added: frozenset[str] = frozenset()
    # The previous question when the rules ran it together with this one (`rule_rewrite`):
    # a model is shown it apart, as context, and asked `asked`, or it answers the previous one.
    earlier: str = ""

    @property
    def for_model(self) -> str:
        """The question a model is asked: the user's own beside `earlier`, else the query."""
        return self.asked if self.earlier else self.query

    @property
    def is_follow_up(self) -> bool:
        """Whether the question leaned on the conversation and was rewritten."""
        return self.query != self.asked


class QueryRewriter:
    """LLM rewrite when a model is given, checked against the question; rules otherwise."""

    def __init__(self, chat: ChatModel | None = None, max_tokens: int = 80):
        self._chat = chat
        self._max_tokens = max_tokens

    def rewrite(self, question: str, history: Sequence[dict[str, str]]) -> Rewrite:
        """The question made standalone, with what a follow-up adds to the conversation."""
        if not history:
            return Rewrite(question, question)
        by_rules = rule_rewrite(question, history)
        query = self._standalone(question, history, by_rules)
        if query == question:
            return Rewrite(question, question)
        added = frozenset(names_added(question, history))
        earlier = (_previous_question(history) or "").strip() if query == by_rules else ""
        return Rewrite(query, question, added, earlier)

    def _standalone(self, question: str, history: Sequence[dict[str, str]], fallback: str) -> str:
        """The question as one that can be understood without the conversation: the LLM's
        rewrite when it keeps the question, else `fallback` (the rules')."""
        if self._chat is None or fallback == question:
            return fallback
        turns = "\n".join(f"{t['role']}: {t['content']}" for t in history[-6:])
        messages = [
            {"role": "system", "content": REWRITE_PROMPT},
            {"role": "user", "content": f"{turns}\nuser: {question}\n\nStandalone question:"},
        ]
        schema = {
            "type": "object",
            "properties": {"query": {"type": "string", "maxLength": 300}},
            "required": ["query"],
            "additionalProperties": False,
        }
        try:
            output, _ = self._chat.complete_json(messages, schema, self._max_tokens)
        except UpstreamError as exc:
            log.info("query rewrite fell back to rules: %s", exc)
            return fallback
        rewritten = output.get("query")
        if isinstance(rewritten, str) and keeps_question(question, rewritten):
            return rewritten.strip()
        return fallback


def keeps_question(question: str, rewritten: str) -> bool:
    """The rewrite must keep the question's own topic words (a model may not swap the topic)."""
    terms = set(topic_terms(question))
    if not rewritten.strip() or len(rewritten) > 300:
        return False
    vocabulary = Vocabulary(tokens(rewritten))
    return all(term_matches(t, vocabulary) for t in terms)
