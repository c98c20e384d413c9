"""Keeping the LLM from failing requests: retries with backoff, a circuit breaker, a queue bound."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from rag.errors import Overloaded, UpstreamError
from rag.protocols import ChatModel

log = logging.getLogger(__name__)

T = TypeVar("T")


class CircuitBreaker:
    """Opens after `threshold` consecutive failures; after `reset_s` lets one call probe."""

    def __init__(self, threshold: int = 5, reset_s: float = 30.0, clock=time.monotonic):
        self._threshold = threshold
        self._reset_s = reset_s
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._lock = threading.Lock()

    @property
    def state(self) -> str:
        with self._lock:
            if self._opened_at is None:
                return "closed"
            return "half-open" if self._clock() - self._opened_at >= self._reset_s else "open"

    def allow(self) -> bool:
        return self.state != "open"

    def record(self, ok: bool) -> None:
        with self._lock:
            if ok:
                self._failures, self._opened_at = 0, None
                return
            self._failures += 1
            if self._failures >= self._threshold:
                self._opened_at = self._clock()


def backoff_delays(retries: int, base_s: float, cap_s: float, rng: random.Random) -> list[float]:
    """Exponential backoff with full jitter: uniform(0, min(cap, base * 2**attempt))."""
    return [rng.uniform(0, min(cap_s, base_s * 2**attempt)) for attempt in range(retries)]


class ResilientChatModel:
    """Wraps a `ChatModel`: retries retryable failures, and fails fast while the circuit is open."""

    def __init__(
        self,
        inner: ChatModel,
        retries: int = 2,
        base_delay_s: float = 0.2,
        max_delay_s: float = 2.0,
        breaker: CircuitBreaker | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ):
        self.name = inner.name
        self._inner = inner
        self._retries = retries
        self._base = base_delay_s
        self._cap = max_delay_s
        self.breaker = breaker or CircuitBreaker()
        self._sleep = sleep
        self._rng = rng or random.Random()

    def complete_json(
        self, messages: list[dict[str, str]], schema: dict[str, Any], max_tokens: int
    ) -> tuple[dict[str, Any], int]:
        return self._call(lambda: self._inner.complete_json(messages, schema, max_tokens))

    def yes_probability(self, messages: list[dict[str, str]]) -> float | None:
        return self._call(lambda: self._inner.yes_probability(messages))

    def _call(self, request: Callable[[], T]) -> T:
        if not self.breaker.allow():
            raise UpstreamError("LLM circuit open after repeated failures")
        delays = backoff_delays(self._retries, self._base, self._cap, self._rng)
        for attempt in range(self._retries + 1):
            try:
                result = request()
            except UpstreamError as exc:
                if not exc.retryable:
                    # The server answered, just not usefully (e.g. malformed JSON): it is up.
                    self.breaker.record(ok=True)
                    raise
                if attempt == self._retries:
                    self.breaker.record(ok=False)
                    raise
                log.info("LLM attempt %d failed (%s); retrying", attempt + 1, exc)
                self._sleep(delays[attempt])
            else:
                self.breaker.record(ok=True)
                return result
        raise AssertionError("unreachable")


class GenerationGate:
    """At most `concurrency` generations at once and `queue` waiting; beyond that, Overloaded."""

    def __init__(self, concurrency: int = 1, queue: int = 8, retry_after_s: int = 2):
        self._slots = threading.Semaphore(concurrency)
        self._waiting = 0
        self._queue = queue
        self._retry_after_s = retry_after_s
        self._lock = threading.Lock()

    def __enter__(self) -> GenerationGate:
        if self._slots.acquire(blocking=False):
            return self
        with self._lock:
            if self._waiting >= self._queue:
                raise Overloaded("too many questions waiting for the LLM", self._retry_after_s)
            self._waiting += 1
        try:
            self._slots.acquire()
        finally:
            with self._lock:
                self._waiting -= 1
        return self

    def __exit__(self, *exc) -> None:
        self._slots.release()
