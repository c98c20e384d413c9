"""Domain types shared by every package; plain dataclasses with no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Article:
    """A stored article; every offset in the system points into `text`."""

    id: str
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published_at: str | None = None

    def meta(self) -> dict[str, str | None]:
        return {
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "published_at": self.published_at,
        }


@dataclass(frozen=True)
class Chunk:
    """A span of an article's text, `text == article.text[start:end]`."""

    id: str
    article_id: str
    text: str
    start: int
    end: int


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
