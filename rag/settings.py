"""All configuration, read from the environment in one place (`get_settings`)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from rag.local_models import LOCAL_MODELS


class Settings(BaseSettings):
    """Newsdesk settings; environment variables use the `RAG_` prefix unless noted."""

    model_config = SettingsConfigDict(env_prefix="RAG_", extra="ignore")

    data_dir: Path = Path("data")
    seed_dir: Path | None = Path("seeds")
    host: str = "127.0.0.1"
    port: int = 8000

    embedding_model: str = "all-MiniLM-L6-v2"
    embedding_batch_size: int = 32
    # "onnx" (default) runs an offline ONNX export of the same model (index/onnx_embedding.py):
    # identical vectors and eval metrics, 1.7x the texts/s of "sentence-transformers" (torch),
    # and a query embedding in ~3 ms instead of ~16 ms (bench/results/SUMMARY.md).
    embedding_backend: Literal["sentence-transformers", "onnx"] = "onnx"
    embedding_threads: int | None = Field(None, ge=1)
    # Derived model files (the ONNX export, the city table) shared by every data dir;
    # default: $XDG_CACHE_HOME/newsdesk, else ~/.cache/newsdesk.
    model_cache_dir: Path | None = None
    collection: str = "newsdesk_chunks"
    # A Chroma server (`chroma run`, http://host:port) instead of the store in data_dir/chroma.
    chroma_url: str | None = None
    chunk_max_tokens: int = Field(128, ge=16, le=256)
    chunk_overlap_sentences: int = Field(1, ge=0, le=5)
    # Shingle Jaccard similarity from which an article counts as a near-duplicate.
    duplicate_threshold: float = Field(0.9, ge=0.5, le=1.0)
    ingest_batch_chunks: int = Field(256, ge=1, le=4096)

    top_k: int = Field(5, ge=1, le=20)
    evidence_sentences: int = Field(4, ge=1, le=10)
    answer_mode: Literal["llm", "extractive"] = "llm"
    # Follow-up rewriting: "auto" uses the LLM only when OPENAI_BASE_URL names a capable model.
    rewrite_mode: Literal["auto", "llm", "rules"] = "auto"
    # Which questions the LLM answers: "typed" (asking for a name, number or time; the rest are
    # answered extractively), "all", or "auto": typed with the embedded SmolLM2 (it answered
    # none of the 31 other seeds questions acceptably, at ~2 s each), all with OPENAI_BASE_URL.
    llm_questions: Literal["auto", "typed", "all"] = "auto"
    # Evidence support below which the service declines without asking the LLM. Unset: 0.30
    # with a model that judges (it declines what the evidence does not say, so fewer
    # answerable questions are lost before it sees them; docs/evaluation.md has the figures),
    # 0.40 with SmolLM2 or extractive answers.
    min_answer_score: float | None = None
    # The hand-written answer checks in front of the LLM; unset: only when it cannot judge.
    rule_gates: bool | None = None
    unknown_term_penalty: float = 0.12

    # The embedded LLM (rag/local_models.py): "smollm2" (default) or "qwen2.5-1.5b", which
    # judges what the evidence says (docs/evaluation.md compares them).
    local_model: Literal["qwen2.5-1.5b", "smollm2"] = "smollm2"
    # A second embedded model that takes a second look at the answers of one that cannot judge
    # (SmolLM2, or extractive answers) and declines those it does not confirm:
    # "qwen2.5-1.5b" (default: general_blind/unanswerable 5 -> 9 of 12 declined, general_blind
    # 52 -> 54 of 60 and seeds 67 -> 66 of 79 answered; figures in docs/evaluation.md) or
    # "off" (1.9 GB less memory). It also
    # reads the best evidence when its support is just under the floor (0.30-0.40) and answers
    # extractively where it surely confirms it (yes 0.75). A model that judges takes its own
    # second look.
    judge_model: Literal["off", "qwen2.5-1.5b"] = "qwen2.5-1.5b"
    # Which of those answers it looks at: "doubt" (only those whose cited articles lack the
    # question's terms: /ask p50 0.41 -> 0.55 s on 2 cores; one right answer of 296 lost on
    # RealTime QA, none on the blind sets) or "all" (more declined, p50 3.9 s).
    judge_scope: Literal["all", "doubt"] = "doubt"
    # The model name sent to OPENAI_BASE_URL; the embedded model's own name when unset.
    llm_model: str | None = None
    llm_timeout_s: float = 20.0
    llm_max_retries: int = Field(2, ge=0, le=5)
    llm_breaker_threshold: int = Field(5, ge=1)
    llm_breaker_reset_s: float = Field(30.0, gt=0)
    llm_concurrency: int = Field(1, ge=1, le=16)
    llm_queue: int = Field(8, ge=0, le=1000)
    llm_health_interval_s: float = Field(10.0, gt=0)
    llm_threads: int = 2
    llm_ctx: int = 4096
    openai_base_url: str | None = Field(
        None, validation_alias=AliasChoices("OPENAI_BASE_URL", "RAG_OPENAI_BASE_URL")
    )
    openai_api_key: SecretStr | None = Field(
        None, validation_alias=AliasChoices("OPENAI_API_KEY", "RAG_OPENAI_API_KEY")
    )

    # API keys (api/security.py): comma-separated, or the path of a file with one per line.
    api_keys: SecretStr | None = None
    require_key_for_read: bool = False
    # Request body limits in bytes (api/limits.py): everything, and POST /articles.
    max_body_bytes: int = Field(1 << 20, ge=1024)
    max_article_body_bytes: int = Field(20 << 20, ge=1024)
    # Requests per minute per API key or client address (api/ratelimit.py); 0 disables.
    rate_limit_per_min: int = Field(120, ge=0)
    rate_limit_burst: int = Field(30, ge=1)

    @property
    def uses_local_llm(self) -> bool:
        return not self.openai_base_url and self.answer_mode == "llm"

    @property
    def llm_rewrites(self) -> bool:
        """Whether follow-ups are rewritten by the LLM ("auto": only with OPENAI_BASE_URL)."""
        return self.rewrite_mode == "llm" or (
            self.rewrite_mode == "auto" and bool(self.openai_base_url)
        )

    @property
    def llm_judges(self) -> bool:
        """Whether the LLM's NOT_FOUND (or an answer that cannot be grounded) declines: a
        remote model, or an embedded one that can judge (not SmolLM2)."""
        return bool(self.openai_base_url) or LOCAL_MODELS[self.local_model].judges

    @property
    def llm_answers_typed_only(self) -> bool:
        if self.llm_questions == "auto":
            return not self.llm_judges
        return self.llm_questions == "typed"

    @property
    def answer_floor(self) -> float:
        if self.min_answer_score is not None:
            return self.min_answer_score
        return 0.30 if self.llm_judges and self.answer_mode == "llm" else 0.40

    @property
    def uses_rule_gates(self) -> bool:
        return not self.llm_judges if self.rule_gates is None else self.rule_gates

    @property
    def chat_model_name(self) -> str:
        """The model name asked for: RAG_LLM_MODEL, else the embedded model's own name."""
        return self.llm_model or LOCAL_MODELS[self.local_model].name

    @property
    def model_cache_path(self) -> Path:
        return self.model_cache_dir or user_cache_dir()


def user_cache_dir() -> Path:
    """The per-user cache folder (XDG base directories), so a fresh data dir exports nothing."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsdesk"


@lru_cache
def get_settings() -> Settings:
    return Settings()
