"""Follow-ups that swap the subject: the answer must be about the new one. Real MiniLM and
Chroma over the seeds, rule rewrites, no LLM."""

import pytest

from rag.answering import Answerer, AnswerPolicy

pytestmark = pytest.mark.integration


def _answerer(newsdesk, embedder) -> Answerer:
    return Answerer(newsdesk.retriever, embedder, newsdesk.articles.get, None, AnswerPolicy())


def _after(question: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": question}]


def test_a_follow_up_about_a_subject_the_articles_do_not_cover_is_declined(
    seeded_runtime, real_embedder
):
    answerer = _answerer(seeded_runtime.newsdesk, real_embedder)
    history = _after("How much has the US government contributed to Ukraine's war effort?")
    us = answerer.answer("How much has the US government contributed to Ukraine's war effort?", 5)
    assert us.answered and "64.1 billion" in us.answer
    # Only the US figure is in the articles; passing it on as Europe's would be wrong.
    europe = answerer.answer("And how much has Europe contributed?", 5, history)
    assert not europe.answered and not europe.citations


def test_a_follow_up_about_a_covered_subject_is_answered_about_it(seeded_runtime, real_embedder):
    answerer = _answerer(seeded_runtime.newsdesk, real_embedder)
    history = _after("How many soldiers has Russia lost this year, according to Zelensky?")
    ukraine = answerer.answer("And how many did Ukraine lose?", 5, history)
    assert ukraine.answered and "45,100" in ukraine.answer


def test_a_follow_up_asking_another_thing_is_answered_in_its_own_terms(
    seeded_runtime, real_embedder
):
    # The rewrite runs both questions together; "When did..." must not make the follow-up
    # ask for a time: it asks where.
    answerer = _answerer(seeded_runtime.newsdesk, real_embedder)
    history = _after('When did Trump say he would "probably" meet Zelensky?')
    where = answerer.answer("And where did he say it could be?", 5, history)
    assert where.query != "And where did he say it could be?"  # rewritten
    assert where.answered and "Washington" in where.answer


def test_a_follow_up_counting_something_else_is_checked_for_that(seeded_runtime, real_embedder):
    # The previous question counted soldiers killed; this one counts injuries.
    answerer = _answerer(seeded_runtime.newsdesk, real_embedder)
    history = _after("According to Zelensky, how many Ukrainian soldiers have been killed?")
    injuries = answerer.answer("And how many injuries did he report?", 5, history)
    assert injuries.answered and "390,000" in injuries.answer
