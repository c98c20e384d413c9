"""Builds a `Newsdesk` from settings: the one place backends are chosen and wired."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

from rag.answering import Answerer, AnswerPolicy
from rag.errors import ConfigError
from rag.local_llm import LocalLLMServer, Supervisor
from rag.local_models import LOCAL_MODELS, LocalModel
from rag.model_fetch import model_path
from rag.places import Gazetteer, cached_table
from rag.protocols import ChatModel, Embedder
from rag.resilience import CircuitBreaker, GenerationGate, ResilientChatModel
from rag.retrieval import HybridRetriever
from rag.rewriting import QueryRewriter
from rag.service import Newsdesk
from rag.settings import Settings

log = logging.getLogger(__name__)


def _sentence_transformers(settings: Settings) -> Embedder:
    from index.embedding import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(settings.embedding_model, settings.embedding_batch_size)


def _onnx(settings: Settings) -> Embedder:
    from index.onnx_embedding import OnnxEmbedder

    return OnnxEmbedder(
        settings.embedding_model,
        settings.model_cache_path,
        settings.embedding_batch_size,
        settings.embedding_threads,
    )


EMBEDDERS: dict[str, Callable[[Settings], Embedder]] = {
    "sentence-transformers": _sentence_transformers,
    "onnx": _onnx,
}


@dataclass
class Runtime:
    """Everything started for a `Newsdesk`, so it can be stopped in one place."""

    newsdesk: Newsdesk
    local_llm: LocalLLMServer | None
    closers: list[Callable[[], Any]]
    chat: ChatModel | None = None
    supervisor: Supervisor | None = None
    judge: ChatModel | None = None  # who takes the second look (Settings.judge_model)

    def health(self) -> dict[str, Any]:
        """What /healthz reports about the LLM: where it runs, its server and its circuit, and
        the judge beside it if one runs."""
        info: dict[str, Any] = {"llm": "off"}
        if self.chat is not None:
            info["llm"] = "embedded" if self.local_llm else "remote"
            if self.supervisor is not None:
                info["llm_server"] = self.supervisor.state
                info["llm_restarts"] = self.local_llm.restarts if self.local_llm else 0
            breaker = getattr(self.chat, "breaker", None)
            if breaker is not None:
                info["llm_circuit"] = breaker.state
        if self.judge is not None and self.judge is not self.chat:
            info["judge"] = self.judge.name
        return info

    def close(self) -> None:
        for close in reversed(self.closers):
            close()


def build_chat_model(settings: Settings, local: LocalLLMServer | None) -> ChatModel | None:
    """The configured OpenAI-compatible model, wrapped in retries and a circuit breaker."""
    if settings.answer_mode == "extractive":
        return None
    if settings.openai_base_url:
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
        base_url = settings.openai_base_url
    elif local is not None:
        key, base_url = None, local.base_url
    else:
        raise ConfigError("no LLM configured: set OPENAI_BASE_URL or start the local server")
    return _resilient_chat(settings, base_url, settings.chat_model_name, key)


def _resilient_chat(
    settings: Settings, base_url: str, model: str, key: str | None
) -> ResilientChatModel:
    from rag.llm import OpenAIChatModel  # the openai client: imported only when a model is used

    inner = OpenAIChatModel(base_url, model, key, settings.llm_timeout_s, 0)
    return ResilientChatModel(
        inner,
        retries=settings.llm_max_retries,
        breaker=CircuitBreaker(settings.llm_breaker_threshold, settings.llm_breaker_reset_s),
    )


def start_local_server(
    settings: Settings, model: LocalModel, closers: list[Callable[[], Any]]
) -> LocalLLMServer:
    """An embedded llama.cpp server for `model`, started; `closers` stops it."""
    server = LocalLLMServer(
        model_path(model, settings.model_cache_path),
        threads=settings.llm_threads,
        n_ctx=settings.llm_ctx,
    )
    server.start()
    closers.append(server.stop)
    return server


def start_judge(settings: Settings, closers: list[Callable[[], Any]]) -> ChatModel | None:
    """The second embedded model that checks a non-judging model's answers
    (`Settings.judge_model`), started; None when off."""
    if settings.judge_model == "off":
        return None
    model = LOCAL_MODELS[settings.judge_model]
    server = start_local_server(settings, model, closers)
    log.info("embedded judge %s serving at %s", model.name, server.base_url)
    return _resilient_chat(settings, server.base_url, model.name, None)


def open_article_store(settings: Settings):
    """The article catalogue alone (no model, no chunk index), e.g. for `rag ls`.

    A file that cannot be opened as the catalogue is a `ConfigError`, never a fresh store.
    """
    import sqlite3

    from index.article_store import SqliteArticleStore

    path = settings.data_dir / "articles.sqlite3"
    try:
        return SqliteArticleStore(path)
    except (sqlite3.Error, OSError) as exc:
        raise ConfigError(f"cannot open the article store {path}: {exc}") from exc


def check_stores_agree(articles: int, chunks: int, catalogue_existed: bool, where: str) -> None:
    """Refuse to serve from two stores that have lost each other (a deleted or replaced chunk
    index, a missing article database): that would answer from an empty corpus in silence."""
    if articles and not chunks:
        raise ConfigError(
            f"the article store holds {articles} articles but the chunk index at {where} is "
            "empty: it was deleted or replaced; restore it, or re-ingest into a new data dir"
        )
    if chunks and not catalogue_existed:
        raise ConfigError(
            f"the chunk index at {where} holds {chunks} chunks but the article database is "
            "missing: restore articles.sqlite3, or point RAG_DATA_DIR at the right folder"
        )


def start_runtime(settings: Settings, embedder: Embedder | None = None) -> Runtime:
    """Open the stores, load the embedder, start the embedded LLM when it is the one configured."""
    from index.chroma_store import ChromaChunkIndex
    from index.ingest import Ingestor
    from index.visibility import CurrentChunks, CurrentVersionRetriever

    embedder = embedder or EMBEDDERS[settings.embedding_backend](settings)
    catalogue_existed = (settings.data_dir / "articles.sqlite3").exists()
    articles = open_article_store(settings)
    closers: list[Callable[[], Any]] = [articles.close]
    where = settings.chroma_url or settings.data_dir / "chroma"
    try:
        chunks = ChromaChunkIndex(
            settings.data_dir / "chroma",
            settings.collection,
            embedder.name,
            embedder.dimension,
            url=settings.chroma_url,
        )
        check_stores_agree(articles.count(), chunks.count(), catalogue_existed, str(where))
    except Exception as exc:
        articles.close()
        if isinstance(exc, ConfigError):
            raise
        raise ConfigError(f"cannot open the chunk index at {where}: {exc}") from exc
    local, supervisor = None, None
    if settings.uses_local_llm:
        local = start_local_server(settings, LOCAL_MODELS[settings.local_model], closers)
        log.info("embedded LLM serving at %s", local.base_url)
        supervisor = Supervisor(local, settings.llm_health_interval_s).start()
        closers.append(supervisor.stop)
    chat = build_chat_model(settings, local)
    judges = settings.llm_judges and settings.answer_mode == "llm"
    judge = chat if judges else start_judge(settings, closers)
    # Readers see only chunks of each article's current version (index/visibility.py).
    retriever = CurrentVersionRetriever(
        HybridRetriever(
            embedder,
            CurrentChunks(chunks, articles.current_versions),
            find_articles=articles.find_ids,
            fields=articles.index_fields,
        ),
        articles.current_versions,
        articles.data_version,
    )
    policy = AnswerPolicy(
        evidence_sentences=settings.evidence_sentences,
        min_answer_score=settings.answer_floor,
        unknown_term_penalty=settings.unknown_term_penalty,
        llm_typed_only=settings.llm_answers_typed_only,
        llm_judges=judges,
        rule_gates=settings.uses_rule_gates or settings.answer_mode == "extractive",
        judge_scope=settings.judge_scope,
    )
    rewriter = QueryRewriter(chat if settings.llm_rewrites else None)
    gate = GenerationGate(settings.llm_concurrency, settings.llm_queue)
    answerer = Answerer(
        retriever,
        embedder,
        articles.get,
        chat,
        policy,
        rewriter,
        gate,
        places=Gazetteer(partial(cached_table, settings.model_cache_path)),
        judge=judge,
    )
    ingestor = Ingestor(
        embedder,
        articles,
        chunks,
        settings.chunk_max_tokens,
        settings.chunk_overlap_sentences,
        duplicate_threshold=settings.duplicate_threshold,
        batch_chunks=settings.ingest_batch_chunks,
    )
    model_name = chat.name if chat else "extractive"
    newsdesk = Newsdesk(articles, retriever, answerer, ingestor, model_name)
    return Runtime(newsdesk, local, closers, chat, supervisor, judge)


@contextmanager
def runtime(settings: Settings, embedder: Embedder | None = None):
    rt = start_runtime(settings, embedder)
    try:
        yield rt
    finally:
        rt.close()


def seed_if_empty(newsdesk: Newsdesk, settings: Settings) -> int:
    """Ingest the seed folder when the store holds no article; returns articles added."""
    from index.loading import iter_sources

    if newsdesk.articles.count() > 0 or settings.seed_dir is None:
        return 0
    if not settings.seed_dir.is_dir():
        log.warning("store is empty and seed folder %s does not exist", settings.seed_dir)
        return 0
    summary = newsdesk.ingest(iter_sources([settings.seed_dir]))
    log.info("seeded %d articles (%d chunks)", summary.articles, summary.chunks)
    for error in summary.errors:
        log.warning("seed record skipped: %s", error)
    return summary.articles
