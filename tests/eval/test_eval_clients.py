import time
from email.utils import formatdate

import httpx
import pytest

from eval.clients import HttpClient, PoliteTransport, QAClient, retry_after_s

ANSWER = {"answer": "42", "answered": True, "citations": [], "model": "m", "degraded": False,
          "timings_ms": {"retrieve": 1.0, "generate": 1.0, "total": 2.0}}  # fmt: skip


def _client(handler) -> HttpClient:
    transport = httpx.MockTransport(handler)
    return HttpClient("http://testserver/", http_client=httpx.Client(transport=transport))


def test_http_client_speaks_the_service_api():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, request.url.path, request.content))
        if request.url.path == "/ask":
            return httpx.Response(200, json=ANSWER)
        if request.url.path == "/search":
            return httpx.Response(200, json={"results": [{"chunk_id": "c1"}]})
        if request.url.raw_path == b"/articles/a%2F1":
            return httpx.Response(200, json={"id": "a/1", "text": "Body."})
        return httpx.Response(404, json={"detail": "not found"})

    client = _client(handler)
    assert isinstance(client, QAClient)
    assert client.base_url == "http://testserver"
    assert client.ask("Q?", 3) == ANSWER
    assert seen[0][:2] == ("POST", "/ask") and b'"top_k":3' in seen[0][2].replace(b" ", b"")
    assert client.search("Q?", 10) == [{"chunk_id": "c1"}]
    assert client.article_text("a/1") == "Body."
    assert client.article_text("a/1") == "Body."
    assert client.article_text("missing") is None
    assert client.article_text("missing") is None
    article_calls = [s for s in seen if s[1].startswith("/articles")]
    assert len(article_calls) == 2  # texts (and misses) are cached


@pytest.mark.parametrize("status", [404, 405])
def test_search_missing_returns_none_and_is_remembered(status):
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        return httpx.Response(status)

    client = _client(handler)
    assert client.search("Q?", 10) is None
    assert client.search("Q?", 10) is None
    assert calls == ["/search"]


def test_server_errors_raise():
    client = _client(lambda request: httpx.Response(500))
    with pytest.raises(httpx.HTTPStatusError):
        client.ask("Q?", 5)
    with pytest.raises(httpx.HTTPStatusError):
        client.search("Q?", 5)


# --- 429 and 503: the polite transport ---------------------------------------------------------


def _polite(responses, **kwargs):
    """A PoliteTransport before a server that answers `responses` in turn; sleeps recorded."""
    seen, slept = [], []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.content)
        return responses.pop(0)

    transport = PoliteTransport(httpx.MockTransport(handler), sleep=slept.append, **kwargs)
    return transport, seen, slept


def test_a_429_is_retried_after_its_retry_after_with_the_same_body():
    transport, seen, slept = _polite(
        [httpx.Response(429, headers={"Retry-After": "2"}), httpx.Response(200, json=ANSWER)]
    )
    client = HttpClient("http://testserver", http_client=httpx.Client(transport=transport))
    assert client.ask("Q?", 3) == ANSWER
    assert slept == [2.0] and transport.retries == 1 and transport.waited_s == 2.0
    assert len(seen) == 2 and seen[0] == seen[1] and b"Q?" in seen[0]


def test_a_503_without_retry_after_backs_off_exponentially():
    transport, _, slept = _polite(
        [httpx.Response(503)] * 3 + [httpx.Response(200, json=ANSWER)], backoff_s=1.0
    )
    response = httpx.Client(transport=transport).get("http://testserver/healthz")
    assert response.status_code == 200 and len(slept) == 3
    for attempt, pause in enumerate(slept):
        assert 0.5 * 2**attempt <= pause <= 2**attempt


def test_the_total_wait_is_bounded_and_the_refusal_then_returned():
    transport, seen, slept = _polite(
        [httpx.Response(429, headers={"Retry-After": "10"})] * 6, max_wait_s=25
    )
    response = httpx.Client(transport=transport).get("http://testserver/search")
    assert response.status_code == 429 and slept == [10.0, 10.0] and len(seen) == 3
    client = HttpClient("http://testserver", http_client=httpx.Client(transport=transport))
    with pytest.raises(httpx.HTTPStatusError):
        client.search("Q?", 5)


def test_retry_after_reads_seconds_and_http_dates():
    later = formatdate(time.time() + 30, usegmt=True)
    assert retry_after_s(httpx.Response(429, headers={"Retry-After": "3"})) == 3.0
    assert 25 <= retry_after_s(httpx.Response(503, headers={"Retry-After": later})) <= 30
    assert retry_after_s(httpx.Response(503, headers={"Retry-After": "soon"})) is None
    assert retry_after_s(httpx.Response(503)) is None


def test_other_errors_are_not_retried():
    transport, seen, slept = _polite([httpx.Response(500), httpx.Response(200)])
    assert httpx.Client(transport=transport).get("http://testserver/").status_code == 500
    assert slept == [] and len(seen) == 1
