"""Ingestion into a real Chroma store with the real embedding model."""

import pytest

from index.article_store import SqliteArticleStore
from index.chroma_store import ChromaChunkIndex
from index.ingest import Ingestor
from index.loading import iter_article_files, load_article
from rag.errors import ConfigError
from rag.types import Article

pytestmark = pytest.mark.integration


def _ingestor(tmp_path, embedder):
    articles = SqliteArticleStore(tmp_path / "a.sqlite3")
    chunks = ChromaChunkIndex(tmp_path / "chroma", "chunks", embedder.name, embedder.dimension)
    return Ingestor(embedder, articles, chunks, max_tokens=128), articles, chunks


def test_seed_chunks_fit_the_embedding_window_and_slice_back(tmp_path, real_embedder, seeds_dir):
    ingestor, articles, chunks = _ingestor(tmp_path, real_embedder)
    summary = ingestor.ingest(load_article(p) for p in iter_article_files([seeds_dir]))
    assert summary.articles == 5 and articles.count() == 5
    stored = chunks.all_chunks()
    assert len(stored) == summary.chunks >= 10
    for c in stored:
        assert articles.get(c.article_id).text[c.start : c.end] == c.text
        assert real_embedder.count_tokens(c.text) <= real_embedder.max_tokens


def test_reingesting_an_article_replaces_its_chunks(tmp_path, real_embedder):
    ingestor, _, chunks = _ingestor(tmp_path, real_embedder)
    long = Article("x", "One sentence here. " * 40)
    ingestor.ingest([long])
    ingestor.ingest([Article("x", "Now it is short.")])
    assert [c.text for c in chunks.all_chunks()] == ["Now it is short."]


def test_store_refuses_a_different_embedding_model(tmp_path, real_embedder):
    ChromaChunkIndex(tmp_path / "chroma", "chunks", real_embedder.name, real_embedder.dimension)
    with pytest.raises(ConfigError, match="all-MiniLM-L6-v2"):
        ChromaChunkIndex(tmp_path / "chroma", "chunks", "other-model", 384)


def test_dense_query_finds_the_casualty_passage(tmp_path, real_embedder, seeds_dir):
    ingestor, _, chunks = _ingestor(tmp_path, real_embedder)
    ingestor.ingest(load_article(p) for p in iter_article_files([seeds_dir]))
    vector = real_embedder.embed(["How many soldiers has Russia lost this year?"])[0]
    top = chunks.query(vector, 3)
    assert any("400,000" in sc.chunk.text for sc in top)
    assert all(-1.0 <= sc.score <= 1.0 for sc in top)


def test_sidecar_metadata_is_attached_to_the_article(seeds_dir):
    article = load_article(seeds_dir / "002_c788a5a7159858c4.txt")
    assert article.source == "CNN"
    assert article.title.startswith("Zelensky wants to")
    assert load_article(seeds_dir / "001_422b58984ffd6ea4.txt").published_at == "2025-02-05"
