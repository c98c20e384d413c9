"""`Newsdesk`: the one object the API and the CLI talk to."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any, Protocol

from rag.answering import Answerer
from rag.errors import NotFound
from rag.protocols import ArticleStore
from rag.retrieval import HybridRetriever
from rag.types import Answer, Article, ArticleRecord, ScoredChunk, SearchFilters


class Ingest(Protocol):
    def ingest(self, items: Iterable[Any], report: Callable[[Any], None] | None = None): ...

    def delete(self, article_id: str) -> bool: ...


class Newsdesk:
    """Questions, search and the article catalogue over one corpus."""

    def __init__(
        self,
        articles: ArticleStore,
        retriever: HybridRetriever,
        answerer: Answerer,
        ingestor: Ingest,
        model_name: str,
    ):
        self.articles = articles
        self.retriever = retriever
        self.answerer = answerer
        self.ingestor = ingestor
        self.model_name = model_name

    def ask(
        self,
        question: str,
        top_k: int,
        history: Sequence[dict[str, str]] = (),
        filters: SearchFilters | None = None,
        as_of: date | None = None,
    ) -> Answer:
        return self.answerer.answer(question, top_k, history, filters, as_of)

    def search(
        self,
        query: str,
        top_k: int,
        filters: SearchFilters | None = None,
        as_of: date | None = None,
    ) -> list[ScoredChunk]:
        return self.retriever.search(query, top_k, filters=filters, as_of=as_of)

    def warm(self) -> None:
        """Build the search indexes (BM25, the chunks' word-piece vectors) and read the city
        names now, not on the first query."""
        self.retriever.vocabulary()
        self.answerer.warm()

    def article(self, article_id: str) -> Article:
        article = self.articles.get(article_id)
        if article is None:
            raise NotFound(f"no article with id {article_id!r}")
        return article

    def record(self, article_id: str) -> ArticleRecord:
        """The article with what ingestion keeps for audit (raw text, content hash)."""
        record = self.articles.record(article_id)
        if record is None:
            raise NotFound(f"no article with id {article_id!r}")
        return record

    def ingest(self, items: Iterable[Any], report: Callable[[Any], None] | None = None):
        """Ingest articles or records (see `index.ingest.Ingestor.ingest`)."""
        try:
            return self.ingestor.ingest(items, report)
        finally:
            self._corpus_changed()

    def delete(self, article_id: str) -> None:
        """Remove an article from the catalogue and the index; `NotFound` if unknown."""
        try:
            if not self.ingestor.delete(article_id):
                raise NotFound(f"no article with id {article_id!r}")
        finally:
            self._corpus_changed()

    def _corpus_changed(self) -> None:
        self.retriever.invalidate()
        self.answerer.forget()
