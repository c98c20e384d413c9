"""The real Qwen2.5-Coder-1.5B-Instruct (fetched and verified by `make install`) writes the
answers; the system grounds them: each quote is the article text at its offsets, each number of
an answer stands in its cited quotes, and a question the articles do not answer is declined."""

import re

import pytest

from rag.local_models import QWEN
from rag.quotes import unsupported_numbers

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def qwen_runtime(tmp_path_factory, real_embedder):
    from rag.assembly import seed_if_empty, start_runtime
    from tests.conftest import seeded_settings

    settings = seeded_settings(tmp_path_factory.mktemp("qwen"), local_model=QWEN.key)
    rt = start_runtime(settings, embedder=real_embedder)
    seed_if_empty(rt.newsdesk, settings)
    yield rt
    rt.close()


ANSWERABLE = [
    # (question, a figure or name the answer must carry)
    ("How many soldiers has Russia lost this year, according to Zelensky?", "400,000"),
    ("Who is Trump's special envoy for Ukraine?", "Kellogg"),
    ("How much has the US contributed to Ukraine's war effort?", "billion"),
]


def test_the_chosen_model_is_the_one_serving(qwen_runtime):
    assert qwen_runtime.local_llm is not None
    assert qwen_runtime.newsdesk.model_name == QWEN.name
    assert qwen_runtime.health()["llm"] == "embedded"


@pytest.mark.parametrize(("question", "expected"), ANSWERABLE)
def test_answers_are_written_by_the_model_and_rest_on_their_quotes(
    qwen_runtime, question, expected
):
    newsdesk = qwen_runtime.newsdesk
    answer = newsdesk.ask(question, top_k=5)
    assert answer.answered and not answer.degraded
    assert answer.model == newsdesk.model_name  # the model wrote it, not the extractive path
    assert expected in answer.answer
    quotes = " ".join(c.quote for c in answer.citations)
    for c in answer.citations:
        assert newsdesk.article(c.article.id).text[c.start : c.end] == c.quote
    text = re.sub(r"\[\d+\]", "", answer.answer)
    assert not unsupported_numbers(text, quotes)


def test_a_question_the_articles_do_not_answer_is_declined(qwen_runtime):
    answer = qwen_runtime.newsdesk.ask(
        "How many tanks did Germany deliver to Ukraine in 2024?", top_k=5
    )
    assert not answer.answered and not answer.citations


def test_a_follow_up_gets_its_own_answer_not_the_earlier_questions(qwen_runtime):
    """The rules run a follow-up and the question before it together for retrieval; the
    model is shown them apart. Shown them run together, it answered the earlier question
    ("warm, good, constructive" for when the visit was)."""
    earlier = (
        "How did Zelensky characterize his conversations with Trump during his visit to New York?"
    )
    history = [{"role": "user", "content": earlier}]
    answer = qwen_runtime.newsdesk.ask("When was that visit?", top_k=5, history=history)
    assert answer.answered and answer.model == QWEN.name
    assert "September" in answer.answer


def test_the_second_look_tells_the_measure_asked_from_another(qwen_runtime):
    """The model's own yes/no on a cited sentence: the killed answer "how many were killed",
    not "how many were injured" (the near-miss the first answer often makes)."""
    from rag.prompting import Quote, build_check_messages

    chat = qwen_runtime.newsdesk.answerer._chat
    quote = Quote(
        "A magnitude 7.7 earthquake struck the western state of Gujarat on Friday morning as "
        "India celebrated Republic Day, killing about 20,000 people.",
        "",
        "2001 january jan 26",
    )

    def yes(question):
        return chat.yes_probability(build_check_messages(question, "about 20,000", [quote]))

    killed = yes("How many people were killed in the 2001 Gujarat earthquake?")
    injured = yes("How many people were injured in the 2001 Gujarat earthquake?")
    assert killed >= 0.75
    assert injured < killed - 0.2


def test_qwen_can_judge_beside_smollm2(tmp_path, real_embedder):
    """RAG_JUDGE_MODEL starts Qwen beside SmolLM2, and a question the stories answer stays
    answered on the real model's second look (the decisions themselves:
    tests/rag/test_second_look.py)."""
    from rag.assembly import seed_if_empty, start_runtime
    from rag.local_models import SMOLLM2
    from tests.conftest import seeded_settings

    settings = seeded_settings(
        tmp_path, local_model=SMOLLM2.key, judge_model=QWEN.key, judge_scope="all"
    )
    rt = start_runtime(settings, embedder=real_embedder)
    try:
        seed_if_empty(rt.newsdesk, settings)
        judge = rt.newsdesk.answerer._judge
        assert judge is not None and judge.name == QWEN.name
        assert rt.newsdesk.model_name == SMOLLM2.name
        assert rt.health()["judge"] == QWEN.name
        answer = rt.newsdesk.ask(ANSWERABLE[0][0], top_k=5)
        assert answer.answered and ANSWERABLE[0][1] in answer.answer
    finally:
        rt.close()
