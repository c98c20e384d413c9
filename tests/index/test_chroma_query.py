"""`ChromaChunkIndex.query` asks Chroma for k results without counting the collection first."""

from __future__ import annotations

import numpy as np

from bench.stores import build_vector_store
from index.chroma_store import ChromaChunkIndex
from rag.types import Chunk


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


def unit(seed: int) -> np.ndarray:
    vector = np.random.default_rng(seed).standard_normal(384).astype(np.float32)
    return vector / np.linalg.norm(vector)


def test_kept_chunks_give_the_same_hits_as_reading_everything_from_chroma(tmp_path):
    build_vector_store(tmp_path, 40)
    index = ChromaChunkIndex(tmp_path / "chroma", "newsdesk_chunks", "all-MiniLM-L6-v2", 384)
    cold = [index.query(unit(seed), 10) for seed in range(5)]
    index.all_chunks()
    warm = [index.query(unit(seed), 10) for seed in range(5)]
    assert warm == cold
    res = index._collection.query(
        query_embeddings=[unit(0).tolist()],
        n_results=10,
        include=["documents", "metadatas", "distances"],
    )
    assert [(h.chunk.id, h.chunk.text, h.chunk.start) for h in warm[0]] == [
        (cid, doc, meta["start"])
        for cid, doc, meta in zip(
            res["ids"][0], res["documents"][0], res["metadatas"][0], strict=True
        )
    ]


def test_another_writer_is_seen_for_unversioned_ids_and_deletions(tmp_path):
    path = tmp_path / "chroma"
    reader = ChromaChunkIndex(path, "newsdesk_chunks", "all-MiniLM-L6-v2", 384)
    writer = ChromaChunkIndex(path, "newsdesk_chunks", "all-MiniLM-L6-v2", 384)
    vectors = np.stack([unit(1), unit(2)])
    unversioned = Chunk("a:0", "a", "old text", 0, 8)
    versioned = Chunk("b:h:0", "b", "kept", 0, 4, "h")
    writer.add([unversioned, versioned], vectors)
    assert {h.chunk.text for h in reader.query(unit(1), 5)} == {"old text", "kept"}
    writer.add([Chunk("a:0", "a", "new text", 0, 8)], vectors[:1])
    writer.delete_article("b")
    assert [h.chunk.text for h in reader.query(unit(1), 5)] == ["new text"]


def test_keep_only_removes_other_versions_of_many_articles_at_once(tmp_path):
    index = ChromaChunkIndex(tmp_path / "chroma", "newsdesk_chunks", "all-MiniLM-L6-v2", 384)
    chunks = [
        Chunk(f"{art}:{ver}:{n}", art, f"{art} {ver} {n}", 0, 5, ver)
        for art in ("a", "b", "c", "d")
        for ver in ("old", "new")
        for n in range(2)
    ]
    index.add(chunks, np.stack([unit(i) for i in range(len(chunks))]))
    index.keep_only({"a": "new", "b": None, "c": "gone"})
    assert sorted(index.ids()) == sorted(
        ["a:new:0", "a:new:1", "d:old:0", "d:old:1", "d:new:0", "d:new:1"]
    )
    index.keep_only({})
    index.delete_article("d", keep_hash="old")
    assert sorted(index.ids()) == ["a:new:0", "a:new:1", "d:old:0", "d:old:1"]
    assert {h.chunk.id for h in index.query(unit(0), 20)} == set(index.ids())
