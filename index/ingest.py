"""Ingestion: clean, deduplicate, chunk, embed and store articles, idempotently and crash-safely.

Each article version has a content hash (its clean text, raw text, metadata and the chunking
settings). Re-ingesting an article whose hash is stored does nothing, so no embedding is
computed; a changed article is written as a new version, batch by batch:

1. its id is journaled (`pending_chunks`),
2. the new version's chunks are added under ids derived from the hash (old ones stay),
3. the article rows are switched, in one SQLite transaction,
4. the chunks of other versions are deleted,
5. the journal entries are cleared.

Readers only use chunks that carry their article row's current hash (`index.visibility`):
before step 3 they see the old version, from it the new one, never a mix. A run killed at
any point leaves journal entries; the next run starts with `recover`, which deletes the
chunks that do not match their rows, so re-running the same input ends in exactly the state
of an uninterrupted run.

Near-duplicates (the same wire story under another id) are stored with `duplicate_of` set
and get no chunks: retrieval shows the original only. When an original changes or is
deleted, its duplicates are reconsidered and indexed if they no longer duplicate anything.

Embedding runs on a worker thread, one batch ahead: while a batch is embedded, the main
thread writes the batch before it (steps 1-5 above, unchanged and in order) and plans the
next one (cleaning, near-duplicates, chunking). Only the embedding overlaps; every write
stays on the calling thread, so the write order and the crash-safety argument are the same.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np

from index.article_store import ArticleRow, SqliteArticleStore
from index.chroma_store import ChromaChunkIndex
from index.chunking import chunk_article, embedded_text
from index.dedup import NearDuplicateIndex, shingles, signature
from index.records import (
    EmptyArticle,
    PreparedArticle,
    RecordError,
    SourceArticle,
    prepare_article,
)
from rag.protocols import Embedder
from rag.types import Article, Chunk

log = logging.getLogger(__name__)

# Part of every content hash: bump it when cleaning or chunking changes what a version holds.
INGEST_VERSION = "2"

Ingestible = PreparedArticle | SourceArticle | Article | RecordError
# "skipped": a malformed record (an error); "empty": nothing left after cleaning (not one).
Status = Literal["added", "updated", "unchanged", "skipped", "empty", "reindexed"]


@dataclass(frozen=True)
class Outcome:
    """What ingestion did with one record."""

    article_id: str | None
    status: Status
    duplicate_of: str | None = None
    chunks: int = 0
    embedded: int = 0
    message: str | None = None


@dataclass
class IngestSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    empty: int = 0
    duplicates: int = 0
    reindexed: int = 0
    chunks: int = 0
    embedded: int = 0
    seconds: float = 0.0
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def articles(self) -> int:
        """Articles that are stored as given (added, updated or already so)."""
        return self.added + self.updated + self.unchanged

    @property
    def errors(self) -> list[str]:
        return [o.message for o in self.outcomes if o.status == "skipped" and o.message]

    @property
    def chunks_per_second(self) -> float:
        return self.chunks / self.seconds if self.seconds else 0.0

    def describe(self) -> str:
        """The one-line summary `rag ingest` prints."""
        line = (
            f"added {self.added}, updated {self.updated}, unchanged {self.unchanged}, "
            f"skipped {self.skipped}, empty {self.empty}; near-duplicates {self.duplicates}; "
            f"{self.chunks} chunks ({self.embedded} embedded) in {self.seconds:.1f}s, "
            f"{self.chunks_per_second:.1f} chunks/s"
        )
        return line + (f"; {self.reindexed} duplicates re-indexed" if self.reindexed else "")

    def count(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        setattr(self, outcome.status, getattr(self, outcome.status) + 1)
        self.duplicates += outcome.duplicate_of is not None
        self.chunks += outcome.chunks
        self.embedded += outcome.embedded


@dataclass
class _Plan:
    """One article version to write."""

    prepared: PreparedArticle
    content_hash: str
    status: Status
    old_hash: str | None
    signature: np.ndarray
    chunks: list[Chunk]

    @property
    def article(self) -> Article:
        return self.prepared.article


Vectors = tuple[np.ndarray, set[str]]


@dataclass
class _InFlight:
    """A planned batch whose vectors are being computed on the embedding thread."""

    batch: list[_Plan]
    vectors: Future[Vectors]
    ids: set[str]


class Ingestor:
    """Writes articles so that readers always see whole versions (see the module docstring)."""

    def __init__(
        self,
        embedder: Embedder,
        articles: SqliteArticleStore,
        chunks: ChromaChunkIndex,
        max_tokens: int = 128,
        overlap_sentences: int = 1,
        duplicate_threshold: float = 0.9,
        batch_chunks: int = 256,
    ):
        self._embedder = embedder
        self._articles = articles
        self._chunks = chunks
        self._max_tokens = min(max_tokens, embedder.max_tokens)
        self._overlap = overlap_sentences
        self._threshold = duplicate_threshold
        self._batch_chunks = batch_chunks
        self._near: NearDuplicateIndex | None = None
        self._batch_texts: dict[str, str] = {}
        self._lock = threading.RLock()
        self._embed_lock = threading.Lock()  # one embedding at a time (worker or reconsider)

    def ingest(
        self, items: Iterable[Ingestible], report: Callable[[Outcome], None] | None = None
    ) -> IngestSummary:
        """Ingest records in order; malformed records are counted as skipped, records with
        nothing left after cleaning as empty, and the rest go on."""
        summary = IngestSummary()
        started = time.perf_counter()

        def done(outcome: Outcome) -> None:
            summary.count(outcome)
            if report:
                report(outcome)

        with self._lock, ThreadPoolExecutor(1, thread_name_prefix="embed") as worker:
            in_flight: _InFlight | None = None
            try:
                self._recover(done)
                batch: list[_Plan] = []
                batch_ids: set[str] = set()
                batch_chunks = 0
                for item in items:
                    try:
                        prepared = _prepared(item)
                    except EmptyArticle as exc:
                        done(Outcome(getattr(item, "id", None), "empty", message=str(exc)))
                        continue
                    except RecordError as exc:
                        done(Outcome(getattr(item, "id", None), "skipped", message=str(exc)))
                        continue
                    article_id = prepared.article.id
                    if article_id in batch_ids or (in_flight and article_id in in_flight.ids):
                        # The later record of one id wins: write everything before planning it.
                        in_flight = self._submit(worker, batch, in_flight, done)
                        self._write_in_flight(in_flight, done)
                        in_flight, batch, batch_ids, batch_chunks = None, [], set(), 0
                    plan = self._plan(prepared)
                    if plan is None:
                        done(Outcome(article_id, "unchanged"))
                        continue
                    batch.append(plan)
                    batch_ids.add(article_id)
                    batch_chunks += len(plan.chunks)
                    if batch_chunks >= self._batch_chunks or len(batch) >= 256:
                        in_flight = self._submit(worker, batch, in_flight, done)
                        batch, batch_ids, batch_chunks = [], set(), 0
                in_flight = self._submit(worker, batch, in_flight, done)
                self._write_in_flight(in_flight, done)
                in_flight = None
            except BaseException:
                self._near = None  # may hold plans that were never written; rebuilt from the store
                if in_flight is not None:
                    in_flight.vectors.cancel()
                raise
            finally:
                self._batch_texts.clear()
        summary.seconds = time.perf_counter() - started
        return summary

    def delete(self, article_id: str) -> bool:
        """Remove an article and its chunks; its duplicates are indexed in its place."""
        with self._lock:
            try:
                self._recover(lambda _: None)
                if not self._articles.delete(article_id):
                    return False
                self._chunks.delete_article(article_id)
                self._articles.clear_pending([article_id])
                if self._near is not None:
                    self._near.discard(article_id)
                self._reconsider(self._articles.duplicates_of([article_id]), lambda _: None)
            except BaseException:
                self._near = None
                raise
        return True

    def recover(self) -> None:
        """Finish what an interrupted run left: stale chunks, orphaned duplicates."""
        with self._lock:
            self._recover(lambda _: None)

    def content_hash(self, prepared: PreparedArticle) -> str:
        a = prepared.article
        payload = [
            INGEST_VERSION,
            self._embedder.name,
            self._max_tokens,
            self._overlap,
            a.id,
            a.text,
            a.title,
            a.source,
            a.url,
            a.published_at,
            a.author,
            prepared.raw_text,
        ]
        encoded = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        return hashlib.sha256(encoded).hexdigest()

    def _recover(self, done: Callable[[Outcome], None]) -> None:
        pending = self._articles.pending()
        for article_id in pending:
            version = self._articles.version(article_id)
            if version is None or version.duplicate_of is not None:
                self._chunks.delete_article(article_id)
            else:
                self._chunks.delete_article(article_id, keep_hash=version.content_hash or "")
        if pending:
            log.info("recovered %d interrupted article writes", len(pending))
            self._articles.clear_pending(pending)
            self._near = None
        self._reconsider(self._articles.orphaned_duplicates(), done)

    def _near_index(self) -> NearDuplicateIndex:
        if self._near is None:
            near = NearDuplicateIndex(self._threshold)
            for article_id, sig in self._articles.signatures():
                near.add(article_id, np.frombuffer(sig, dtype=np.uint32))
            self._near = near
        return self._near

    def _text_of(self, article_id: str) -> str | None:
        return self._batch_texts.get(article_id) or self._articles.text(article_id)

    def _plan(self, prepared: PreparedArticle, force: bool = False) -> _Plan | None:
        """What to write for an article, or None when the stored version is the same."""
        content_hash = self.content_hash(prepared)
        stored = self._articles.version(prepared.article.id)
        if stored is not None and stored.content_hash == content_hash and not force:
            return None
        article = prepared.article
        near = self._near_index()
        near.discard(article.id)
        sig = signature(shingles(article.text))
        original = near.original_of(article.id, article.text, sig, self._text_of)
        article = replace(article, duplicate_of=original)
        chunks: list[Chunk] = []
        if original is None:
            near.add(article.id, sig)
            self._batch_texts[article.id] = article.text
            chunks = chunk_article(
                article, self._embedder.count_tokens, self._max_tokens, self._overlap, content_hash
            )
        return _Plan(
            prepared=replace(prepared, article=article),
            content_hash=content_hash,
            status="added" if stored is None else "updated",
            old_hash=stored.content_hash if stored else None,
            signature=sig,
            chunks=chunks,
        )

    def _submit(
        self,
        worker: ThreadPoolExecutor,
        batch: list[_Plan],
        in_flight: _InFlight | None,
        done: Callable[[Outcome], None],
    ) -> _InFlight | None:
        """Start embedding `batch`, then write the batch embedded before it meanwhile."""
        started = None
        if batch:
            reused = self._reused_vectors(batch)
            vectors = worker.submit(self._vectors, batch, reused)
            started = _InFlight(batch, vectors, {p.article.id for p in batch})
        self._write_in_flight(in_flight, done, later=started)
        return started

    def _write_in_flight(
        self,
        in_flight: _InFlight | None,
        done: Callable[[Outcome], None],
        later: _InFlight | None = None,
    ) -> None:
        if in_flight is not None:
            self._write(in_flight.batch, in_flight.vectors.result(), done, later)

    def _flush(self, batch: list[_Plan], done: Callable[[Outcome], None]) -> None:
        """Embed and write a batch on the calling thread."""
        if batch:
            self._write(batch, self._vectors(batch, self._reused_vectors(batch)), done)

    def _write(
        self,
        batch: list[_Plan],
        computed: Vectors,
        done: Callable[[Outcome], None],
        later: _InFlight | None = None,
    ) -> None:
        """Steps 1-5 of the module docstring for one embedded batch; `later` is the batch
        planned after it (already embedding), whose plans are newer than a reconsideration."""
        ids = [p.article.id for p in batch]
        self._articles.mark_pending(ids)
        new_chunks = [c for p in batch for c in p.chunks]
        vectors, embedded = computed
        self._chunks.add(new_chunks, vectors, {p.article.id: _meta(p) for p in batch})
        self._articles.save(
            [
                ArticleRow(
                    p.article,
                    p.prepared.raw_text,
                    p.content_hash,
                    p.signature.tobytes(),
                    len(p.chunks),
                )
                for p in batch
            ]
        )
        self._chunks.keep_only(
            {p.article.id: None if p.article.duplicate_of else p.content_hash for p in batch}
        )
        self._articles.clear_pending(ids)
        for p in batch:
            fresh = sum(c.id in embedded for c in p.chunks)
            done(Outcome(p.article.id, p.status, p.article.duplicate_of, len(p.chunks), fresh))
            if p.article.duplicate_of:
                log.info("%s is a near-duplicate of %s", p.article.id, p.article.duplicate_of)
        changed = [p.article.id for p in batch if p.status != "added"]
        newer = later.ids if later else set()
        dependents = [
            d for d in self._articles.duplicates_of(changed) if d not in ids and d not in newer
        ]
        self._reconsider(dependents, done)

    def _reused_vectors(self, batch: list[_Plan]) -> dict[str, np.ndarray]:
        """Stored embeddings of chunk texts an updated article kept, by new chunk id. A chunk
        embedded without its headline (`embedded_text`) is embedded anew: its stored vector
        may have been computed from other text (an older ingest, another headline)."""
        reused: dict[str, np.ndarray] = {}
        for p in batch:
            if p.old_hash and p.chunks:
                previous = self._chunks.vectors(p.article.id, p.old_hash)
                reused |= {
                    c.id: previous[c.text]
                    for c in p.chunks
                    if c.text in previous and embedded_text(c, p.article.title) == c.text
                }
        return reused

    def _vectors(self, batch: list[_Plan], reused: dict[str, np.ndarray]) -> Vectors:
        """Embeddings for the batch's chunks, reusing those of unchanged chunk texts;
        also the ids of the chunks that had to be embedded. Touches no store."""
        missing = [(c, p.article.title) for p in batch for c in p.chunks if c.id not in reused]
        fresh = None
        if missing:
            with self._embed_lock:
                fresh = self._embedder.embed([embedded_text(c, title) for c, title in missing])
        computed = {c.id: fresh[i] for i, (c, _) in enumerate(missing)} if fresh is not None else {}
        rows = [reused.get(c.id, computed.get(c.id)) for p in batch for c in p.chunks]
        if not rows:
            return np.zeros((0, self._embedder.dimension), dtype=np.float32), set()
        return np.vstack(rows).astype(np.float32), set(computed)

    def _reconsider(self, article_ids: list[str], done: Callable[[Outcome], None]) -> None:
        """Re-decide duplicates whose original changed or went away."""
        plans: list[_Plan] = []
        for article_id in article_ids:
            record = self._articles.record(article_id)
            if record is None:
                continue
            before = record.article.duplicate_of
            prepared = PreparedArticle(
                replace(record.article, duplicate_of=None), record.raw_text or record.article.text
            )
            plan = self._plan(prepared, force=True)
            if plan is not None and plan.article.duplicate_of != before:
                plans.append(replace(plan, status="reindexed"))
        self._flush(plans, done)


def _prepared(item: Ingestible) -> PreparedArticle:
    match item:
        case RecordError():
            raise item
        case PreparedArticle():
            return item
        case SourceArticle():
            return prepare_article(item)
        case Article():
            return PreparedArticle(item, item.text)
    raise TypeError(f"cannot ingest a {type(item).__name__}")


def _meta(plan: _Plan) -> dict[str, str | None]:
    return plan.article.meta() | {"author": plan.article.author}
