"""OpenAI-compatible chat: `POST /v1/chat/completions` and `GET /v1/models`.

Any OpenAI SDK or chat front end can talk to Newsdesk unchanged. The last user message is
the question and earlier user/assistant turns are the history; system prompts are ignored
(the answer is grounded in the articles, not steered by the caller). The reply text carries
`[n]` markers and a short Sources list; the top-level `citations` array holds the same
objects as `/ask`, and a stream's last chunk before `[DONE]` carries it too.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Coroutine, Iterator, Sequence
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

from api.chat_schemas import (
    MODEL_ID,
    AssistantMessage,
    ChatChoice,
    ChatCompletion,
    ChatCompletionRequest,
    ChatMessage,
    ModelCard,
    ModelList,
    OpenAIErrorBody,
    OpenAIErrorDetail,
)
from api.deps import NewsdeskDep
from api.schemas import AskRequest, CitationOut
from api.streaming import SSE_HEADERS, SSE_MEDIA_TYPE, sse_event, word_deltas
from rag.errors import BadInput, NewsdeskError, NotFound, Overloaded, UpstreamError
from rag.types import Answer, Citation

MAX_QUESTION_CHARS = 2000
MAX_HISTORY_TURNS = 20
MAX_TURN_CHARS = 8000
MAX_QUOTE_CHARS = 160
# Chat clients cannot pass `top_k`; they get the same default as `/ask`.
DEFAULT_TOP_K: int = AskRequest.model_fields["top_k"].default
SOURCES_HEADING = "Sources:"
_CREATED = int(time.time())


class ChatRequestError(Exception):
    """A request OpenAI would refuse too; rendered as OpenAI's error body."""

    def __init__(
        self,
        message: str,
        param: str | None = None,
        status: int = 400,
        code: str | None = None,
        kind: str = "invalid_request_error",
    ):
        super().__init__(message)
        self.status, self.param, self.code, self.kind = status, param, code, kind

    def response(self) -> JSONResponse:
        body = OpenAIErrorBody(
            error=OpenAIErrorDetail(
                message=str(self), type=self.kind, param=self.param, code=self.code
            )
        )
        return JSONResponse(body.model_dump(), status_code=self.status)


