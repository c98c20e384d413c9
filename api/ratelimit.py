"""Rate limiting per API key or client address: token buckets and a pure ASGI middleware.

Each caller (a configured key when the request carries one, else the client address) owns a
bucket of `burst` tokens refilled at `per_minute / 60` a second; a request takes one token or
gets a 429 with `Retry-After`, the whole seconds until the next token. Health checks are
exempt, and so are loopback callers while no API key is configured: the server then listens
on loopback only (`rag serve` refuses anything else), so the limit would only slow down this
machine's own scripts and evaluations. With keys, loopback counts like any address (a proxy
on the same host would otherwise exempt everyone). The buckets live in the event loop's
thread, so they need no lock.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from api.asgi_errors import send_error
from api.security import ApiKeys, is_loopback
from rag.settings import Settings

EXEMPT_PATHS = frozenset({"/healthz"})


class TokenBucket:
    """`capacity` tokens, refilled continuously at `rate` a second; time is passed in."""

    __slots__ = ("rate", "capacity", "tokens", "updated")

    def __init__(self, rate: float, capacity: float, now: float):
        self.rate = rate
        self.capacity = capacity
        self.tokens = capacity
        self.updated = now

    def refill(self, now: float) -> None:
        elapsed = max(0.0, now - self.updated)
        self.tokens = min(self.capacity, self.tokens + elapsed * self.rate)
        self.updated = now

    def take(self, now: float) -> float:
        """Take a token: 0.0 when there was one, else the seconds until there will be one."""
        self.refill(now)
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.rate


class RateLimiter:
    """One `TokenBucket` per caller; at most `max_callers` kept (full buckets go first)."""

    def __init__(
        self,
        per_minute: int,
        burst: int,
        clock: Callable[[], float] = time.monotonic,
        max_callers: int = 10_000,
    ):
        if per_minute <= 0 or burst < 1:
            raise ValueError("per_minute must be positive and burst at least 1")
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.clock = clock
        self.max_callers = max_callers
        self._buckets: dict[str, TokenBucket] = {}

    def __len__(self) -> int:
        return len(self._buckets)

    def check(self, caller: str) -> float:
        """0.0 when `caller` may go ahead (a token is spent), else the seconds to wait."""
        now = self.clock()
        bucket = self._buckets.get(caller)
        if bucket is None:
            if len(self._buckets) >= self.max_callers:
                self._evict(now)
            bucket = self._buckets[caller] = TokenBucket(self.rate, self.burst, now)
        return bucket.take(now)

    def _evict(self, now: float) -> None:
        """Forget buckets that have refilled (losing nothing), else the least recently used."""
        full_after = self.burst / self.rate
        for caller in [c for c, b in self._buckets.items() if now - b.updated >= full_after]:
            del self._buckets[caller]
        if len(self._buckets) >= self.max_callers:
            by_age = sorted(self._buckets, key=lambda c: self._buckets[c].updated)
            for caller in by_age[: len(by_age) - self.max_callers // 2]:
                del self._buckets[caller]


def caller_of(scope: Scope, keys: ApiKeys) -> str:
    """Who a request counts against: a configured key (by index, never the key) or an address."""
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, credentials = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and credentials:
                index = keys.match(credentials.strip())
                if index is not None:
                    return f"key:{index}"
            break
    client = scope.get("client")
    return f"addr:{client[0] if client else 'unknown'}"


def exempt_loopback(caller: str, keys: ApiKeys) -> bool:
    """Whether `caller` is this machine calling a server that has no API keys."""
    return not keys and caller.startswith("addr:") and is_loopback(caller.removeprefix("addr:"))


class RateLimit:
    """ASGI middleware: 429 with `Retry-After` when the caller's bucket is empty."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter, keys: ApiKeys):
        self.app = app
        self.limiter = limiter
        self.keys = keys

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] not in EXEMPT_PATHS:
            caller = caller_of(scope, self.keys)
            wait = 0.0 if exempt_loopback(caller, self.keys) else self.limiter.check(caller)
            if wait > 0:
                await too_many_requests(send, max(1, math.ceil(wait)))
                return
        await self.app(scope, receive, send)


async def too_many_requests(send: Send, retry_after_s: int) -> None:
    """A 429 in the app's error shape (`ErrorBody`)."""
    await send_error(
        send,
        429,
        "RateLimited",
        f"too many requests; retry after {retry_after_s} s",
        [(b"retry-after", str(retry_after_s).encode())],
    )


def install_rate_limit(app: FastAPI, settings: Settings, keys: ApiKeys) -> None:
    """Limit every caller to `RAG_RATE_LIMIT_PER_MIN` (burst `RAG_RATE_LIMIT_BURST`); 0: off.
    Loopback callers are exempt while no API key is configured (`exempt_loopback`)."""
    if settings.rate_limit_per_min > 0:
        limiter = RateLimiter(settings.rate_limit_per_min, settings.rate_limit_burst)
        app.add_middleware(RateLimit, limiter=limiter, keys=keys)
