"""Filters and follow-ups over HTTP, with the real store, model and embedded LLM."""

import httpx
import pytest

from api.app import create_app

pytestmark = pytest.mark.integration

CNN = "002_c788a5a7159858c4"
UNN = "001_422b58984ffd6ea4"


@pytest.fixture(scope="module")
def http(tmp_path_factory, uvicorn_thread, make_settings):
    app = create_app(make_settings(tmp_path_factory.mktemp("filters-data")))
    with uvicorn_thread(app) as url, httpx.Client(base_url=url, timeout=60) as client:
        yield client


def search(http, **body):
    r = http.post("/search", json={"query": "Zelensky talks with Trump", "top_k": 10} | body)
    assert r.status_code == 200, r.text
    return r.json()["results"]


def test_source_filter_keeps_only_that_source(http):
    results = search(http, filters={"source": "cnn"})
    assert results and {r["article_id"] for r in results} == {CNN}
    assert all(r["source"] == "CNN" for r in results)


def test_date_filters_are_inclusive_and_drop_undated_articles(http):
    assert {r["article_id"] for r in search(http, filters={"published_after": "2025-02-05"})} == {
        UNN
    }
    assert search(http, filters={"published_before": "2025-02-04"}) == []


def test_article_id_filter(http):
    ids = ["003_6393df299b93704f", "004_610021201f2d6961"]
    results = search(http, filters={"article_ids": ids})
    assert results and {r["article_id"] for r in results} <= set(ids)


def test_search_shape_and_bounds(http):
    results = search(http)
    assert 1 <= len(results) <= 10
    assert set(results[0]) == {
        "article_id",
        "chunk_id",
        "text",
        "start",
        "end",
        "score",
        "title",
        "source",
        "published_at",
    }
    assert http.post("/search", json={"query": "x", "top_k": 51}).status_code == 422
    bad = http.post("/search", json={"query": "x", "filters": {"published_after": "yesterday"}})
    assert bad.status_code == 422 and bad.json()["field"] == "filters.published_after"


def test_ask_honours_filters(http):
    body = http.post(
        "/ask",
        json={
            "question": "How many soldiers has Russia lost this year, according to Zelensky?",
            "filters": {"article_ids": [CNN]},
        },
    ).json()
    assert all(c["article_id"] == CNN for c in body["citations"])


def test_follow_up_is_rewritten_and_returned_as_query(http):
    history = [
        {
            "role": "user",
            "content": "How many soldiers has Russia lost this year, according to Zelensky?",
        },
        {"role": "assistant", "content": "400,000 [1]"},
    ]
    body = http.post("/ask", json={"question": "And each month?", "history": history}).json()
    assert "soldiers" in body["query"] and "each month" in body["query"]
    assert body["answered"] and "31,000" in body["answer"]


def test_as_of_is_an_iso_day_on_search_and_ask(http):
    bad = http.post("/search", json={"query": "x", "as_of": "last week"})
    assert bad.status_code == 422 and bad.json()["field"] == "as_of"
    bad = http.post("/ask", json={"question": "x", "as_of": "2025-02-30"})
    assert bad.status_code == 422 and bad.json()["field"] == "as_of"
    # Long after every seed article, no story is that week's: the ranking is unchanged.
    assert [r["chunk_id"] for r in search(http, as_of="2026-12-03")] == [
        r["chunk_id"] for r in search(http)
    ]
    # The day after the one dated seed article (UNN, 2025-02-05), its passages lead.
    asked = {"query": "Ukraine news"}
    assert search(http, **asked, as_of="2025-02-06")[0]["article_id"] == UNN
    assert search(http, **asked)[0]["article_id"] != UNN
