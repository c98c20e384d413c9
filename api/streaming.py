"""Server-sent events for `/ask`: pure functions from a finished `Answer` to SSE text.

Answers are verified before anyone sees them, so streaming replays the completed answer in
word-sized deltas; the first delta leaves as soon as the verified answer exists.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from typing import Any

from api.schemas import AskDone, CitationOut, StreamTimings
from rag.types import Answer

SSE_MEDIA_TYPE = "text/event-stream"
# Proxies (nginx) must not buffer a stream; clients must not cache it.
SSE_HEADERS = {"cache-control": "no-cache", "x-accel-buffering": "no"}

_WORD = re.compile(r"\s*\S+|\s+")


def word_deltas(text: str) -> list[str]:
    """`text` cut into word-sized pieces (each word with the spaces before it); they join back."""
    return _WORD.findall(text)


def sse_event(data: Any, event: str | None = None) -> str:
    """One server-sent event whose data is `data` as compact JSON."""
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {json.dumps(data, ensure_ascii=False, separators=(',', ':'))}\n\n"


def ask_events(answer: Answer, started: float) -> Iterator[str]:
    """The `/ask` stream: `delta` events with answer text, one `citations` event, then `done`.

    `started` is the `time.perf_counter()` at which the request began; `done` reports the
    time to the first delta and to the end of the stream from there.
    """
    first_token: float | None = None
    for piece in word_deltas(answer.answer):
        if first_token is None:
            first_token = _ms(started)
        yield sse_event({"text": piece}, "delta")
    yield sse_event(
        {"citations": [CitationOut.of(c).model_dump() for c in answer.citations]}, "citations"
    )
    total = _ms(started)
    done = AskDone(
        answered=answer.answered,
        model=answer.model,
        degraded=answer.degraded,
        timings_ms=StreamTimings(
            retrieve=answer.timings_ms.get("retrieve", 0.0),
            generate=answer.timings_ms.get("generate", 0.0),
            first_token=first_token if first_token is not None else total,
            total=total,
        ),
    )
    yield sse_event(done.model_dump(), "done")


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 1)
