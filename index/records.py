"""Article records as they arrive (files, JSON, HTTP) and their preparation for the index.

A record is validated into a `SourceArticle` (raw body plus the metadata it states), then
`prepare_article` cleans the body and fills metadata the record does not state from what
the text itself says. Metadata a record states always wins over extraction.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from eval.ids import multihop_article_id
from index.cleaning import clean_text
from index.html import extract_html
from index.metadata import date_from_url, extract_metadata, normalize_date
from rag.types import Article

ID_PATTERN = r"^[\w][\w.:@+-]{0,199}$"
_ID = re.compile(ID_PATTERN)
META_FIELDS = ("title", "source", "url", "published_at", "author")
MAX_BODY_CHARS = 2_000_000


class RecordError(Exception):
    """A record that cannot be ingested; `where` is "file:line" (or a position in a request)."""

    def __init__(self, where: str, message: str, field: str | None = None):
        super().__init__(f"{where}: {message}" if where else message)
        self.where = where
        self.message = message
        self.field = field


class EmptyArticle(RecordError):
    """A well-formed record whose text is all page furniture: nothing is left to index.

    Not the caller's mistake (a "Click here to view the leaderboard" page), so `rag ingest`
    counts it as empty instead of failing.
    """


class ArticleFields(BaseModel):
    """One article record: `body` (or `text`) and optional metadata.

    Without an `id`, the id is derived from the url (or the title) the way MultiHop-RAG
    evidence is mapped (`eval.ids.multihop_article_id`), so its corpus ingests as is.
    Unknown fields (e.g. MultiHop-RAG's `category`) are ignored.
    """

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True, str_strip_whitespace=True)

    id: str | None = Field(None, pattern=ID_PATTERN, description="letters, digits, _ . : @ + -")
    title: str | None = Field(None, max_length=1000)
    body: str | None = Field(None, max_length=MAX_BODY_CHARS)
    text: str | None = Field(None, max_length=MAX_BODY_CHARS)
    source: str | None = Field(None, max_length=200)
    url: str | None = Field(None, max_length=2000)
    published_at: str | None = Field(None, description="ISO 8601 date or datetime")
    author: str | None = Field(None, max_length=500)

    @field_validator("published_at")
    @classmethod
    def _iso_date(cls, value: str | None) -> str | None:
        return normalize_date(value) if value else None

    @model_validator(mode="after")
    def _has_body(self) -> ArticleFields:
        if not (self.body or self.text):
            raise ValueError("a record needs a non-empty 'body' or 'text'")
        if not (self.id or self.url or self.title):
            raise ValueError("a record needs an 'id', or a 'url' or 'title' to derive one from")
        return self

    def article_id(self) -> str:
        if self.id:
            return self.id
        return multihop_article_id({"url": self.url, "title": self.title})

    def meta(self) -> dict[str, str | None]:
        return {name: getattr(self, name) or None for name in META_FIELDS}


@dataclass(frozen=True)
class SourceArticle:
    """An article as read, before cleaning: `raw` is kept for audit, `body` gets cleaned."""

    id: str
    raw: str
    meta: dict[str, str | None] = field(default_factory=dict)
    # Metadata from the page markup (HTML), below `meta` but above extraction from the text.
    hints: dict[str, str | None] = field(default_factory=dict)
    format: Literal["text", "html"] = "text"
    where: str = ""


@dataclass(frozen=True)
class PreparedArticle:
    """The clean article that is stored and cited into, with the raw text beside it."""

    article: Article
    raw_text: str
    where: str = ""


def parse_record(data: Any, where: str) -> SourceArticle:
    """Validate one JSON record; raises `RecordError` naming the field at fault."""
    if not isinstance(data, dict):
        raise RecordError(where, f"expected a JSON object, got {type(data).__name__}")
    try:
        fields = ArticleFields.model_validate(data)
    except ValidationError as exc:
        raise record_error(exc, where, data) from None
    return source_of(fields, where)


def source_of(fields: ArticleFields, where: str = "") -> SourceArticle:
    return SourceArticle(
        id=fields.article_id(),
        raw=fields.body or fields.text or "",
        meta=fields.meta(),
        where=where,
    )


def record_error(
    exc: ValidationError, where: str, data: dict[str, Any] | None = None
) -> RecordError:
    """The first validation error as a `RecordError` naming its field ("where: field: why")."""
    first = exc.errors()[0]
    name = ".".join(str(p) for p in first.get("loc", ())) or None
    if name is None and data is not None:  # a record-level check: a missing body, or id
        name = "body" if not (data.get("body") or data.get("text")) else "id"
    message = first.get("msg", "invalid record").removeprefix("Value error, ")
    return RecordError(where, f"{name}: {message}" if name else message, field=name)


def valid_id(value: str) -> bool:
    return bool(_ID.match(value))


def slug_id(stem: str) -> str:
    """A valid article id from a file name: runs of other characters become '-'."""
    slug = re.sub(r"[^\w.:@+-]+", "-", stem).strip("-.")[:200]
    return slug or "article"


def prepare_article(source: SourceArticle) -> PreparedArticle:
    """Clean the body and settle the metadata: stated > page markup > the text itself."""
    body, hints = source.raw, dict(source.hints)
    if source.format == "html":
        page = extract_html(source.raw)
        if page is None:
            raise EmptyArticle(source.where, "no article text found in the HTML")
        body = page.text
        for name in META_FIELDS:
            hints.setdefault(name, getattr(page, name))
    text = clean_text(body)
    if not text:
        raise EmptyArticle(source.where, "no article text left after removing boilerplate")
    extracted = asdict(extract_metadata(body, text))
    meta = {
        name: source.meta.get(name) or hints.get(name) or extracted.get(name)
        for name in META_FIELDS
    }
    if not meta["published_at"]:
        meta["published_at"] = date_from_url(meta["url"])
    if meta["published_at"]:
        try:
            meta["published_at"] = normalize_date(meta["published_at"])
        except ValueError:
            meta["published_at"] = None
    text = headed(text, meta["title"])
    return PreparedArticle(Article(id=source.id, text=text, **meta), source.raw, source.where)


# How far into the text a stated headline may stand and count as already there (a dateline or
# a source line often comes first).
_HEADLINE_WINDOW = 500


def headed(text: str, title: str | None) -> str:
    """The text with its headline as its first paragraph, when a headline is known and the
    text's opening does not already hold it.

    A news headline states the story's key fact ("'Won't be kind to him': Zelensky open to
    face-to-face talks with 'enemy' Putin"), and a record often gives it apart from the body (a
    JSON `title`, a sidecar, the page's markup): kept only as metadata it can be searched but
    never quoted, since a citation is a span of the text. Measured (answer right and citing an
    article that holds it; the chunk vectors leave the headline out,
    `index.chunking.embedded_text`), against the text without it: RealTime QA (296 questions
    over 2,186 articles whose bodies lack their titles) 124 -> 128 right, passage hit@1 / hit@5
    0.480 / 0.696 -> 0.514 / 0.709, 7/10 declined as before; seeds_blind 24 -> 26/28 right ("He
    said this in an interview with Fox News" now follows the headline that says what "this" is),
    8 -> 7/8 declined; seeds_blind2 25/28 right, 7 -> 8/8 declined; seeds 0.802 as before."""
    title = (title or "").strip()
    if not title or title in text[: len(title) + _HEADLINE_WINDOW]:
        return text
    return f"{title}\n\n{text}"
