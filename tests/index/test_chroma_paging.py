"""`all_chunks` reads the collection page by page (one unbounded get fails past ~32k chunks)."""

from __future__ import annotations

import index.chroma_store as chroma_store
from bench.stores import build_vector_store
from index.chroma_store import ChromaChunkIndex


def test_all_chunks_pages_through_the_whole_collection(tmp_path, monkeypatch):
    build_vector_store(tmp_path, 23, flush_every=10)
    monkeypatch.setattr(chroma_store, "_PAGE", 7)
    index = ChromaChunkIndex(tmp_path / "chroma", "newsdesk_chunks", "all-MiniLM-L6-v2", 384)
    chunks = index.all_chunks()
    assert len(chunks) == len({c.id for c in chunks}) == 23
    assert chunks == sorted(chunks, key=lambda c: (c.article_id, c.start))
