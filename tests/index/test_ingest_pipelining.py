"""Embedding runs one batch ahead on a worker thread; what is stored must not change."""

import threading

from index.article_store import SqliteArticleStore
from index.chroma_store import ChromaChunkIndex
from index.ingest import Ingestor
from rag.types import Article

ARTICLES = [
    Article(f"a{i}", f"Report {i} on the harbour. The council met on day {i}. Talks went on.")
    for i in range(6)
]


def make_ingestor(tmp_path, embedder, **kw):
    articles = SqliteArticleStore(tmp_path / "articles.sqlite3")
    chunks = ChromaChunkIndex(tmp_path / "chroma", "chunks", embedder.name, embedder.dimension)
    return Ingestor(embedder, articles, chunks, **kw), articles, chunks


class OverlapProbe:
    """Wraps an embedder; the first embed waits until the next batch is being chunked."""

    def __init__(self, inner):
        self._inner = inner
        self.name, self.dimension, self.max_tokens = inner.name, inner.dimension, inner.max_tokens
        self.embedding = threading.Event()
        self.chunked_meanwhile = threading.Event()
        self.embed_threads: list[str] = []

    def embed(self, texts):
        self.embed_threads.append(threading.current_thread().name)
        if len(self.embed_threads) == 1:
            self.embedding.set()
            self.chunked_meanwhile.wait(timeout=10)
            self.embedding.clear()
        return self._inner.embed(texts)

    def count_tokens(self, text):
        if self.embedding.is_set():
            self.chunked_meanwhile.set()
        return self._inner.count_tokens(text)


def test_the_next_batch_is_chunked_while_one_is_embedded(tmp_path, hashing_embedder):
    probe = OverlapProbe(hashing_embedder)
    ingestor, articles, chunks = make_ingestor(tmp_path, probe, batch_chunks=1)
    summary = ingestor.ingest(ARTICLES)
    assert probe.chunked_meanwhile.is_set()
    assert threading.current_thread().name not in probe.embed_threads
    assert summary.added == len(ARTICLES) and articles.count() == len(ARTICLES)
    assert chunks.count() == summary.chunks == sum(r.chunks for r in articles.records())


def stored(articles, chunks):
    rows = {r.article.id: (r.article.text, r.content_hash, r.chunks) for r in articles.records()}
    return rows, sorted((c.id, c.text, c.start, c.end) for c in chunks.all_chunks())


def test_a_record_repeated_across_batches_in_flight_ends_as_the_later_one(
    tmp_path, hashing_embedder
):
    newer = Article("a1", "Report 1 changed. The harbour reopened on Monday. Nobody objected.")
    records = [*ARTICLES[:2], newer, *ARTICLES[2:]]  # a1 still embedding when newer comes
    pipelined, articles, chunks = make_ingestor(tmp_path / "one", hashing_embedder, batch_chunks=1)
    summary = pipelined.ingest(records)
    assert [(o.article_id, o.status) for o in summary.outcomes][:3] == [
        ("a0", "added"),
        ("a1", "added"),
        ("a1", "updated"),
    ]
    assert articles.get("a1").text == newer.text
    assert chunks.count() == sum(r.chunks for r in articles.records())

    whole, articles_w, chunks_w = make_ingestor(tmp_path / "all", hashing_embedder)
    whole.ingest(records)
    assert stored(articles, chunks) == stored(articles_w, chunks_w)
