"""The chat layer's pure parts: conversation to question + history, answer to reply text."""

from __future__ import annotations

import pytest

from api.chat import (
    ChatRequestError,
    check_supported,
    reply_text,
    split_conversation,
    without_sources,
)
from api.chat_schemas import ChatCompletionRequest, ChatMessage
from rag.types import Answer, Article, Citation


def msgs(*pairs: tuple[str, object]) -> list[ChatMessage]:
    return [ChatMessage(role=role, content=content) for role, content in pairs]


def request(**fields) -> ChatCompletionRequest:
    return ChatCompletionRequest(
        **{"model": "newsdesk", "messages": [{"role": "user", "content": "q"}], **fields}
    )


def test_last_user_message_is_the_question_and_earlier_turns_the_history():
    question, history = split_conversation(
        msgs(
            ("system", "You are helpful."),
            ("user", "How many did Russia lose?"),
            ("assistant", "400,000 [1]\n\nSources:\n- [1] a1 (Wire): “...”"),
            ("user", "And Ukraine?"),
        )
    )
    assert question == "And Ukraine?"
    assert history == [
        {"role": "user", "content": "How many did Russia lose?"},
        {"role": "assistant", "content": "400,000 [1]"},
    ]


def test_text_parts_are_joined_and_other_parts_refused():
    parts = [{"type": "text", "text": "How many"}, {"type": "text", "text": "soldiers?"}]
    assert split_conversation(msgs(("user", parts)))[0] == "How many\nsoldiers?"
    with pytest.raises(ChatRequestError) as err:
        split_conversation(msgs(("user", [{"type": "image_url", "image_url": {"url": "x"}}])))
    assert err.value.param == "messages.0.content" and err.value.status == 400


@pytest.mark.parametrize(
    ("messages", "param"),
    [
        (msgs(("user", "q"), ("assistant", "a")), "messages.1.role"),
        (msgs(("system", "only a system prompt")), "messages.0.role"),
        (msgs(("user", "   ")), "messages.0"),
        (msgs(("user", "x" * 2001)), "messages.0.content"),
    ],
)
def test_a_conversation_without_a_usable_question_is_a_400(messages, param):
    with pytest.raises(ChatRequestError) as err:
        split_conversation(messages)
    assert err.value.status == 400 and err.value.param == param


def test_history_keeps_the_last_twenty_turns():
    turns = [("user" if i % 2 == 0 else "assistant", f"t{i}") for i in range(30)]
    _, history = split_conversation(msgs(*turns, ("user", "q")))
    assert [t["content"] for t in history] == [f"t{i}" for i in range(10, 30)]


@pytest.mark.parametrize(
    ("fields", "param", "status"),
    [
        ({"model": "gpt-4o"}, "model", 404),
        ({"n": 2}, "n", 400),
        ({"tools": [{"type": "function", "function": {"name": "f"}}]}, "tools", 400),
        ({"response_format": {"type": "json_object"}}, "response_format", 400),
        ({"logprobs": True}, "logprobs", 400),
    ],
)
def test_parameters_newsdesk_cannot_honour_are_refused(fields, param, status):
    with pytest.raises(ChatRequestError) as err:
        check_supported(request(**fields))
    assert (err.value.param, err.value.status) == (param, status)


def test_sampling_knobs_and_unknown_fields_are_ignored():
    check_supported(
        request(temperature=0.2, max_tokens=10, n=1, response_format={"type": "text"}, foo=1)
    )


def test_reply_text_has_markers_and_a_short_sources_list():
    article = Article("a1", "x" * 400, title="Losses", source="Wire", published_at="2025-02-05")
    answer = Answer("400,000 [1]", True, [Citation(1, article, "x" * 300, 0, 300)], "m", False, {})
    text = reply_text(answer)
    head, sources = text.split("\n\nSources:\n")
    assert head == "400,000 [1]"
    assert sources.startswith("- [1] Losses (Wire, 2025-02-05): “x")
    assert sources.endswith("…”") and len(sources) < 200
    assert without_sources(text) == "400,000 [1]"


def test_a_declined_answer_has_no_sources_list():
    declined = Answer("The articles do not say.", False, [], "m", False, {})
    assert reply_text(declined) == "The articles do not say."
