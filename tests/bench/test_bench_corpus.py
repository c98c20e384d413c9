"""The synthetic corpus is deterministic and ingestible; the bench store builder is consistent."""

from __future__ import annotations

import json

from bench import corpus
from bench.stores import build_vector_store, paragraph_chunks
from index.article_store import SqliteArticleStore
from index.chroma_store import ChromaChunkIndex
from index.loading import iter_sources
from index.records import SourceArticle
from rag.types import Article


def test_same_seed_same_bytes_and_other_seed_other_text(tmp_path):
    a = corpus.write_jsonl(tmp_path / "a.jsonl", 30, seed=7).read_bytes()
    b = corpus.write_jsonl(tmp_path / "b.jsonl", 30, seed=7).read_bytes()
    c = corpus.write_jsonl(tmp_path / "c.jsonl", 30, seed=8).read_bytes()
    assert a == b
    assert a != c
    assert corpus.queries(5, seed=1) == corpus.queries(5, seed=1)


def test_articles_are_distinct_and_read_as_records(tmp_path):
    path = corpus.write_jsonl(tmp_path / "c.jsonl", 50)
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert len({r["id"] for r in lines}) == 50
    assert len({r["text"] for r in lines}) == 50
    loaded = list(iter_sources([path]))
    assert all(isinstance(item, SourceArticle) for item in loaded)
    assert [item.id for item in loaded] == [r["id"] for r in lines]


def test_paragraph_chunks_slice_back_into_the_article():
    item = corpus.article(3)
    article = Article(item.id, item.text)
    chunks = paragraph_chunks(article, "h" * 64)
    assert len(chunks) == item.text.count("\n\n") + 1
    for chunk in chunks:
        assert article.text[chunk.start : chunk.end] == chunk.text
        assert chunk.content_hash == "h" * 64


def test_vector_store_rows_match_their_chunks(tmp_path):
    facts = build_vector_store(tmp_path, 60, flush_every=25)
    assert facts["chunks"] == 60
    articles = SqliteArticleStore(tmp_path / "articles.sqlite3")
    index = ChromaChunkIndex(tmp_path / "chroma", "newsdesk_chunks", "all-MiniLM-L6-v2", 384)
    versions = articles.current_versions(None)
    chunks = index.all_chunks()
    assert len(chunks) == 60
    assert all(versions[c.article_id] == c.content_hash for c in chunks)
    assert articles.count() == facts["articles"]
    articles.close()
