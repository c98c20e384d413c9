"""OpenAI chat-completions wire format, as much of it as Newsdesk speaks.

Requests accept OpenAI's sampling knobs (temperature, max_tokens, ...) and unknown fields and
ignore them: a grounded answer does not depend on them, and chat front ends send their own
extras. Parameters asking for something Newsdesk cannot do (n > 1, tools, JSON output,
logprobs) are rejected with a 400 by the router.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.schemas import CitationOut

MODEL_ID = "newsdesk"


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[dict[str, Any]] | None = None


class ChatCompletionRequest(BaseModel):
    model_config = ConfigDict(extra="allow")
    model: str
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool | None = False
    n: int | None = None
    tools: list[dict[str, Any]] | None = None
    functions: list[dict[str, Any]] | None = None
    response_format: dict[str, Any] | None = None
    logprobs: bool | None = None
    top_logprobs: int | None = None
    # Newsdesk's own field (the OpenAI client sends it with `extra_body`): as on `/ask`.
    as_of: date | None = Field(
        None,
        description="The day the question is asked on (ISO): stories published in the days "
        "before it rank higher. Default: no preference by date.",
    )


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class ChatChoice(BaseModel):
    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop"] = "stop"
    logprobs: None = None


class ChatCompletion(BaseModel):
    """A chat completion plus `citations`: the same objects `/ask` returns."""

    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str = MODEL_ID
    choices: list[ChatChoice]
    citations: list[CitationOut]


class ModelCard(BaseModel):
    id: str = MODEL_ID
    object: Literal["model"] = "model"
    created: int = 0
    owned_by: str = "newsdesk"


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


class OpenAIErrorDetail(BaseModel):
    message: str
    type: str
    param: str | None = None
    code: str | None = None


class OpenAIErrorBody(BaseModel):
    error: OpenAIErrorDetail
