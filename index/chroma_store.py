"""Chroma adapter for the `ChunkIndex` protocol."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from rag.errors import ConfigError
from rag.types import Chunk, ScoredChunk


class ChromaChunkIndex:
    """Chunks and their embeddings in a persistent Chroma collection (cosine space).

    The collection records the embedding model it was built with; opening it with a
    different model raises `ConfigError` instead of returning meaningless neighbours.

    Chunks read once are kept by id, so a query asks Chroma only for ids and distances
    (fetching texts and metadata was 3/4 of a query at 100k chunks). Only ids that name an
    article version (`id:hash12:n`, see `index.chunking`) are kept: such an id always holds
    the same text and offsets, whichever process wrote it.
    """

    def __init__(
        self,
        path: Path,
        collection: str,
        embedding_model: str,
        dimension: int,
        url: str | None = None,
    ):
        """Open the store at `path`, or on the Chroma server at `url` (`chroma run`) when given."""
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        if url:
            self._client = _http_client(url, chroma_settings)
        else:
            path.mkdir(parents=True, exist_ok=True)
            self._client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
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
                f"the store at {url or path} was built with embedding model {built_with!r}, "
                f"but {embedding_model!r} is configured; re-ingest into a new data dir "
                "or configure the original model"
            )
        self._known: dict[str, Chunk] = {}

    def add(
        self,
        chunks: Sequence[Chunk],
        embeddings: np.ndarray,
        article_meta: Mapping[str, Mapping[str, str | None]] | None = None,
    ) -> None:
        """Upsert chunks with their offsets, version and (optionally) their article's metadata."""
        if not chunks:
            return
        for chunk in chunks:
            self._known.pop(chunk.id, None)
        step = self._client.get_max_batch_size()
        for i in range(0, len(chunks), step):
            part = chunks[i : i + step]
            self._collection.upsert(
                ids=[c.id for c in part],
                documents=[c.text for c in part],
                embeddings=embeddings[i : i + step].tolist(),
                metadatas=[_metadata(c, (article_meta or {}).get(c.article_id)) for c in part],
            )

    def delete_article(self, article_id: str, keep_hash: str | None = None) -> None:
        """Remove an article's chunks, except those of version `keep_hash` when given."""
        self.keep_only({article_id: keep_hash})

    def keep_only(self, versions: Mapping[str, str | None]) -> None:
        """For each article, remove every chunk not of the version given (None: remove all);
        one read and one delete for all of them."""
        if not versions:
            return
        ids = list(versions)
        where = {"article_id": ids[0]} if len(ids) == 1 else {"article_id": {"$in": ids}}
        found = self._collection.get(where=where, include=["metadatas"])
        stale = []
        for cid, meta in zip(found["ids"], found["metadatas"], strict=True):
            keep = versions.get((meta or {}).get("article_id"))
            if keep is None or (meta or {}).get("content_hash") != keep:
                stale.append(cid)
        step = self._client.get_max_batch_size()
        for i in range(0, len(stale), step):
            self._collection.delete(ids=stale[i : i + step])
        for cid in stale:
            self._known.pop(cid, None)

    def vectors(self, article_id: str, content_hash: str | None) -> dict[str, np.ndarray]:
        """Embeddings of one article version's chunks by chunk text (to reuse on updates)."""
        if content_hash is None:
            return {}
        found = self._collection.get(
            where={"$and": [{"article_id": article_id}, {"content_hash": content_hash}]},
            include=["documents", "embeddings"],
        )
        return {
            doc: np.asarray(vec, dtype=np.float32)
            for doc, vec in zip(found["documents"], found["embeddings"], strict=True)
        }

    def ids(self) -> list[str]:
        return sorted(self._collection.get(include=[])["ids"])

    def query(
        self, embedding: np.ndarray, k: int, article_ids: set[str] | None = None
    ) -> list[ScoredChunk]:
        """Nearest chunks, best first, optionally only from `article_ids`."""
        # No count() first (~11 ms at 100k chunks): Chroma returns every chunk there is when
        # asked for more, in the same order as when asked for exactly that many.
        if k <= 0 or (article_ids is not None and not article_ids):
            return []
        where = None if article_ids is None else {"article_id": {"$in": sorted(article_ids)}}
        res = self._collection.query(
            query_embeddings=[embedding.tolist()],
            n_results=k,
            where=where,
            include=["distances"],
        )
        ids, distances = res["ids"][0], res["distances"][0]
        chunks = self._read(ids)
        # A chunk deleted between the query and the read is gone: it is not returned.
        return [
            ScoredChunk(chunks[cid], 1.0 - float(dist))
            for cid, dist in zip(ids, distances, strict=True)
            if cid in chunks
        ]

    def _read(self, ids: Sequence[str]) -> dict[str, Chunk]:
        """The chunks with these ids: kept ones from memory, the others from Chroma."""
        known = self._known
        found = {cid: chunk for cid in ids if (chunk := known.get(cid)) is not None}
        missing = [cid for cid in ids if cid not in found]
        if missing:
            res = self._collection.get(ids=missing, include=["documents", "metadatas"])
            for cid, doc, meta in zip(res["ids"], res["documents"], res["metadatas"], strict=True):
                chunk = _chunk(cid, doc, meta)
                found[cid] = chunk
                if chunk.content_hash:
                    known[cid] = chunk
        return found

    def all_chunks(self) -> list[Chunk]:
        # Paged: one unbounded get() fails past ~32k chunks ("too many SQL variables").
        chunks: list[Chunk] = []
        for offset in range(0, self.count(), _PAGE):
            res = self._collection.get(
                include=["documents", "metadatas"], limit=_PAGE, offset=offset
            )
            chunks += [
                _chunk(cid, doc, meta)
                for cid, doc, meta in zip(
                    res["ids"], res["documents"], res["metadatas"], strict=True
                )
            ]
        self._known = {c.id: c for c in chunks if c.content_hash}
        return sorted(chunks, key=lambda c: (c.article_id, c.start))

    def count(self) -> int:
        return self._collection.count()


_PAGE = 5000


def _http_client(url: str, chroma_settings):
    """A `chromadb.HttpClient` for `http(s)://host:port`; unreachable servers are a ConfigError."""
    from urllib.parse import urlsplit

    import chromadb

    parts = urlsplit(url if "://" in url else f"http://{url}")
    ssl = parts.scheme == "https"
    try:
        return chromadb.HttpClient(
            host=parts.hostname or "localhost",
            port=parts.port or (443 if ssl else 8000),
            ssl=ssl,
            settings=chroma_settings,
        )
    except Exception as exc:  # chromadb raises plain ValueError/ConnectionError variants
        raise ConfigError(f"cannot reach the Chroma server at {url}: {exc}") from exc


def _metadata(chunk: Chunk, article: Mapping[str, str | None] | None) -> dict:
    meta: dict = {"article_id": chunk.article_id, "start": chunk.start, "end": chunk.end}
    if chunk.content_hash:
        meta["content_hash"] = chunk.content_hash
    # Chroma metadata cannot hold None: absent means unknown.
    meta |= {k: v for k, v in (article or {}).items() if v is not None and k not in meta}
    return meta


def _chunk(chunk_id: str, text: str, meta: dict) -> Chunk:
    return Chunk(
        id=chunk_id,
        article_id=str(meta["article_id"]),
        text=text,
        start=int(meta["start"]),
        end=int(meta["end"]),
        content_hash=meta.get("content_hash"),
    )
