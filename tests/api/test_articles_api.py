"""POST /articles and DELETE /articles/{id} over a real socket (real MiniLM, real Chroma)."""

import json
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from rag.settings import Settings

pytestmark = pytest.mark.integration

CORPUS = Path(__file__).resolve().parents[1] / "eval" / "data" / "multihop_corpus.json"

STADIUM = {
    "id": "stadium-1",
    "title": "City council approves new stadium",
    "source": "Metro Daily",
    "published_at": "2023-10-02",
    "author": "Sam Ortiz",
    "body": (
        "The city council voted 7-2 on Monday to approve a new stadium.\n\nAdvertisement\n\n"
        "The project will cost about four hundred million dollars and seat 40,000 fans."
    ),
}


@pytest.fixture(scope="module")
def http(tmp_path_factory, uvicorn_thread):
    data_dir = tmp_path_factory.mktemp("articles-api")
    settings = Settings(data_dir=data_dir, seed_dir=None, answer_mode="extractive")
    with uvicorn_thread(create_app(settings)) as url, httpx.Client(base_url=url, timeout=60) as c:
        yield c


def test_post_one_article_stores_clean_text_and_raw_for_audit(http):
    r = http.post("/articles", json=STADIUM)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["added"] == 1 and body["chunks"] >= 1 and body["embedded"] == body["chunks"]
    assert body["articles"] == [
        {"id": "stadium-1", "status": "added", "duplicate_of": None, "chunks": body["chunks"]}
    ]
    article = http.get("/articles/stadium-1").json()
    assert "Advertisement" not in article["text"]
    assert article["author"] == "Sam Ortiz" and article["published_at"] == "2023-10-02"
    audit = http.get("/articles/stadium-1/raw").json()
    assert audit["raw_text"] == STADIUM["body"] and len(audit["content_hash"]) == 64


def test_posting_the_same_article_again_changes_nothing(http):
    http.post("/articles", json=STADIUM)
    body = http.post("/articles", json=[STADIUM]).json()
    assert (body["unchanged"], body["added"], body["embedded"]) == (1, 0, 0)


def test_search_offsets_point_into_the_stored_text(http):
    http.post("/articles", json=STADIUM)
    hits = http.post("/search", json={"query": "stadium seats how many fans"}).json()["results"]
    hit = next(h for h in hits if h["article_id"] == "stadium-1")
    text = http.get("/articles/stadium-1").json()["text"]
    assert text[hit["start"] : hit["end"]] == hit["text"]


def test_a_multihop_corpus_posts_as_is(http):
    records = json.loads(CORPUS.read_text())
    body = http.post("/articles", json=records).json()
    ids = [a["id"] for a in body["articles"]]
    assert len(ids) == len(records) and all(i.startswith("mh_") for i in ids)
    assert http.get(f"/articles/{ids[0]}").json()["source"] == "The Circuit Desk"


def test_delete_removes_the_article_and_its_passages(http):
    http.post("/articles", json={**STADIUM, "id": "to-delete"})
    assert http.delete("/articles/to-delete").status_code == 204
    assert http.get("/articles/to-delete").status_code == 404
    hits = http.post("/search", json={"query": "stadium 40,000 fans", "top_k": 50}).json()
    assert all(h["article_id"] != "to-delete" for h in hits["results"])


def test_deleting_an_unknown_article_is_a_json_404(http):
    r = http.delete("/articles/never-was")
    assert r.status_code == 404 and r.json()["error"] == "NotFound"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": "No body"}, "body"),
        ({"id": "x", "body": ""}, "body"),
        ({"body": "Text without any id, url or title."}, "id"),
        ({"id": "bad id/with slash", "body": "Text."}, "id"),
        ({"id": "x", "body": "Text.", "published_at": "last Tuesday"}, "published_at"),
        ({"id": "x", "body": "Text.", "titel": "typo"}, "titel"),
        ({"id": "x", "body": "Advertisement"}, "body"),
        ([STADIUM, {"id": "y", "body": "Fine."}, {"id": "z"}], "2.body"),
        ([], None),
        ("just a string", None),
    ],
)
def test_bad_articles_are_a_422_naming_the_field_and_nothing_is_stored(http, payload, field):
    before = len(http.get("/articles").json())
    r = http.post("/articles", json=payload)
    assert r.status_code == 422, r.text
    assert r.json()["field"] == field
    assert len(http.get("/articles").json()) == before


def test_write_routes_are_documented_behind_the_writer_dependency(http):
    paths = http.get("/openapi.json").json()["paths"]
    assert "requestBody" in paths["/articles"]["post"]
    assert "delete" in paths["/articles/{article_id}"]
