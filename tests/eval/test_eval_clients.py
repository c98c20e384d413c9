import httpx
import pytest

from eval.clients import HttpClient, QAClient

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