class OpenAIErrorRoute(APIRoute):
    """Errors on these routes use OpenAI's `{"error": {...}}` shape, so SDKs raise cleanly."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                return _from_validation(exc).response()
            except ChatRequestError as exc:
                return exc.response()
            except Overloaded as exc:
                response = ChatRequestError(str(exc), status=503, kind="server_error").response()
                response.headers["Retry-After"] = str(exc.retry_after_s)
                return response
            except NewsdeskError as exc:
                return _from_newsdesk(exc).response()
            except HTTPException as exc:  # an unparseable body, a missing or wrong API key
                response = ChatRequestError(str(exc.detail), status=exc.status_code).response()
                response.headers.update(exc.headers or {})
                return response

        return route


router = APIRouter(
    prefix="/v1",
    tags=["openai"],
    route_class=OpenAIErrorRoute,
    responses={code: {"model": OpenAIErrorBody} for code in (400, 401, 403, 404)},
)


@router.get("/models", response_model=ModelList)
def list_models() -> ModelList:
    return ModelList(data=[ModelCard(created=_CREATED)])


@router.get("/models/{model_id}", response_model=ModelCard)
def get_model(model_id: str) -> ModelCard:
    _check_model(model_id)
    return ModelCard(created=_CREATED)


@router.post(
    "/chat/completions",
    response_model=ChatCompletion,
    responses={
        200: {"content": {SSE_MEDIA_TYPE: {}}, "description": "JSON, or SSE chunks if stream"},
        400: {"model": OpenAIErrorBody},
        404: {"model": OpenAIErrorBody},
    },
)
def chat_completions(body: ChatCompletionRequest, newsdesk: NewsdeskDep) -> Response:
    check_supported(body)
    question, history = split_conversation(body.messages)
    answer = newsdesk.ask(question, DEFAULT_TOP_K, history, as_of=body.as_of)
    completion_id = f"chatcmpl-{uuid.uuid4().hex[:24]}"
    created = int(time.time())
    content = reply_text(answer)
    citations = [CitationOut.of(c) for c in answer.citations]
    if body.stream:
        return StreamingResponse(
            completion_chunks(completion_id, created, content, citations),
            media_type=SSE_MEDIA_TYPE,
            headers=SSE_HEADERS,
        )
    completion = ChatCompletion(
        id=completion_id,
        created=created,
        choices=[ChatChoice(message=AssistantMessage(content=content))],
        citations=citations,
    )
    return JSONResponse(completion.model_dump())


def check_supported(body: ChatCompletionRequest) -> None:
    """Refuse what Newsdesk cannot honour, the way OpenAI refuses it; the rest is ignored."""
    _check_model(body.model)
    if body.n not in (None, 1):
        raise ChatRequestError("n must be 1: Newsdesk gives one answer per question", "n")
    if body.tools or body.functions:
        param = "tools" if body.tools else "functions"
        raise ChatRequestError(f"{param} are not supported by model {MODEL_ID!r}", param)
    fmt = (body.response_format or {}).get("type", "text")
    if fmt != "text":
        raise ChatRequestError(
            f"response_format {fmt!r} is not supported: answers are text with citations",
            "response_format",
        )
    if body.logprobs or body.top_logprobs:
        raise ChatRequestError("logprobs are not supported", "logprobs")


def split_conversation(messages: Sequence[ChatMessage]) -> tuple[str, list[dict[str, str]]]:
    """The question (the last message, which must be the user's) and the history before it."""
    last = len(messages) - 1
    if messages[last].role != "user":
        raise ChatRequestError(
            f"the last message must come from the user and hold the question, "
            f"not from {messages[last].role!r}",
            f"messages.{last}.role",
        )
    question = message_text(messages[last], last).strip()
    if not question:
        raise ChatRequestError("the question (last user message) is empty", f"messages.{last}")
    if len(question) > MAX_QUESTION_CHARS:
        raise ChatRequestError(
            f"the question is {len(question)} characters; at most {MAX_QUESTION_CHARS}",
            f"messages.{last}.content",
        )
    history = [
        {"role": m.role, "content": without_sources(message_text(m, i))[:MAX_TURN_CHARS]}
        for i, m in enumerate(messages[:last])
        if m.role in ("user", "assistant")
    ]
    return question, history[-MAX_HISTORY_TURNS:]


def message_text(message: ChatMessage, index: int) -> str:
    """A message's text: a string, or the text parts of a content list."""
    if message.content is None:
        return ""
    if isinstance(message.content, str):
        return message.content
    texts = []
    for part in message.content:
        if part.get("type") != "text" or not isinstance(part.get("text"), str):
            raise ChatRequestError(
                f"only text content is supported, got {part.get('type')!r}",
                f"messages.{index}.content",
            )
        texts.append(part["text"])
    return "\n".join(texts)


def without_sources(text: str) -> str:
    """An earlier reply of ours without its Sources list (only the answer is history)."""
    head, sep, _ = text.partition(f"\n\n{SOURCES_HEADING}\n")
    return head if sep else text


def reply_text(answer: Answer) -> str:
    """The answer with its `[n]` markers, then a short Sources list when there are citations."""
    if not answer.citations:
        return answer.answer
    return f"{answer.answer}\n\n{sources_block(answer.citations)}"


def sources_block(citations: Sequence[Citation]) -> str:
    lines = [SOURCES_HEADING]
    for c in citations:
        article = c.article
        where = ", ".join(x for x in (article.source, article.published_at) if x)
        label = article.title or article.id
        if where:
            label = f"{label} ({where})"
        if article.url:
            label = f"{label} <{article.url}>"
        lines.append(f"- [{c.n}] {label}: “{_shorten(c.quote)}”")
    return "\n".join(lines)


def completion_chunks(
    completion_id: str, created: int, content: str, citations: Sequence[CitationOut]
) -> Iterator[str]:
    """OpenAI's chunk stream: the role, the content in word deltas, a final chunk with the
    finish reason and the citations, then `[DONE]`."""
    base = {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": created,
        "model": MODEL_ID,
    }

    def chunk(delta: dict[str, str], finish_reason: str | None = None, **extra: Any) -> str:
        choice = {"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}
        return sse_event({**base, "choices": [choice], **extra})

    yield chunk({"role": "assistant", "content": ""})
    for piece in word_deltas(content):
        yield chunk({"content": piece})
    yield chunk({}, "stop", citations=[c.model_dump() for c in citations])
    yield "data: [DONE]\n\n"


def _check_model(model: str) -> None:
    if model != MODEL_ID:
        raise ChatRequestError(
            f"The model {model!r} does not exist; this server has {MODEL_ID!r}",
            "model",
            status=404,
            code="model_not_found",
        )


def _from_validation(exc: RequestValidationError) -> ChatRequestError:
    errors = exc.errors()
    first = errors[0] if errors else {}
    param = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or None
    message = first.get("msg", "invalid request")
    if first.get("type") == "json_invalid":
        return ChatRequestError(f"the request body is not valid JSON: {message}")
    return ChatRequestError(f"{param or 'body'}: {message}", param)


def _from_newsdesk(exc: NewsdeskError) -> ChatRequestError:
    if isinstance(exc, BadInput):
        return ChatRequestError(str(exc), exc.field)
    if isinstance(exc, NotFound):
        return ChatRequestError(str(exc), status=404, code="not_found")
    status = 502 if isinstance(exc, UpstreamError) else 500
    return ChatRequestError(str(exc), status=status, kind="server_error")


def _shorten(quote: str) -> str:
    if len(quote) <= MAX_QUOTE_CHARS:
        return quote
    return quote[: MAX_QUOTE_CHARS - 1].rsplit(" ", 1)[0] + "…"
