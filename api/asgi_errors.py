"""Error responses sent from raw ASGI middleware, in the app's error shape (`ErrorBody`)."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.types import Send

from api.schemas import ErrorBody


async def send_error(
    send: Send, status: int, error: str, detail: str, headers: Sequence[tuple[bytes, bytes]] = ()
) -> None:
    """Send a whole JSON error response: `{"error", "detail", "field": null}`."""
    body = ErrorBody(error=error, detail=detail).model_dump_json().encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
