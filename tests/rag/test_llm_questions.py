"""Which questions go to the LLM: with the embedded model only those asking for a name, a
number or a time (`Settings.llm_questions`); real MiniLM and Chroma, a recording chat model."""

import pytest

from rag.answering import Answerer, AnswerPolicy
from rag.settings import Settings

pytestmark = pytest.mark.integration

TYPED = "How many soldiers has Russia lost this year, according to Zelensky?"
UNTYPED = "What does Zelensky say Ukraine cannot do without American support?"


class RecordingChat:
    """Answers every call with the first evidence sentence's figure, and records the call."""

    name = "recording"

    def __init__(self):
        self.questions: list[str] = []

    def complete_json(self, messages, schema, max_tokens):
        self.questions.append(messages[-1]["content"])
        return {"answer": "400,000", "evidence": [1]}, 10


def _answerer(newsdesk, embedder, chat, typed_only):
    policy = AnswerPolicy(llm_typed_only=typed_only)
    return Answerer(newsdesk.retriever, embedder, newsdesk.articles.get, chat, policy)


def test_typed_only_sends_the_llm_just_the_typed_question(seeded_runtime, real_embedder):
    chat = RecordingChat()
    answerer = _answerer(seeded_runtime.newsdesk, real_embedder, chat, typed_only=True)
    typed = answerer.answer(TYPED, 5)
    untyped = answerer.answer(UNTYPED, 5)
    assert len(chat.questions) == 1 and TYPED in chat.questions[0]
    assert typed.model == "recording" and not typed.degraded
    assert untyped.answered and untyped.model == "extractive" and untyped.degraded
    assert untyped.citations


def test_all_questions_go_to_the_llm_when_asked_to(seeded_runtime, real_embedder):
    chat = RecordingChat()
    answerer = _answerer(seeded_runtime.newsdesk, real_embedder, chat, typed_only=False)
    answerer.answer(UNTYPED, 5)
    assert len(chat.questions) == 1


@pytest.mark.parametrize(
    ("questions", "base_url", "typed_only"),
    [
        ("auto", None, True),
        ("auto", "http://127.0.0.1:9/v1", False),
        ("all", None, False),
        ("typed", "http://127.0.0.1:9/v1", True),
    ],
)
def test_auto_asks_a_remote_model_everything(questions, base_url, typed_only):
    settings = Settings(llm_questions=questions, openai_base_url=base_url)
    assert settings.llm_answers_typed_only is typed_only
