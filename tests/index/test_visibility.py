"""Readers see only chunks of each article's current version (pure, with fakes)."""

import numpy as np

from index.chunking import chunk_article
from index.visibility import CurrentChunks, CurrentVersionRetriever
from rag.types import Article, Chunk, ScoredChunk


def chunk(article_id: str, version: str | None, n: int = 0) -> Chunk:
    return Chunk(f"{article_id}:{version}:{n}", article_id, f"text {n}", 0, 6, version)


class FakeIndex:
    def __init__(self, chunks):
        self.chunks = chunks
        self.asked = []

    def query(self, embedding, k, article_ids=None):
        self.asked.append((k, article_ids))
        found = [c for c in self.chunks if article_ids is None or c.article_id in article_ids]
        return [ScoredChunk(c, 1.0) for c in found][:k]

    def all_chunks(self):
        return list(self.chunks)

    def count(self):
        return len(self.chunks)


def versions_of(current: dict):
    return lambda ids: (
        dict(current) if ids is None else {i: current[i] for i in ids if i in current}
    )


def test_only_chunks_of_the_current_version_are_seen():
    index = FakeIndex([chunk("a", "v1"), chunk("a", "v2"), chunk("b", "w1"), chunk("gone", "x")])
    view = CurrentChunks(index, versions_of({"a": "v2", "b": "w1"}))
    assert [c.id for c in view.all_chunks()] == ["a:v2:0", "b:w1:0"]
    assert [h.chunk.id for h in view.query(np.zeros(3), 5)] == ["a:v2:0", "b:w1:0"]
    assert [h.chunk.id for h in view.query(np.zeros(3), 5, article_ids={"b"})] == ["b:w1:0"]
    assert index.asked[-1][1] == {"b"} and view.count() == 4


def test_chunks_of_unversioned_rows_stay_visible_for_stores_built_before_versions():
    view = CurrentChunks(FakeIndex([chunk("old", None)]), versions_of({"old": None}))
    assert len(view.all_chunks()) == 1


class FakeRetriever:
    def __init__(self, hits):
        self.hits, self.calls, self.invalidated = hits, [], 0

    def search(self, query, k, query_embedding=None, filters=None):
        self.calls.append((k, query_embedding, filters))
        return self.hits[:k]

    def invalidate(self):
        self.invalidated += 1

    def vocabulary(self):
        return {"word"}


def test_stale_results_of_a_cached_lexical_index_are_dropped_and_k_still_filled():
    hits = [ScoredChunk(chunk("a", "v1", n), 1.0) for n in range(3)]
    hits += [ScoredChunk(chunk("a", "v2", n), 0.5) for n in range(5)]
    inner = FakeRetriever(hits)
    retriever = CurrentVersionRetriever(inner, versions_of({"a": "v2"}))
    found = retriever.search("q", 4, filters="f")
    assert [h.chunk.content_hash for h in found] == ["v2"] * 4
    assert inner.calls[0][0] > 4 and inner.calls[0][2] == "f"
    retriever.invalidate()
    assert inner.invalidated == 1 and retriever.vocabulary() == {"word"}


def test_versioned_chunk_ids_name_the_version():
    article = Article("x", "One sentence. Another sentence.")
    [c] = chunk_article(article, lambda t: len(t.split()), 64, 0, content_hash="ab" * 32)
    assert c.id == "x:" + "ab" * 6 + ":0" and c.content_hash == "ab" * 32


def test_the_lexical_index_is_rebuilt_after_another_process_wrote_the_catalogue():
    inner, version = FakeRetriever([]), [1]
    retriever = CurrentVersionRetriever(inner, versions_of({}), lambda: version[0])
    retriever.search("q", 3)
    assert inner.invalidated == 0
    version[0] = 2
    retriever.vocabulary()
    assert inner.invalidated == 1
