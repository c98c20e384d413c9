"""The embedded LLM (a GGUF of rag/local_models.py) served by xllamacpp in this process."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from urllib.parse import urlsplit

import httpx

log = logging.getLogger(__name__)


class LocalLLMServer:
    """An OpenAI-compatible llama.cpp server on a random loopback port, in this process."""

    def __init__(self, model_path: Path, threads: int = 2, n_ctx: int = 4096):
        self._model_path = model_path
        self._threads = threads
        self._n_ctx = n_ctx
        self._server = None
        self._port: int | None = None
        self.restarts = 0

    def start(self) -> str:
        """Load the model and start serving; returns the `/v1` base URL.

        A restart reuses the first start's port, so clients keep their base URL.
        """
        import xllamacpp

        params = xllamacpp.CommonParams()
        if self._port is not None:
            params.port = self._port
        params.model.path = str(self._model_path)
        params.n_ctx = self._n_ctx
        # Two slots, each keeping its own prompt: the answer's and its second look's prefixes
        # stay computed side by side (Qwen2.5-1.5B, 2 cores: a second look 0.85 s instead of
        # 1.3 s when one slot restores the other prompt from its RAM cache). The context is
        # shared out: 2,048 tokens a slot, several times the longest prompt sent.
        params.n_parallel = 2
        params.cache_prompt = True
        params.verbosity = 0
        params.cpuparams.n_threads = self._threads
        params.cpuparams_batch.n_threads = self._threads
        self._server = xllamacpp.Server(params)
        self._port = urlsplit(self._server.listening_address).port
        return self.base_url

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("call start() before using the local LLM server")
        return self._server.listening_address.rstrip("/") + "/v1"

    @property
    def running(self) -> bool:
        return self._server is not None

    def healthy(self, timeout_s: float = 2.0) -> bool:
        """The server answers its `/health` endpoint."""
        if self._server is None:
            return False
        root = self._server.listening_address.rstrip("/")
        try:
            return httpx.get(f"{root}/health", timeout=timeout_s).status_code == 200
        except httpx.HTTPError:
            return False

    def restart(self) -> None:
        self.stop()
        self.start()
        self.restarts += 1

    def stop(self) -> None:
        self._server = None  # the server shuts down when the object is released


class Supervisor:
    """Checks the embedded server every `interval_s` and restarts it when it stops answering."""

    def __init__(self, server: LocalLLMServer, interval_s: float = 10.0):
        self._server = server
        self._interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="llm-supervisor", daemon=True)
        self.state = "up"

    def start(self) -> Supervisor:
        self._thread.start()
        return self

    def check_once(self) -> str:
        if self._server.healthy():
            self.state = "up"
            return self.state
        log.warning("embedded LLM server is not answering; restarting it")
        self.state = "restarting"
        try:
            self._server.restart()
            self.state = "up" if self._server.healthy() else "down"
        except Exception:  # a failed restart must not kill the supervisor
            log.exception("restarting the embedded LLM failed")
            self.state = "down"
        return self.state

    def _run(self) -> None:
        while not self._stop.wait(self._interval_s):
            self.check_once()

    def stop(self) -> None:
        self._stop.set()
