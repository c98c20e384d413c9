"""Rate limiting: token buckets on a fake clock, and the middleware in the real app (429 with
Retry-After, per key or client address, health checks exempt)."""

from __future__ import annotations

import asyncio
import threading
import time

import httpx
import pytest
import uvicorn

from api.app import create_app
from api.ratelimit import RateLimiter, TokenBucket, caller_of
from api.security import ApiKeys
from rag.settings import Settings

KEY = "nd-rate-key-3c9a71"


class FakeClock:
    def __init__(self, now: float = 1000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


# --- the pure parts ----------------------------------------------------------------------------


def test_a_bucket_allows_its_burst_then_refills_at_its_rate():
    bucket = TokenBucket(rate=2.0, capacity=3, now=0.0)
    assert [bucket.take(0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.take(0.0) == pytest.approx(0.5)  # one token every 0.5 s
    assert bucket.take(0.25) == pytest.approx(0.25)
    assert bucket.take(0.5) == 0.0
    assert bucket.take(100.0) == 0.0 and bucket.tokens == pytest.approx(2.0)  # capped


def test_a_bucket_ignores_a_clock_going_backwards():
    bucket = TokenBucket(rate=1.0, capacity=1, now=10.0)
    assert bucket.take(10.0) == 0.0
    assert bucket.take(5.0) == pytest.approx(1.0)


def test_callers_have_their_own_buckets():
    clock = FakeClock()
    limiter = RateLimiter(per_minute=60, burst=2, clock=clock)
    assert [limiter.check("a") for _ in range(3)] == [0.0, 0.0, pytest.approx(1.0)]
    assert limiter.check("b") == 0.0
    clock.now += 1.0
    assert limiter.check("a") == 0.0 and limiter.check("a") == pytest.approx(1.0)


def test_the_limiter_forgets_full_buckets_first_and_stays_bounded():
    clock = FakeClock()
    limiter = RateLimiter(per_minute=60, burst=2, clock=clock, max_callers=4)
    for caller in "abcd":
        limiter.check(caller)
    clock.now += 10  # a..d have refilled: forgetting them loses nothing
    limiter.check("e")
    assert len(limiter) == 1
    for caller in "fghijk":
        limiter.check(caller)
    assert len(limiter) <= 4


def test_zero_or_negative_rates_are_refused():
    with pytest.raises(ValueError):
        RateLimiter(per_minute=0, burst=1)


def test_a_request_counts_against_its_key_else_its_address():
    keys = ApiKeys(["k0", KEY])
    scope = {"client": ("10.1.2.3", 5000), "headers": []}
    assert caller_of(scope, keys) == "addr:10.1.2.3"
    with_key = scope | {"headers": [(b"authorization", f"Bearer {KEY}".encode())]}
    assert caller_of(with_key, keys) == "key:1"
    # an unknown key cannot buy a fresh bucket: it counts against the address
    wrong = scope | {"headers": [(b"authorization", b"Bearer made-up")]}
    assert caller_of(wrong, keys) == "addr:10.1.2.3"


# --- in the real app ---------------------------------------------------------------------------


def limited_app(tmp_path, clock=None, **overrides):
    """The real app, limited to 60/min with a burst of 3. With `clock`, its limiter reads that
    clock instead of the wall clock: at 1 token a second, a request that takes over a second
    on a loaded machine would otherwise refill the bucket it is meant to empty."""
    settings = Settings(
        data_dir=tmp_path, api_keys=KEY, rate_limit_per_min=60, rate_limit_burst=3, **overrides
    )
    app = create_app(settings)
    if clock is not None:
        (limit,) = [m for m in app.user_middleware if m.cls.__name__ == "RateLimit"]
        limit.kwargs["limiter"].clock = clock
    return app


def calls(app, requests) -> list[httpx.Response]:
    """(method, path, client address, headers) in order, through the app in-process."""

    async def go():
        out = []
        for method, path, client, headers in requests:
            transport = httpx.ASGITransport(
                app=app, client=(client, 40000), raise_app_exceptions=False
            )
            async with httpx.AsyncClient(transport=transport, base_url="http://rl") as c:
                out.append(await c.request(method, path, headers=headers))
        return out

    return asyncio.run(go())


def test_over_the_limit_is_a_json_429_with_retry_after(tmp_path):
    app = limited_app(tmp_path, clock=FakeClock())
    rs = calls(app, [("GET", "/v1/models", "10.0.0.1", {})] * 4)
    assert [r.status_code for r in rs] == [200, 200, 200, 429]
    limited = rs[-1]
    assert limited.headers["retry-after"] == "1"
    assert limited.json()["error"] == "RateLimited"
    assert limited.headers["content-type"] == "application/json"


def test_addresses_and_keys_are_limited_separately(tmp_path):
    app = limited_app(tmp_path, clock=FakeClock())
    key = {"Authorization": f"Bearer {KEY}"}
    rs = calls(
        app,
        [("GET", "/v1/models", "10.0.0.1", {})] * 3
        + [("GET", "/v1/models", "10.0.0.2", {})]  # another address
        + [("GET", "/v1/models", "10.0.0.1", key)] * 3  # the key, from the spent address
        + [("GET", "/v1/models", "10.0.0.9", key)],  # the key is spent wherever it comes from
    )
    assert [r.status_code for r in rs] == [200] * 7 + [429]


def test_health_checks_are_exempt(tmp_path):
    app = limited_app(tmp_path, clock=FakeClock())
    rs = calls(
        app, [("GET", "/v1/models", "10.0.0.1", {})] * 4 + [("GET", "/healthz", "10.0.0.1", {})]
    )
    assert rs[3].status_code == 429
    assert rs[4].status_code != 429  # (500 here: no runtime started in-process)


def test_a_zero_rate_disables_the_limit(tmp_path):
    app = create_app(Settings(data_dir=tmp_path, rate_limit_per_min=0))
    assert {r.status_code for r in calls(app, [("GET", "/v1/models", "10.0.0.1", {})] * 50)} == {
        200
    }


def test_429_over_a_real_socket(tmp_path):
    """The client address uvicorn reports is the bucket; the 429 reaches the client intact."""
    app = limited_app(tmp_path)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        port = server.servers[0].sockets[0].getsockname()[1]
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            codes = [client.get("/v1/models").status_code for _ in range(4)]
            limited = client.get("/v1/models")
            assert codes == [200, 200, 200, 429] and limited.status_code == 429
            assert int(limited.headers["retry-after"]) >= 1
            time.sleep(float(limited.headers["retry-after"]))
            assert client.get("/v1/models").status_code == 200
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_loopback_is_exempt_only_while_no_key_is_configured(tmp_path):
    """Without keys the server listens on loopback only: its own machine is not limited.
    With keys, loopback counts like any address (a same-host proxy would exempt everyone)."""
    open_app = create_app(Settings(data_dir=tmp_path, rate_limit_per_min=60, rate_limit_burst=3))
    local = calls(open_app, [("GET", "/v1/models", "127.0.0.1", {})] * 10)
    ipv6 = calls(open_app, [("GET", "/v1/models", "::1", {})] * 10)
    remote = calls(open_app, [("GET", "/v1/models", "10.0.0.1", {})] * 4)
    assert {r.status_code for r in local + ipv6} == {200}
    assert [r.status_code for r in remote] == [200, 200, 200, 429]
    keyed = calls(
        limited_app(tmp_path, clock=FakeClock()), [("GET", "/v1/models", "127.0.0.1", {})] * 4
    )
    assert [r.status_code for r in keyed] == [200, 200, 200, 429]
