"""Input limits: bodies over the limit are a JSON 413 (declared or streamed), bad input a 422
naming the field, every error JSON without a stack trace."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse

from api.limits import BodyLimit

MIB = 1 << 20


def chunked(data: bytes, size: int = 64 * 1024):
    """The body as a generator: httpx then sends it chunked, without Content-Length."""
    for start in range(0, len(data), size):
        yield data[start : start + size]


def padded_search(total: int) -> bytes:
    """A valid /search body of exactly `total` bytes (the padding is JSON whitespace)."""
    body = json.dumps({"query": "Zelensky soldiers"}).encode()
    return body[:-1] + b" " * (total - len(body)) + b"}"


@pytest.fixture(scope="module")
def http(hardened):
    with httpx.Client(base_url=hardened.url, timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def writer(hardened):
    return {"Authorization": f"Bearer {hardened.keys[0]}"}


def assert_413(r: httpx.Response) -> None:
    assert r.status_code == 413, r.text[:200]
    body = r.json()
    assert body["error"] == "PayloadTooLarge" and "bytes" in body["detail"]


def test_a_body_at_the_limit_is_served(http):
    r = http.post(
        "/search", content=padded_search(MIB), headers={"content-type": "application/json"}
    )
    assert r.status_code == 200, r.text[:200]


def test_a_declared_body_over_the_limit_is_413(http):
    assert_413(
        http.post(
            "/search", content=padded_search(MIB + 1), headers={"content-type": "application/json"}
        )
    )
    assert http.get("/healthz").status_code == 200  # the server goes on


def test_a_streamed_body_over_the_limit_is_413(http):
    r = http.post(
        "/ask",
        content=chunked(padded_search(3 * MIB)),
        headers={"content-type": "application/json"},
    )
    assert "content-length" not in r.request.headers
    assert_413(r)
    assert http.post("/search", json={"query": "Zelensky"}).status_code == 200


def test_articles_have_their_own_larger_limit(http, writer):
    # 1.5 MiB passes the article limit (2 MiB here) and reaches validation: 422, not 413.
    big = json.dumps({"body": "short", "padding": "x" * (3 * MIB // 2)})
    r = http.post("/articles", content=big, headers=writer | {"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["field"] == "padding"
    too_big = json.dumps({"body": "x" * (2 * MIB)})
    r = http.post(
        "/articles", content=too_big, headers=writer | {"content-type": "application/json"}
    )
    assert_413(r)
    r = http.post(
        "/articles",
        content=chunked(too_big.encode()),
        headers=writer | {"content-type": "application/json"},
    )
    assert_413(r)


@pytest.mark.parametrize(
    ("path", "content", "field", "says"),
    [
        ("/ask", '{"question": "Who?", "top_k": "five"}', "top_k", "valid integer"),
        ("/ask", '{"question": 7}', "question", "valid string"),
        ("/ask", '{"question": "Who?", "history": [{"role": "bot"}]}', "history.0.role", "user"),
        ("/search", '{"query": "x", "top_k": 51}', "top_k", "less than or equal to 50"),
        ("/search", '{"query": "x", "limit": 3}', "limit", "Extra inputs"),
        ("/ask", '{"question": "Who?",', None, "invalid JSON at character 20"),
        ("/ask", '[{"question": "Who?"}]', None, "dictionary"),
        ("/ask", "", None, "required"),
    ],
)
def test_bad_input_is_a_json_422_naming_the_field(http, path, content, field, says):
    r = http.post(path, content=content, headers={"content-type": "application/json"})
    assert r.status_code == 422
    body = r.json()
    assert body["error"] == "BadInput" and says in body["detail"]
    if field:
        assert body["field"] == field and body["detail"].startswith(field)
    else:
        assert body["field"] is None
    assert "Traceback" not in r.text


def test_every_error_is_json_without_a_stack_trace(http):
    for r in (
        http.get("/no/such/route"),
        http.put("/ask", json={"question": "x"}),
        http.get("/articles/%00%ff"),
        http.post("/search", content=b"\xff\xfe\x00", headers={"content-type": "application/json"}),
        http.post("/ask", content="question=x", headers={"content-type": "text/plain"}),
    ):
        assert 400 <= r.status_code < 500, (r.request.url, r.status_code)
        assert r.headers["content-type"].startswith("application/json")
        assert set(r.json()) >= {"error", "detail"} and "Traceback" not in r.text


# --- the middleware alone ---------------------------------------------------------------------


async def _swallowing_app(scope, receive, send):
    """An app that reads what it can and answers 200 whatever happened to the body."""
    request = Request(scope, receive)
    try:
        size = len(await request.body())
    except Exception:
        size = -1
    await JSONResponse({"read": size})(scope, receive, send)


async def _async_chunks(chunks):
    for chunk in chunks:
        yield chunk


def _post(app, body, headers=None) -> httpx.Response:
    if not isinstance(body, bytes):
        body = _async_chunks(list(body))

    async def go():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://limits") as client:
            return await client.post("/anything", content=body, headers=headers)

    return asyncio.run(go())


def test_the_streamed_count_wins_over_what_the_app_makes_of_it():
    app = BodyLimit(_swallowing_app, default_bytes=1000)
    assert _post(app, b"x" * 1000).json() == {"read": 1000}
    assert _post(app, chunked(b"x" * 1000, 100)).json() == {"read": 1000}
    assert_413(_post(app, chunked(b"x" * 1001, 100)))
    assert_413(_post(app, b"x" * 1001))


def test_a_lying_content_length_is_still_counted():
    app = BodyLimit(_swallowing_app, default_bytes=1000)
    r = _post(app, chunked(b"x" * 5000, 500), headers={"content-length": "10"})
    assert_413(r)


def test_route_limits_apply_to_their_method_and_path_only():
    limit = BodyLimit(_swallowing_app, 1000, {("POST", "/articles"): 5000})
    assert limit.limit_for("POST", "/articles") == 5000
    assert limit.limit_for("DELETE", "/articles") == 1000
    assert limit.limit_for("POST", "/articles/x") == 1000
