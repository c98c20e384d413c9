"""Ingestion: chunk, embed and store articles so that both stores agree."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from index.chunking import chunk_article
from rag.protocols import ArticleStore, ChunkIndex, Embedder
from rag.types import Article


@dataclass
class IngestSummary:
    articles: int = 0
    chunks: int = 0
    seconds: float = 0.0

    @property
    def chunks_per_second(self) -> float:
        return self.chunks / self.seconds if self.seconds else 0.0


class Ingestor:
    """Writes articles: chunks into the index first, then the article row that makes it visible."""

    def __init__(
        self,
        embedder: Embedder,
        articles: ArticleStore,
        chunks: ChunkIndex,
        max_tokens: int = 128,
        overlap_sentences: int = 1,
    ):
        self._embedder = embedder
        self._articles = articles
        self._chunks = chunks
        self._max_tokens = min(max_tokens, embedder.max_tokens)
        self._overlap = overlap_sentences

    def ingest(self, articles: Iterable[Article]) -> IngestSummary:
        summary = IngestSummary()
        started = time.perf_counter()
        for article in articles:
            chunks = chunk_article(
                article, self._embedder.count_tokens, self._max_tokens, self._overlap
            )
            embeddings = self._embedder.embed([c.text for c in chunks])
            self._chunks.delete_article(article.id)
            self._chunks.add(chunks, embeddings)
            self._articles.put(article)
            summary.articles += 1
            summary.chunks += len(chunks)
        summary.seconds = time.perf_counter() - started
        return summary
