"""Request and response models of the HTTP API (the shapes clients rely on)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from rag.types import Answer, Article, Citation, ScoredChunk, SearchFilters


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["user", "assistant"]
    content: str = Field(max_length=8000)


class Filters(BaseModel):
    """Restrict retrieval; dates are ISO days, bounds inclusive, undated articles excluded."""

    model_config = ConfigDict(extra="forbid")
    source: str | None = Field(None, max_length=200)
    published_after: date | None = None
    published_before: date | None = None
    article_ids: list[str] | None = Field(None, max_length=1000)

    def to_domain(self) -> SearchFilters:
        return SearchFilters(
            source=self.source,
            published_after=self.published_after.isoformat() if self.published_after else None,
            published_before=self.published_before.isoformat() if self.published_before else None,
            article_ids=tuple(self.article_ids) if self.article_ids is not None else None,
        )


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: str = Field(min_length=1, max_length=2000)
    top_k: int = Field(5, ge=1, le=20)
    history: list[Turn] = Field(default_factory=list, max_length=20)
    filters: Filters | None = None
    as_of: date | None = Field(
        None,
        description="The day the question is asked on (ISO): stories published in the days "
        "before it rank higher. Default: no preference by date.",
    )
    stream: bool = Field(
        False,
        description="Server-sent events: `delta` (answer text), one `citations`, then `done`.",
    )


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    query: str = Field(min_length=1, max_length=2000)
    top_k: int = Field(10, ge=1, le=50)
    filters: Filters | None = None
    as_of: date | None = Field(
        None,
        description="The day the question is asked on (ISO): stories published in the days "
        "before it rank higher. Default: no preference by date.",
    )


class CitationOut(BaseModel):
    n: int
    article_id: str
    title: str | None
    source: str | None
    url: str | None
    published_at: str | None
    quote: str
    start: int
    end: int

    @classmethod
    def of(cls, c: Citation) -> CitationOut:
        return cls(
            n=c.n,
            article_id=c.article.id,
            quote=c.quote,
            start=c.start,
            end=c.end,
            **c.article.meta(),
        )


class Timings(BaseModel):
    retrieve: float
    generate: float
    total: float


class StreamTimings(Timings):
    first_token: float = Field(description="ms from the request to the first answer delta")


class AskDone(BaseModel):
    """The last event of a streamed `/ask`: everything but the text and the citations."""

    answered: bool
    model: str
    degraded: bool
    timings_ms: StreamTimings


class AskResponse(BaseModel):
    answer: str
    answered: bool
    citations: list[CitationOut]
    model: str
    degraded: bool
    timings_ms: Timings
    query: str = Field(description="The standalone query retrieval used (follow-ups rewritten)")

    @classmethod
    def of(cls, a: Answer) -> AskResponse:
        return cls(
            answer=a.answer,
            answered=a.answered,
            citations=[CitationOut.of(c) for c in a.citations],
            model=a.model,
            degraded=a.degraded,
            timings_ms=Timings(**a.timings_ms),
            query=a.query,
        )


class SearchHit(BaseModel):
    article_id: str
    chunk_id: str
    text: str
    start: int
    end: int
    score: float
    title: str | None
    source: str | None
    published_at: str | None

    @classmethod
    def of(cls, sc: ScoredChunk, article: Article | None) -> SearchHit:
        meta = article.meta() if article else {}
        return cls(
            article_id=sc.chunk.article_id,
            chunk_id=sc.chunk.id,
            text=sc.chunk.text,
            start=sc.chunk.start,
            end=sc.chunk.end,
            score=sc.score,
            title=meta.get("title"),
            source=meta.get("source"),
            published_at=meta.get("published_at"),
        )


class SearchResponse(BaseModel):
    results: list[SearchHit]


class ArticleSummary(BaseModel):
    id: str
    title: str | None
    source: str | None
    url: str | None
    published_at: str | None
    author: str | None = None
    duplicate_of: str | None = Field(
        None, description="the article this one near-duplicates; only that one is retrieved"
    )
    chars: int

    @classmethod
    def of(cls, a: Article) -> ArticleSummary:
        return cls(
            id=a.id, chars=len(a.text), author=a.author, duplicate_of=a.duplicate_of, **a.meta()
        )


class ArticleOut(ArticleSummary):
    text: str

    @classmethod
    def of(cls, a: Article) -> ArticleOut:
        summary = ArticleSummary.of(a).model_dump()
        return cls(text=a.text, **summary)


class ErrorBody(BaseModel):
    error: str
    detail: str
    field: str | None = None
