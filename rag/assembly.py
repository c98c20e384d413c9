"""Builds a `Newsdesk` from settings: the one place backends are chosen and wired."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from rag.answering import Answerer, AnswerPolicy
from rag.errors import ConfigError
from rag.llm import OpenAIChatModel
from rag.local_llm import LocalLLMServer
from rag.protocols import ChatModel, Embedder
from rag.retrieval import HybridRetriever
from rag.rewriting import QueryRewriter
from rag.service import Newsdesk
from rag.settings import Settings

log = logging.getLogger(__name__)


def _sentence_transformers(settings: Settings) -> Embedder:
    from index.embedding import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(settings.embedding_model, settings.embedding_batch_size)


EMBEDDERS: dict[str, Callable[[Settings], Embedder]] = {
    "sentence-transformers": _sentence_transformers,
}


@dataclass
class Runtime:
    """Everything started for a `Newsdesk`, so it can be stopped in one place."""

    newsdesk: Newsdesk
    local_llm: LocalLLMServer | None
    closers: list[Callable[[], Any]]

    def close(self) -> None:
        for close in reversed(self.closers):
            close()


def build_chat_model(settings: Settings, local: LocalLLMServer | None) -> ChatModel | None:
    if settings.answer_mode == "extractive":
        return None
    if settings.openai_base_url:
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
        return OpenAIChatModel(
            settings.openai_base_url,
            settings.llm_model,
            key,
            settings.llm_timeout_s,
            settings.llm_max_retries,
        )
    if local is None:
        raise ConfigError("no LLM configured: set OPENAI_BASE_URL or start the local server")
    return OpenAIChatModel(
        local.base_url, settings.llm_model, None, settings.llm_timeout_s, settings.llm_max_retries
    )


def open_article_store(settings: Settings):
    """The article catalogue alone (no model, no chunk index), e.g. for `rag ls`."""
    from index.article_store import SqliteArticleStore

    return SqliteArticleStore(settings.data_dir / "articles.sqlite3")


def start_runtime(settings: Settings, embedder: Embedder | None = None) -> Runtime:
    """Open the stores, load the embedder, start the embedded LLM when it is the one configured."""
    from index.chroma_store import ChromaChunkIndex
    from index.ingest import Ingestor
    from index.visibility import CurrentChunks, CurrentVersionRetriever

    embedder = embedder or EMBEDDERS["sentence-transformers"](settings)
    articles = open_article_store(settings)
    closers: list[Callable[[], Any]] = [articles.close]
    chunks = ChromaChunkIndex(
        settings.data_dir / "chroma", settings.collection, embedder.name, embedder.dimension
    )
    local = None
    if settings.uses_local_llm:
        local = LocalLLMServer(threads=settings.llm_threads, n_ctx=settings.llm_ctx)
        local.start()
        closers.append(local.stop)
        log.info("embedded LLM serving at %s", local.base_url)
    chat = build_chat_model(settings, local)
    # Readers see only chunks of each article's current version (index/visibility.py).
    retriever = CurrentVersionRetriever(
        HybridRetriever(
            embedder,
            CurrentChunks(chunks, articles.current_versions),
            find_articles=articles.find_ids,
        ),
        articles.current_versions,
        articles.data_version,
    )
    policy = AnswerPolicy(
        evidence_sentences=settings.evidence_sentences,
        min_answer_score=settings.min_answer_score,
        unknown_term_penalty=settings.unknown_term_penalty,
    )
    use_llm_rewrite = settings.rewrite_mode == "llm" or (
        settings.rewrite_mode == "auto" and bool(settings.openai_base_url)
    )
    rewriter = QueryRewriter(chat if use_llm_rewrite else None)
    answerer = Answerer(retriever, embedder, articles.get, chat, policy, rewriter)
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
    return Runtime(newsdesk, local, closers)


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
