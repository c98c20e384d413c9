"""`ChatModel` adapter over the `openai` client (OpenAI, vLLM, Ollama, llama.cpp servers)."""

from __future__ import annotations

import json
import math
from typing import Any

import httpx
import openai

from rag.errors import UpstreamError


class OpenAIChatModel:
    """JSON-schema constrained chat completions; vendor errors become `UpstreamError`."""

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None = None,
        timeout_s: float = 20.0,
        max_retries: int = 1,
        http_client: Any = None,
    ):
        self.name = model
        self._client = openai.OpenAI(
            base_url=base_url,
            api_key=api_key or "not-needed",
            timeout=timeout_s,
            max_retries=max_retries,
            http_client=http_client,
        )

    def complete_json(
        self, messages: list[dict[str, str]], schema: dict[str, Any], max_tokens: int
    ) -> tuple[dict[str, Any], int]:
        response = self._create(
            messages,
            max_tokens=max_tokens,
            response_format={
                "type": "json_schema",
                "json_schema": {"name": "answer", "schema": schema, "strict": True},
            },
        )
        prompt_tokens = response.usage.prompt_tokens if response.usage else 0
        try:
            content = response.choices[0].message.content or ""
        except (AttributeError, IndexError, TypeError) as exc:
            raise UpstreamError("LLM response has no message", prompt_tokens=prompt_tokens) from exc
        try:
            data = json.loads(content)
        except json.JSONDecodeError as exc:
            raise UpstreamError(
                f"LLM returned invalid JSON: {content[:200]!r}", prompt_tokens=prompt_tokens
            ) from exc
        if not isinstance(data, dict):
            raise UpstreamError("LLM JSON is not an object", prompt_tokens=prompt_tokens)
        return data, prompt_tokens

    def yes_probability(self, messages: list[dict[str, str]]) -> float | None:
        response = self._create(messages, max_tokens=1, logprobs=True, top_logprobs=_TOP_LOGPROBS)
        try:
            first = response.choices[0].logprobs.content[0]  # type: ignore[union-attr,index]
            candidates = [(t.token, t.logprob) for t in first.top_logprobs] or [
                (first.token, first.logprob)
            ]
        except (AttributeError, IndexError, TypeError):
            return None  # a server that gives no log-probabilities
        return yes_share(candidates)

    def _create(self, messages: list[dict[str, str]], **options: Any) -> Any:
        """One deterministic chat completion; vendor errors become `UpstreamError`."""
        try:
            return self._client.chat.completions.create(
                model=self.name,
                messages=messages,  # type: ignore[arg-type]
                temperature=0.0,
                **options,
            )
        except (openai.APIError, httpx.HTTPError, ValueError) as exc:
            # ValueError: a body that is not JSON at all (the client parses it eagerly).
            raise UpstreamError(
                f"LLM request failed: {type(exc).__name__}: {exc}", retryable=_retryable(exc)
            ) from exc


# Enough alternatives that "yes" and "no" (and their spellings: "Yes", " yes") both show.
_TOP_LOGPROBS = 10


def yes_share(candidates: list[tuple[str, float]]) -> float | None:
    """P(yes) / (P(yes) + P(no)) over a next token's alternatives (token, log-probability);
    None when neither word is among them."""
    yes = no = 0.0
    for token, logprob in candidates:
        word = token.strip().lower()
        if word == "yes":
            yes += math.exp(logprob)
        elif word == "no":
            no += math.exp(logprob)
    if yes + no == 0.0:
        return None
    return yes / (yes + no)


def _retryable(exc: Exception) -> bool:
    """Rate limits, server errors, timeouts and dropped connections are worth another try."""
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code == 429 or exc.status_code >= 500
    return isinstance(exc, openai.APIConnectionError | httpx.TransportError)
