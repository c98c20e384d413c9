"""`ChromaChunkIndex.query` asks Chroma for k results without counting the collection first."""

from __future__ import annotations

import numpy as np

from bench.stores import build_vector_store
from index.chroma_store import ChromaChunkIndex


def test_asking_for_more_than_stored_returns_everything_in_order(tmp_path):
    build_vector_store(tmp_path, 12)
    index = ChromaChunkIndex(tmp_path / "chroma", "newsdesk_chunks", "all-MiniLM-L6-v2", 384)
    rng = np.random.default_rng(1)
    for _ in range(5):
        vector = rng.standard_normal(384).astype(np.float32)
        vector /= np.linalg.norm(vector)
        exact = index.query(vector, 12)
        more = index.query(vector, 38)
        assert len(exact) == 12
        assert [(h.chunk, h.score) for h in more] == [(h.chunk, h.score) for h in exact]
        assert [h.score for h in more] == sorted((h.score for h in more), reverse=True)
        some = {exact[0].chunk.article_id}
        only = index.query(vector, 38, article_ids=some)
        assert only and {h.chunk.article_id for h in only} == some


def test_an_empty_collection_or_filter_finds_nothing(tmp_path):
    index = ChromaChunkIndex(tmp_path / "chroma", "newsdesk_chunks", "all-MiniLM-L6-v2", 384)
    vector = np.ones(384, dtype=np.float32) / np.sqrt(384)
    assert index.query(vector, 10) == []
    build_vector_store(tmp_path / "filled", 3)
    filled = ChromaChunkIndex(
        tmp_path / "filled" / "chroma", "newsdesk_chunks", "all-MiniLM-L6-v2", 384
    )
    assert filled.query(vector, 10, article_ids=set()) == []
    assert len(filled.query(vector, 10)) == 3
