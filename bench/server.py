"""The real API in a child process (`uvicorn --factory api.app:create_app`), configured by env."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bench.measure import rss_mib

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ApiServer:
    """Start the API with `env` (RAG_* settings), wait for /healthz, stop it on exit."""

    def __init__(self, env: dict[str, str], log_path: Path, workers: int = 1, timeout: float = 600):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # The per-client rate limit would turn a load test into a test of the limiter.
        quiet = {"HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
        self.env = os.environ | quiet | {"RAG_RATE_LIMIT_PER_MIN": "0"} | env
        self.log_path = log_path
        self.workers = workers
        self.timeout = timeout
        self.process: subprocess.Popen | None = None
        self.startup_s = 0.0

    def __enter__(self) -> ApiServer:
        cmd = [sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app"]
        cmd += ["--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"]
        if self.workers > 1:
            cmd += ["--workers", str(self.workers)]
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("w")
        started = time.perf_counter()
        self.process = subprocess.Popen(
            cmd, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + self.timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited; see {self.log_path}")
            try:
                if httpx.get(self.url + "/healthz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.__exit__()
                raise RuntimeError(f"server did not start in {self.timeout}s; see {self.log_path}")
            time.sleep(0.25)
        self.startup_s = time.perf_counter() - started
        return self

    def memory(self) -> dict[str, float]:
        """RSS of the server and its workers (children included)."""
        assert self.process is not None
        return rss_mib(self.process.pid)

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class ChromaServer:
    """`chroma run --path PATH` on a free loopback port (the CLI ships with chromadb)."""

    def __init__(self, path: Path, log_path: Path, timeout: float = 120):
        self.path = path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.timeout = timeout
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> ChromaServer:
        cli = Path(sys.executable).parent / "chroma"
        cmd = [str(cli), "run", "--path", str(self.path), "--host", "127.0.0.1"]
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("w")
        self.process = subprocess.Popen(
            cmd + ["--port", str(self.port)], stdout=log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                if httpx.get(self.url + "/api/v2/heartbeat", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                raise RuntimeError(f"chroma run did not start; see {self.log_path}")
            time.sleep(0.2)

    def memory(self) -> dict[str, float]:
        assert self.process is not None
        return rss_mib(self.process.pid)

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
