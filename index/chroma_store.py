"""Chroma adapter for the `ChunkIndex` protocol."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from rag.errors import ConfigError
from rag.types import Chunk, ScoredChunk


class ChromaChunkIndex:
    """Chunks and their embeddings in a persistent Chroma collection (cosine space).

    The collection records the embedding model it was built with; opening it with a
    different model raises `ConfigError` instead of returning meaningless neighbours.
    """

    def __init__(self, path: Path, collection: str, embedding_model: str, dimension: int):
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        path.mkdir(parents=True, exist_ok=True)
        self._client = chromadb.PersistentClient(
            path=str(path), settings=ChromaSettings(anonymized_telemetry=False)
        )
        self._collection = self._client.get_or_create_collection(
            name=collection,
            metadata={
                "hnsw:space": "cosine",
                "embedding_model": embedding_model,
                "dimension": dimension,
            },
            embedding_function=None,
        )
        built_with = (self._collection.metadata or {}).get("embedding_model")
        if built_with != embedding_model:
            raise ConfigError(
                f"the store at {path} was built with embedding model {built_with!r}, "
                f"but {embedding_model!r} is configured; re-ingest into a new data dir "
                "or configure the original model"
            )

    def add(self, chunks: Sequence[Chunk], embeddings: np.ndarray) -> None:
        if not chunks:
            return
        self._collection.upsert(
            ids=[c.id for c in chunks],
            documents=[c.text for c in chunks],
            embeddings=embeddings.tolist(),
            metadatas=[
                {"article_id": c.article_id, "start": c.start, "end": c.end} for c in chunks
            ],
        )

    def delete_article(self, article_id: str) -> None:
        self._collection.delete(where={"article_id": article_id})

    def query(self, embedding: np.ndarray, k: int) -> list[ScoredChunk]:
        n = min(k, self.count())
        if n == 0:
            return []
        res = self._collection.query(
            query_embeddings=[embedding.tolist()],
            n_results=n,
            include=["documents", "metadatas", "distances"],
        )
        return [
            ScoredChunk(_chunk(cid, doc, meta), 1.0 - float(dist))
            for cid, doc, meta, dist in zip(
                res["ids"][0],
                res["documents"][0],
                res["metadatas"][0],
                res["distances"][0],
                strict=True,
            )
        ]

    def all_chunks(self) -> list[Chunk]:
        res = self._collection.get(include=["documents", "metadatas"])
        chunks = [
            _chunk(cid, doc, meta)
            for cid, doc, meta in zip(res["ids"], res["documents"], res["metadatas"], strict=True)
        ]
        return sorted(chunks, key=lambda c: (c.article_id, c.start))

    def count(self) -> int:
        return self._collection.count()


def _chunk(chunk_id: str, text: str, meta: dict) -> Chunk:
    return Chunk(
        id=chunk_id,
        article_id=str(meta["article_id"]),
        text=text,
        start=int(meta["start"]),
        end=int(meta["end"]),
    )
