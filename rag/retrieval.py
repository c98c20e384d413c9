"""Hybrid retrieval: dense neighbours from the chunk index fused with BM25 by rank."""

from __future__ import annotations

import threading

import bm25s
import numpy as np

from rag.fusion import fuse_rankings
from rag.protocols import ChunkIndex, Embedder
from rag.terms import STOPWORDS, tokens
from rag.types import Chunk, ScoredChunk


def _bm25_tokens(text: str) -> list[str]:
    return [t for t in tokens(text) if t not in STOPWORDS] or ["\u0000"]


class LexicalIndex:
    """BM25 over every chunk, rebuilt from the chunk index after it changes."""

    def __init__(self, chunks: list[Chunk]):
        self.chunks = chunks
        self.vocabulary = {t for c in chunks for t in tokens(c.text)}
        self._bm25 = bm25s.BM25()
        if chunks:
            self._bm25.index([_bm25_tokens(c.text) for c in chunks], show_progress=False)

    def search(self, query: str, k: int) -> list[Chunk]:
        if not self.chunks:
            return []
        k = min(k, len(self.chunks))
        ids, scores = self._bm25.retrieve([_bm25_tokens(query)], k=k, show_progress=False)
        return [self.chunks[i] for i, s in zip(ids[0], scores[0], strict=True) if s > 0]


class HybridRetriever:
    """Finds the chunks most likely to answer a query (dense + BM25, reciprocal rank fusion)."""

    def __init__(self, embedder: Embedder, index: ChunkIndex, depth: int = 30):
        self._embedder = embedder
        self._index = index
        self._depth = depth
        self._lexical: LexicalIndex | None = None
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        """Call after the chunk index changed, so BM25 is rebuilt on the next query."""
        with self._lock:
            self._lexical = None

    def _lexical_index(self) -> LexicalIndex:
        with self._lock:
            if self._lexical is None:
                self._lexical = LexicalIndex(self._index.all_chunks())
            return self._lexical

    def vocabulary(self) -> set[str]:
        """Every token in the stored chunks (for spotting questions about absent topics)."""
        return self._lexical_index().vocabulary

    def embed_query(self, query: str) -> np.ndarray:
        return self._embedder.embed([query])[0]

    def search(
        self, query: str, k: int, query_embedding: np.ndarray | None = None
    ) -> list[ScoredChunk]:
        """Top `k` chunks, best first; `score` is the fused reciprocal-rank score."""
        if query_embedding is None:
            query_embedding = self.embed_query(query)
        dense = self._index.query(query_embedding, self._depth)
        lexical = self._lexical_index().search(query, self._depth)
        by_id = {sc.chunk.id: sc.chunk for sc in dense} | {c.id: c for c in lexical}
        fused = fuse_rankings([[sc.chunk.id for sc in dense], [c.id for c in lexical]])
        return [ScoredChunk(by_id[cid], score) for cid, score in fused[:k]]
