"""Shared fixtures: deterministic fakes for the unit layer, real parts for integration."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
# Suites send bursts from one address; rate-limit tests configure their own limiter.
os.environ.setdefault("RAG_RATE_LIMIT_PER_MIN", "0")

from rag.settings import Settings  # noqa: E402
from rag.terms import tokens  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


class HashingEmbedder:
    """Deterministic bag-of-words embedder: each token hashes to one of 64 dimensions."""

    name = "hashing-64"
    dimension = 64
    max_tokens = 256

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for tok in tokens(text):
                out[row, int(hashlib.md5(tok.encode()).hexdigest(), 16) % self.dimension] += 1
            norm = np.linalg.norm(out[row])
            if norm:
                out[row] /= norm
        return out

    def count_tokens(self, text: str) -> int:
        return len(tokens(text)) + 2


class CountingEmbedder:
    """Wraps an embedder and records every text it is asked to embed (in `texts`)."""

    def __init__(self, inner):
        self._inner = inner
        self.name, self.dimension, self.max_tokens = inner.name, inner.dimension, inner.max_tokens
        self.texts: list[str] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.texts += list(texts)
        return self._inner.embed(texts)

    def count_tokens(self, text: str) -> int:
        return self._inner.count_tokens(text)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def hashing_embedder() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture(scope="session")
def real_embedder():
    """The default embedding backend, as `make serve` runs it."""
    from rag.assembly import EMBEDDERS

    settings = Settings()
    return EMBEDDERS[settings.embedding_backend](settings)


@pytest.fixture(scope="session")
def torch_embedder():
    """The sentence-transformers (torch) backend, the reference the ONNX export is held to."""
    from index.embedding import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder("all-MiniLM-L6-v2")


def seeded_settings(data_dir: Path, **overrides) -> Settings:
    return Settings(data_dir=data_dir, seed_dir=SEEDS, **overrides)


@pytest.fixture(scope="session")
def seeded_runtime(tmp_path_factory, real_embedder):
    """Real Chroma store in a temp dir, real MiniLM, real embedded LLM, seeds ingested."""
    from rag.assembly import seed_if_empty, start_runtime

    settings = seeded_settings(tmp_path_factory.mktemp("data"))
    rt = start_runtime(settings, embedder=real_embedder)
    seed_if_empty(rt.newsdesk, settings)
    yield rt
    rt.close()


class UvicornThread:
    """Serve an ASGI app on a free loopback port in a background thread."""

    def __init__(self, app, timeout: float = 180.0):
        import threading

        import uvicorn

        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.timeout = timeout

    def __enter__(self) -> str:
        import time

        self.thread.start()
        deadline = time.monotonic() + self.timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.05)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


@pytest.fixture(scope="session")
def uvicorn_thread():
    return UvicornThread


@pytest.fixture(scope="session")
def make_settings():
    """Settings for a temp data dir with the seeds folder; keyword overrides allowed."""
    return seeded_settings
