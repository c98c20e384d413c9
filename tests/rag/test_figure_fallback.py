"""A model's figure that counts something else gives way to the extractive answer when that
one counts what is asked (`Answerer._gated`); real MiniLM and Chroma over the seeds, a chat
model that always gives the wrong figure."""

import pytest

from rag.answering import Answerer, AnswerPolicy

pytestmark = pytest.mark.integration

INJURIES = "How many Ukrainians sustained injuries, according to Zelensky's YouTube interview?"


class WrongFigureChat:
    """Answers with the count of the dead, whatever is asked."""

    name = "wrong-figure"

    def complete_json(self, messages, schema, max_tokens):
        return {"answer": "45,100", "evidence": [1]}, 10


def _answerer(newsdesk, embedder, judges):
    policy = AnswerPolicy(llm_judges=judges)
    return Answerer(newsdesk.retriever, embedder, newsdesk.articles.get, WrongFigureChat(), policy)


def test_a_figure_counting_something_else_gives_way_to_the_extractive_answer(
    seeded_runtime, real_embedder
):
    answer = _answerer(seeded_runtime.newsdesk, real_embedder, judges=False).answer(INJURIES, 5)
    assert answer.answered and answer.model == "extractive" and answer.degraded
    assert "390,000" in answer.answer
    assert any("390,000 sustaining injuries" in c.quote for c in answer.citations)


def test_a_judging_model_s_wrong_figure_is_declined(seeded_runtime, real_embedder):
    # A judging model's answer is its judgement: no extractive answer stands in for it.
    answer = _answerer(seeded_runtime.newsdesk, real_embedder, judges=True).answer(INJURIES, 5)
    assert not answer.answered and not answer.citations
