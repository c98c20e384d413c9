"""Domain types shared by every package; plain dataclasses with no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Article:
    """A stored article; every offset in the system points into `text`."""

    id: str
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published_at: str | None = None
    author: str | None = None
    # Set when this is a near-duplicate of another stored article: it is kept in the
    # catalogue but not indexed, so retrieval shows only the article it duplicates.
    duplicate_of: str | None = None

    def meta(self) -> dict[str, str | None]:
        return {
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "published_at": self.published_at,
        }


@dataclass(frozen=True)
class ArticleFields:
    """What the lexical index reads of an article besides its chunks: the headline, the
    publication year ("2014"), the source ("CNN") and the publication day as (month, day),
    each when known."""

    title: str | None = None
    year: str | None = None
    source: str | None = None
    day: tuple[int, int] | None = None

    def published(self) -> date | None:
        """The publication date, when both its year and its day are known."""
        if not (self.year and self.day):
            return None
        try:
            return date(int(self.year), *self.day)
        except ValueError:
            return None


@dataclass(frozen=True)
class Chunk:
    """A span of an article's text, `text == article.text[start:end]`."""

    id: str
    article_id: str
    text: str
    start: int
    end: int
    # The article version the chunk was cut from; readers ignore chunks of other versions.
    content_hash: str | None = None


@dataclass(frozen=True)
class SearchFilters:
    """Restricts retrieval to some articles; dates are ISO `YYYY-MM-DD`, bounds inclusive."""

    source: str | None = None
    published_after: str | None = None
    published_before: str | None = None
    article_ids: tuple[str, ...] | None = None

    def is_empty(self) -> bool:
        return not (self.source or self.published_after or self.published_before) and (
            self.article_ids is None
        )

    def admits(self, article: Article) -> bool:
        """Whether `article` passes every filter (an undated article fails a date bound)."""
        if self.article_ids is not None and article.id not in self.article_ids:
            return False
        if self.source and (article.source or "").casefold() != self.source.casefold():
            return False
        day = (article.published_at or "")[:10]
        if self.published_after and (not day or day < self.published_after):
            return False
        return not (self.published_before and (not day or day > self.published_before))


@dataclass(frozen=True)
class ScoredChunk:
    chunk: Chunk
    score: float


@dataclass(frozen=True)
class Sentence:
    """A sentence span inside an article (absolute offsets)."""

    article_id: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class ScoredSentence:
    """An evidence sentence with its score for a question (rag.evidence.score_sentences)."""

    sentence: Sentence
    score: float
    similarity: float
    coverage: float
    chunk_rank: int


@dataclass(frozen=True)
class Citation:
    n: int
    article: Article
    quote: str
    start: int
    end: int


@dataclass
class Answer:
    answer: str
    answered: bool
    citations: list[Citation]
    model: str
    degraded: bool
    timings_ms: dict[str, float]
    retrieved: list[ScoredChunk] = field(default_factory=list)
    prompt_tokens: int = 0
    query: str = ""
    # The evidence sentences the answer rests on (what its citations quote), for the checks
    # after it is written; not part of the API's reply.
    grounds: list[ScoredSentence] = field(default_factory=list)


@dataclass(frozen=True)
class ArticleRecord:
    """A catalogue entry: the article plus what ingestion keeps for audit and idempotence."""

    article: Article
    raw_text: str | None  # None when not loaded (listings)
    content_hash: str | None
    chunks: int
    updated_at: str | None
