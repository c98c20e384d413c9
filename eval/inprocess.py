"""A `QAClient` over an in-process `Newsdesk`, returning the same JSON shapes as the HTTP API."""

from __future__ import annotations

from collections.abc import Sequence

from api.schemas import AskResponse, SearchHit
from rag.errors import NotFound
from rag.recency import parse_day
from rag.service import Newsdesk


class InProcessClient:
    def __init__(self, newsdesk: Newsdesk):
        self._newsdesk = newsdesk

    def ask(
        self,
        question: str,
        top_k: int,
        history: Sequence[dict[str, str]] = (),
        as_of: str | None = None,
    ) -> dict:
        answer = self._newsdesk.ask(question, top_k, history, as_of=parse_day(as_of))
        body = AskResponse.of(answer).model_dump()
        body["retrieved"] = [
            {
                "chunk_id": sc.chunk.id,
                "article_id": sc.chunk.article_id,
                "text": sc.chunk.text,
                "start": sc.chunk.start,
                "end": sc.chunk.end,
                "score": sc.score,
            }
            for sc in answer.retrieved
        ]
        return body

    def search(self, query: str, top_k: int, as_of: str | None = None) -> list[dict]:
        hits = self._newsdesk.search(query, top_k, as_of=parse_day(as_of))
        return [
            SearchHit.of(h, self._newsdesk.articles.get(h.chunk.article_id)).model_dump()
            for h in hits
        ]

    def article_text(self, article_id: str) -> str | None:
        try:
            return self._newsdesk.article(article_id).text
        except NotFound:
            return None
