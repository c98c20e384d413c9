"""Data safety under concurrency: real Chroma, real MiniLM, threads racing on one store."""

import threading

import pytest

from rag.assembly import start_runtime
from rag.types import Article

pytestmark = pytest.mark.integration

ALPHA = " ".join(
    f"Alpha report {i} says the alpha convoy reached alpha town {i}." for i in range(12)
)
BETA = " ".join(f"Beta bulletin {i} says the beta convoy left beta city {i}." for i in range(12))


@pytest.fixture
def newsdesk(tmp_path, make_settings, real_embedder):
    settings = make_settings(tmp_path, answer_mode="extractive")
    rt = start_runtime(settings, embedder=real_embedder)
    yield rt.newsdesk
    rt.close()


def test_concurrent_ingests_of_one_article_do_not_duplicate_it(newsdesk):
    errors = []

    def ingest():
        try:
            newsdesk.ingest([Article("same", ALPHA)])
        except Exception as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=ingest) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert [a.id for a in newsdesk.articles.list()] == ["same"]
    hits = newsdesk.search("alpha convoy", 50)
    texts = [h.chunk.text for h in hits]
    assert len(texts) == len(set(texts))  # no chunk stored twice
    assert all(
        newsdesk.article("same").text[h.chunk.start : h.chunk.end] == h.chunk.text for h in hits
    )


def test_queries_during_updates_never_see_half_an_article(newsdesk):
    newsdesk.ingest([Article("story", ALPHA)])
    stop = threading.Event()
    mixed, seen = [], set()
    searches = threading.Condition()
    done = [0]

    def query():
        while not stop.is_set():
            hits = [
                h
                for h in newsdesk.search("convoy report bulletin", 20)
                if h.chunk.article_id == "story"
            ]
            kinds = {"alpha" if "Alpha" in h.chunk.text else "beta" for h in hits}
            seen.update(kinds)
            if len(kinds) > 1:
                mixed.append([h.chunk.text[:30] for h in hits])
            with searches:
                done[0] += 1
                searches.notify_all()

    def reader_searched_after_this_update() -> None:
        # Two searches: the one running during the update may have begun before it. The
        # first search after an update rebuilds the indexes, so an update can otherwise come
        # and go before the reader looks.
        with searches:
            target = done[0] + 2
            assert searches.wait_for(lambda: done[0] >= target, timeout=60)

    reader = threading.Thread(target=query)
    reader.start()
    try:
        for i in range(6):
            newsdesk.ingest([Article("story", BETA if i % 2 == 0 else ALPHA)])
            reader_searched_after_this_update()
    finally:
        stop.set()
        reader.join()
    assert mixed == []
    assert seen == {"alpha", "beta"}  # the reader really saw both versions
