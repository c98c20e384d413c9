"""Request body limits: a pure ASGI middleware that answers 413 with a JSON body.

A declared `Content-Length` over the limit is refused before any byte is read; a body sent
without one (chunked) is counted as it streams in, and the request is refused as soon as it
goes over, whatever the route was doing with it.
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.asgi_errors import send_error
from rag.settings import Settings


class BodyLimit:
    """Bound every request body: `default_bytes`, or `route_bytes[(method, path)]`."""

    def __init__(
        self,
        app: ASGIApp,
        default_bytes: int,
        route_bytes: Mapping[tuple[str, str], int] | None = None,
    ):
        self.app = app
        self.default_bytes = default_bytes
        self.route_bytes = dict(route_bytes or {})

    def limit_for(self, method: str, path: str) -> int:
        return self.route_bytes.get((method, path), self.default_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["method"], scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await too_large(send, limit)
            return

        received = 0
        exceeded = False
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            if exceeded:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True  # the app sees a client that went away
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal response_started
            if exceeded:
                return  # whatever the app makes of the cut-off body, the answer is a 413
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not exceeded:
                raise
        if exceeded and not response_started:
            await too_large(send, limit)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def too_large(send: Send, limit: int) -> None:
    """A 413 in the app's error shape (`ErrorBody`); the connection is closed after it."""
    await send_error(
        send,
        413,
        "PayloadTooLarge",
        f"request body over the limit of {limit} bytes",
        [(b"connection", b"close")],
    )


def install_body_limit(app: FastAPI, settings: Settings) -> None:
    """`RAG_MAX_BODY_BYTES` for every request, `RAG_MAX_ARTICLE_BODY_BYTES` for POST /articles."""
    app.add_middleware(
        BodyLimit,
        default_bytes=settings.max_body_bytes,
        route_bytes={("POST", "/articles"): settings.max_article_body_bytes},
    )
