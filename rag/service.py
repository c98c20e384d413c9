"""`Newsdesk`: the one object the API and the CLI talk to."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from rag.answering import Answerer
from rag.errors import NotFound
from rag.protocols import ArticleStore
from rag.retrieval import HybridRetriever
from rag.types import Answer, Article, ScoredChunk


class Ingest(Protocol):
    def ingest(self, articles: Iterable[Article]): ...


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

    def ask(self, question: str, top_k: int, history: Sequence[dict[str, str]] = ()) -> Answer:
        return self.answerer.answer(question, top_k, history)

    def search(self, query: str, top_k: int) -> list[ScoredChunk]:
        return self.retriever.search(query, top_k)

    def article(self, article_id: str) -> Article:
        article = self.articles.get(article_id)
        if article is None:
            raise NotFound(f"no article with id {article_id!r}")
        return article

    def ingest(self, articles: Iterable[Article]):
        summary = self.ingestor.ingest(articles)
        self.retriever.invalidate()
        self.answerer.forget()
        return summary
