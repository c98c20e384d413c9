"""What readers see: only chunks of each article's current version (see `index.ingest`).

Ingestion writes a new version's chunks before it switches the article row and deletes
the old chunks afterwards, so for a moment the chunk index holds both; after a crash it
may hold chunks of a version that never became current. These views drop every chunk
whose content hash is not the one its article row holds (and chunks of duplicates,
which have no current version), so a reader never sees a mix of versions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from rag.protocols import ChunkIndex
from rag.types import Chunk, ScoredChunk

Versions = Callable[[Iterable[str] | None], dict[str, str | None]]

# Extra results asked from the inner index so that dropping stale ones still leaves k.
_SLACK = 8


def is_current(chunk: Chunk, versions: dict[str, str | None]) -> bool:
    return chunk.article_id in versions and versions[chunk.article_id] == chunk.content_hash


class CurrentChunks:
    """A `ChunkIndex` view that hides chunks of versions that are not current."""

    def __init__(self, index: ChunkIndex, versions: Versions):
        self._index = index
        self._versions = versions

    def query(
        self, embedding: np.ndarray, k: int, article_ids: set[str] | None = None
    ) -> list[ScoredChunk]:
        extra = {} if article_ids is None else {"article_ids": article_ids}
        hits = self._index.query(embedding, k + _SLACK, **extra)
        versions = self._versions({h.chunk.article_id for h in hits})
        return [h for h in hits if is_current(h.chunk, versions)][:k]

    def all_chunks(self) -> list[Chunk]:
        versions = self._versions(None)
        return [c for c in self._index.all_chunks() if is_current(c, versions)]

    def count(self) -> int:
        return self._index.count()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._index, name)


class CurrentVersionRetriever:
    """Wraps the hybrid retriever so that its results are current versions only.

    The lexical index is built once and reused until `invalidate`, so while an ingest is
    switching rows it can still hold the previous version's chunks: results are checked
    against the article rows again before they are returned. With `store_version` (a number
    that changes when another process writes the catalogue, e.g. a second worker over a
    Chroma server), the lexical index is also rebuilt after such outside changes.
    """

    def __init__(
        self, inner: Any, versions: Versions, store_version: Callable[[], int] | None = None
    ):
        self._inner = inner
        self._versions = versions
        self._store_version = store_version
        self._seen = store_version() if store_version else None

    def search(self, query: str, k: int, *args: Any, **kwargs: Any) -> list[ScoredChunk]:
        self._notice_outside_changes()
        hits = self._inner.search(query, k + _SLACK, *args, **kwargs)
        versions = self._versions({h.chunk.article_id for h in hits})
        return [h for h in hits if is_current(h.chunk, versions)][:k]

    def vocabulary(self) -> set[str]:
        self._notice_outside_changes()
        return self._inner.vocabulary()

    def invalidate(self) -> None:
        self._inner.invalidate()

    def _notice_outside_changes(self) -> None:
        if self._store_version is None:
            return
        now = self._store_version()
        if now != self._seen:
            self._seen = now
            self._inner.invalidate()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)
