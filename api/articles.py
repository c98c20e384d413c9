"""The article catalogue over HTTP: list, read, audit, add or update, delete."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from api.deps import NewsdeskDep
from api.schemas import ArticleOut, ArticleSummary
from api.security import require_writer
from index.ingest import IngestSummary
from index.records import ArticleFields, RecordError, prepare_article, source_of

MAX_ARTICLES_PER_REQUEST = 1000

router = APIRouter(tags=["articles"])


# Who may change the corpus: a valid API key, or a loopback client when none is configured.
WriterDep = Depends(require_writer)


class ArticleIn(ArticleFields):
    """An article to add or update; `body` (or `text`) is required, the rest optional.

    Without `id`, the id is derived from `url` (or `title`), as for MultiHop-RAG records.
    """

    model_config = ConfigDict(extra="forbid")
    category: str | None = Field(None, description="accepted for MultiHop-RAG records; not stored")


class IngestedArticle(BaseModel):
    id: str
    status: str = Field(description="added, updated, unchanged or reindexed")
    duplicate_of: str | None = Field(None, description="set when only the original is indexed")
    chunks: int


class IngestResponse(BaseModel):
    added: int
    updated: int
    unchanged: int
    duplicates: int
    chunks: int
    embedded: int
    seconds: float
    articles: list[IngestedArticle]

    @classmethod
    def of(cls, s: IngestSummary) -> IngestResponse:
        return cls(
            added=s.added,
            updated=s.updated,
            unchanged=s.unchanged,
            duplicates=s.duplicates,
            chunks=s.chunks,
            embedded=s.embedded,
            seconds=round(s.seconds, 3),
            articles=[
                IngestedArticle(
                    id=o.article_id or "",
                    status=o.status,
                    duplicate_of=o.duplicate_of,
                    chunks=o.chunks,
                )
                for o in s.outcomes
            ],
        )


class ArticleAudit(BaseModel):
    """What ingestion kept about an article: the raw text its clean text came from."""

    id: str
    content_hash: str | None
    chunks: int
    updated_at: str | None
    raw_text: str | None


_ARTICLES_SCHEMA = ArticleIn.model_json_schema()
_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "anyOf": [
                        _ARTICLES_SCHEMA,
                        {"type": "array", "items": _ARTICLES_SCHEMA, "maxItems": 1000},
                    ]
                }
            }
        },
    }
}


@router.get("/articles", response_model=list[ArticleSummary])
def list_articles(newsdesk: NewsdeskDep) -> list[ArticleSummary]:
    return [ArticleSummary.of(a) for a in newsdesk.articles.list()]


@router.get("/articles/{article_id}", response_model=ArticleOut)
def get_article(article_id: str, newsdesk: NewsdeskDep) -> ArticleOut:
    return ArticleOut.of(newsdesk.article(article_id))


@router.get("/articles/{article_id}/raw", response_model=ArticleAudit)
def get_article_raw(article_id: str, newsdesk: NewsdeskDep) -> ArticleAudit:
    r = newsdesk.record(article_id)
    return ArticleAudit(
        id=r.article.id,
        content_hash=r.content_hash,
        chunks=r.chunks,
        updated_at=r.updated_at,
        raw_text=r.raw_text,
    )


@router.post(
    "/articles",
    response_model=IngestResponse,
    dependencies=[WriterDep],
    openapi_extra=_BODY_DOC,
    summary="Add or update one article or a list of them",
)
def add_articles(
    payload: Annotated[Any, Body(description="an article object or a list of them")],
    newsdesk: NewsdeskDep,
) -> IngestResponse:
    """Validates every article first (422 naming the field, nothing stored), then ingests:
    unchanged articles cost nothing, changed ones replace their previous version."""
    return IngestResponse.of(newsdesk.ingest(validated_articles(payload)))


@router.delete(
    "/articles/{article_id}",
    status_code=204,
    dependencies=[WriterDep],
    summary="Delete an article and its chunks",
)
def delete_article(article_id: str, newsdesk: NewsdeskDep) -> Response:
    newsdesk.delete(article_id)
    return Response(status_code=204)


def validated_articles(payload: Any) -> list:
    """The payload's articles, cleaned; `RequestValidationError` listing every bad field."""
    single = isinstance(payload, dict)
    items = [payload] if single else payload
    if not isinstance(items, list) or not items or len(items) > MAX_ARTICLES_PER_REQUEST:
        raise RequestValidationError(
            [
                {
                    "loc": ("body",),
                    "msg": f"expected an article object or a list of 1 to "
                    f"{MAX_ARTICLES_PER_REQUEST} of them",
                    "type": "value_error",
                }
            ]
        )
    errors: list[dict] = []
    prepared = []
    for index, item in enumerate(items):
        loc: tuple = ("body",) if single else ("body", index)
        if not isinstance(item, dict):
            errors.append({"loc": loc, "msg": "expected an article object", "type": "type_error"})
            continue
        try:
            fields = ArticleIn.model_validate(item)
        except ValidationError as exc:
            errors += [
                {
                    "loc": loc + (tuple(e["loc"]) or (_missing_field(item),)),
                    "msg": e["msg"].removeprefix("Value error, "),
                }
                for e in exc.errors()
            ]
            continue
        try:
            prepared.append(prepare_article(source_of(fields)))
        except RecordError as exc:
            errors.append({"loc": loc + ("body",), "msg": exc.message, "type": "value_error"})
    if errors:
        raise RequestValidationError(errors)
    return prepared


def _missing_field(item: dict) -> str:
    """The field a record-level error is about (a missing body, or an id to derive)."""
    return "body" if not (item.get("body") or item.get("text")) else "id"
