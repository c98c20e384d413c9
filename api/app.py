"""FastAPI application: lifespan-owned runtime, thin routes, one error mapping."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.articles import router as articles_router
from api.chat import router as chat_router
from api.deps import NewsdeskDep, get_newsdesk  # noqa: F401  (re-exported for other routers)
from api.limits import install_body_limit
from api.ratelimit import install_rate_limit
from api.request_log import install_request_log
from api.schemas import (
    AskRequest,
    AskResponse,
    ErrorBody,
    SearchHit,
    SearchRequest,
    SearchResponse,
)
from api.security import install_security
from api.streaming import SSE_HEADERS, SSE_MEDIA_TYPE, ask_events
from api.web import install_web
from rag.assembly import seed_if_empty, start_runtime
from rag.errors import (
    BadInput,
    ConfigError,
    NewsdeskError,
    NotFound,
    Overloaded,
    UpstreamError,
)
from rag.settings import Settings, get_settings

log = logging.getLogger(__name__)

_STATUS = {NotFound: 404, BadInput: 400, Overloaded: 503, UpstreamError: 502, ConfigError: 500}


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app; the runtime (stores, models, embedded LLM) starts in the lifespan."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        resolved = settings or get_settings()
        runtime = start_runtime(resolved)
        try:
            seed_if_empty(runtime.newsdesk, resolved)
            runtime.newsdesk.warm()
            app.state.runtime = runtime
            yield
        finally:
            runtime.close()

    app = FastAPI(
        title="Newsdesk",
        description="Questions over news articles, answered with verbatim, checkable quotes.",
        version="0.1.0",
        lifespan=lifespan,
        responses={code: {"model": ErrorBody} for code in (401, 403, 404, 413, 422, 429)},
    )
    _install_error_handlers(app)
    configured = settings or get_settings()
    keys = install_security(app, configured)
    install_body_limit(app, configured)
    install_rate_limit(app, configured, keys)  # refuses before a body is read
    install_request_log(app)  # outermost: every response, refusals included, gets an id
    app.include_router(_routes())
    app.include_router(articles_router)
    app.include_router(chat_router)
    install_web(app)
    return app


def _routes():
    from fastapi import APIRouter

    router = APIRouter()

    @router.get("/healthz")
    def healthz(request: Request, newsdesk: NewsdeskDep) -> dict:
        return {
            "status": "ok",
            "articles": newsdesk.articles.count(),
            "model": newsdesk.model_name,
            **request.app.state.runtime.health(),
        }

    @router.post(
        "/ask",
        response_model=AskResponse,
        responses={200: {"content": {SSE_MEDIA_TYPE: {}}, "description": "JSON, or SSE if stream"}},
    )
    def ask(body: AskRequest, newsdesk: NewsdeskDep) -> AskResponse | Response:
        started = time.perf_counter()
        history = [t.model_dump() for t in body.history]
        filters = body.filters.to_domain() if body.filters else None
        answer = newsdesk.ask(body.question, body.top_k, history, filters, body.as_of)
        if body.stream:
            return StreamingResponse(
                ask_events(answer, started), media_type=SSE_MEDIA_TYPE, headers=SSE_HEADERS
            )
        return AskResponse.of(answer)

    @router.post("/search", response_model=SearchResponse)
    def search(body: SearchRequest, newsdesk: NewsdeskDep) -> SearchResponse:
        filters = body.filters.to_domain() if body.filters else None
        hits = newsdesk.search(body.query, body.top_k, filters, body.as_of)
        return SearchResponse(
            results=[SearchHit.of(h, newsdesk.articles.get(h.chunk.article_id)) for h in hits]
        )

    return router


def _field(loc) -> str:
    """A validation error's location as a dotted field name, without the leading "body"."""
    parts = list(loc)[1:] if loc and loc[0] == "body" else list(loc)
    return ".".join(str(p) for p in parts)


def _located(error: dict) -> dict:
    """Malformed JSON is about the whole body: its loc is ("body", offset), not a field."""
    if error.get("type") != "json_invalid":
        return error
    offset = error.get("loc", ("body", "?"))[-1]
    reason = (error.get("ctx") or {}).get("error", "cannot be parsed")
    return {"loc": ("body",), "msg": f"invalid JSON at character {offset}: {reason}"}


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NewsdeskError)
    async def newsdesk_error(_: Request, exc: NewsdeskError) -> JSONResponse:
        status = next((code for cls, code in _STATUS.items() if isinstance(exc, cls)), 500)
        body = ErrorBody(
            error=type(exc).__name__, detail=str(exc), field=getattr(exc, "field", None)
        )
        if isinstance(exc, Overloaded):
            return JSONResponse(
                body.model_dump(),
                status_code=status,
                headers={"Retry-After": str(exc.retry_after_s)},
            )
        return JSONResponse(body.model_dump(), status_code=status)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [_located(e) for e in exc.errors()]
        first = errors[0] if errors else {}
        field = _field(first.get("loc", ())) or None
        body = {
            "error": "BadInput",
            "detail": f"{field or 'body'}: {first.get('msg', 'invalid request')}",
            "field": field,
            "errors": [
                {
                    "field": _field(e.get("loc", ())),
                    "message": e.get("msg"),
                }
                for e in errors
            ],
        }
        return JSONResponse(body, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        body = ErrorBody(error="HTTPError", detail=str(exc.detail))
        return JSONResponse(body.model_dump(), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return JSONResponse(
            ErrorBody(error="InternalError", detail="internal error").model_dump(), status_code=500
        )
