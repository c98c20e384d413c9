"""The HTTP API over a real socket: uvicorn, real models, a real store in a temp dir."""

import httpx
import pytest

from api.app import create_app

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def base_url(tmp_path_factory, uvicorn_thread, make_settings):
    app = create_app(make_settings(tmp_path_factory.mktemp("api-data")))
    with uvicorn_thread(app) as url:
        yield url


@pytest.fixture(scope="module")
def http(base_url):
    with httpx.Client(base_url=base_url, timeout=60) as client:
        yield client


def test_health_is_ok_once_ready(http):
    r = http.get("/healthz")
    assert r.status_code == 200 and r.json()["status"] == "ok"
    assert r.json()["articles"] == 5


def test_ask_answers_with_a_verbatim_citation(http):
    r = http.post(
        "/ask",
        json={"question": "How many soldiers has Russia lost this year, according to Zelensky?"},
    )
    assert r.status_code == 200
    body = r.json()
    assert body["answered"] is True and "400,000" in body["answer"]
    assert set(body["timings_ms"]) == {"retrieve", "generate", "total"}
    assert isinstance(body["degraded"], bool) and body["model"]
    cite = next(c for c in body["citations"] if c["article_id"] == "000_57c4a177fda609d4")
    assert "400,000" in cite["quote"]
    text = http.get(f"/articles/{cite['article_id']}").json()["text"]
    assert text[cite["start"] : cite["end"]] == cite["quote"]
    assert set(cite) == {
        "n",
        "article_id",
        "title",
        "source",
        "url",
        "published_at",
        "quote",
        "start",
        "end",
    }


def test_unanswerable_question_is_declined_without_citations(http):
    body = http.post("/ask", json={"question": "What is the capital of Australia?"}).json()
    assert body["answered"] is False and body["citations"] == []


def test_articles_list_and_detail(http):
    listed = http.get("/articles").json()
    assert len(listed) == 5
    first = listed[0]
    assert set(first) == {
        "id",
        "title",
        "source",
        "url",
        "published_at",
        "author",
        "duplicate_of",
        "chars",
    }
    detail = http.get(f"/articles/{first['id']}").json()
    assert detail["chars"] == len(detail["text"]) == first["chars"]


def test_unknown_article_is_a_json_404(http):
    r = http.get("/articles/nope")
    assert r.status_code == 404
    assert r.json()["error"] == "NotFound" and "nope" in r.json()["detail"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "question"),
        ({"question": ""}, "question"),
        ({"question": "x", "top_k": 0}, "top_k"),
        ({"question": "x", "top_k": 21}, "top_k"),
        ({"question": "x", "top_k": "many"}, "top_k"),
        ({"question": "x", "history": [{"role": "system", "content": "hi"}]}, "history.0.role"),
        ({"question": "x", "surprise": 1}, "surprise"),
        ({"question": "x" * 2001}, "question"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(http, payload, field):
    r = http.post("/ask", json=payload)
    assert r.status_code == 422
    assert r.json()["field"] == field


def test_malformed_json_is_a_422(http):
    r = http.post("/ask", content=b'{"question": ', headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["error"] == "BadInput"


def test_search_returns_passages_with_offsets(http):
    results = http.post("/search", json={"query": "Sky News interview", "top_k": 3}).json()[
        "results"
    ]
    assert 1 <= len(results) <= 3
    hit = results[0]
    text = http.get(f"/articles/{hit['article_id']}").json()["text"]
    assert text[hit["start"] : hit["end"]] == hit["text"]


def test_openapi_docs_are_served(http):
    assert http.get("/docs").status_code == 200
    assert "/ask" in http.get("/openapi.json").json()["paths"]
