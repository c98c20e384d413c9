"""The real default embedded model (Qwen2.5-Coder-1.5B-Instruct) writes the answers; the system
grounds them: each quote is the article text at its offsets, each number of an answer stands
in its cited quotes, and a question the articles do not answer is declined."""

import re

import pytest

from rag.local_models import DEFAULT_LOCAL_MODEL, LOCAL_MODELS
from rag.quotes import unsupported_numbers

pytestmark = pytest.mark.integration

ANSWERABLE = [
    # (question, a figure or name the answer must carry)
    ("How many soldiers has Russia lost this year, according to Zelensky?", "400,000"),
    ("Who is Trump's special envoy for Ukraine?", "Kellogg"),
    ("How much has the US contributed to Ukraine's war effort?", "billion"),
]


def test_the_default_model_is_the_one_serving(seeded_runtime):
    assert seeded_runtime.local_llm is not None
    assert seeded_runtime.newsdesk.model_name == LOCAL_MODELS[DEFAULT_LOCAL_MODEL].name


@pytest.mark.parametrize(("question", "expected"), ANSWERABLE)
def test_answers_are_written_by_the_model_and_rest_on_their_quotes(
    seeded_runtime, question, expected
):
    newsdesk = seeded_runtime.newsdesk
    answer = newsdesk.ask(question, top_k=5)
    assert answer.answered and not answer.degraded
    assert answer.model == newsdesk.model_name  # the model wrote it, not the extractive path
    assert expected in answer.answer
    quotes = " ".join(c.quote for c in answer.citations)
    for c in answer.citations:
        assert newsdesk.article(c.article.id).text[c.start : c.end] == c.quote
    text = re.sub(r"\[\d+\]", "", answer.answer)
    assert not unsupported_numbers(text, quotes)


def test_a_question_the_articles_do_not_answer_is_declined(seeded_runtime):
    answer = seeded_runtime.newsdesk.ask(
        "How many tanks did Germany deliver to Ukraine in 2024?", top_k=5
    )
    assert not answer.answered and not answer.citations
