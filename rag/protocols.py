"""The seams: one small Protocol per backend. The core imports none of the vendors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

from rag.types import Article, ArticleRecord, Chunk, ScoredChunk, SearchFilters


class Embedder(Protocol):
    name: str
    dimension: int
    max_tokens: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-normalised embeddings, one row per text."""
        ...

    def count_tokens(self, text: str) -> int: ...


class PlaceNames(Protocol):
    def is_city(self, name: str) -> bool:
        """Whether `name` (any case) is a city's name."""
        ...


class ChunkIndex(Protocol):
    def add(self, chunks: Sequence[Chunk], embeddings: np.ndarray) -> None: ...

    def delete_article(self, article_id: str) -> None: ...

    def query(
        self, embedding: np.ndarray, k: int, article_ids: set[str] | None = None
    ) -> list[ScoredChunk]:
        """Nearest chunks, optionally only from `article_ids`."""
        ...

    def all_chunks(self) -> list[Chunk]: ...

    def count(self) -> int: ...


class ArticleStore(Protocol):
    def put(self, article: Article) -> None: ...

    def record(self, article_id: str) -> ArticleRecord | None:
        """The catalogue entry (raw text, content hash, chunk count) of one article."""
        ...

    def records(self) -> list[ArticleRecord]: ...

    def get(self, article_id: str) -> Article | None: ...

    def list(self) -> list[Article]: ...

    def count(self) -> int: ...

    def find_ids(self, filters: SearchFilters) -> set[str]: ...


class ChatModel(Protocol):
    name: str

    def complete_json(
        self, messages: list[dict[str, str]], schema: dict[str, Any], max_tokens: int
    ) -> tuple[dict[str, Any], int]:
        """Return the parsed JSON object and the prompt token count; raise UpstreamError."""
        ...

    def yes_probability(self, messages: list[dict[str, str]]) -> float | None:
        """P("yes") against P("no") as the model's next token after `messages`, from the
        server's log-probabilities; None when it gives none. Raise UpstreamError."""
        ...
