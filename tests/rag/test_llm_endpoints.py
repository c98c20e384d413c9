"""Which LLM server is called, and what happens when it misbehaves.

A recording proxy in front of a second real llama.cpp server shows OPENAI_BASE_URL is honoured;
a fake OpenAI-compatible server injects faults (500, 429, garbage, timeouts).
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from rag.assembly import seed_if_empty, start_runtime
from rag.local_llm import LocalLLMServer
from rag.local_models import QWEN, SMOLLM2
from rag.model_fetch import model_path
from rag.settings import Settings

pytestmark = pytest.mark.integration

QUESTION = "How many soldiers has Russia lost this year, according to Zelensky?"


class _Server:
    def __init__(self, handler):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def recording_proxy(upstream: str, seen: list[dict]):
    class Proxy(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["content-length"]))
            seen.append({"path": self.path, "body": json.loads(body)})
            r = httpx.post(
                upstream + self.path.removeprefix("/v1"),
                content=body,
                headers={"content-type": "application/json"},
                timeout=60,
            )
            self.send_response(r.status_code)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(r.content)))
            self.end_headers()
            self.wfile.write(r.content)

        def log_message(self, *args):
            pass

    return _Server(Proxy)


def faulty_server(mode: str):
    class Faulty(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["content-length"]))
            if mode == "timeout":
                time.sleep(3)
            status, body = {
                "500": (500, b'{"error": {"message": "boom"}}'),
                "429": (429, b'{"error": {"message": "slow down"}}'),
                "garbage": (200, b"this is not json"),
                "bad-content": (
                    200,
                    json.dumps(
                        {
                            "id": "x",
                            "object": "chat.completion",
                            "created": 0,
                            "model": "m",
                            "choices": [
                                {
                                    "index": 0,
                                    "finish_reason": "stop",
                                    "message": {"role": "assistant", "content": "{not json"},
                                }
                            ],
                            "usage": {
                                "prompt_tokens": 42,
                                "completion_tokens": 3,
                                "total_tokens": 45,
                            },
                        }
                    ).encode(),
                ),
                "timeout": (200, b"{}"),
            }[mode]
            try:
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                pass

        def log_message(self, *args):
            pass

    return _Server(Faulty)


def test_openai_base_url_server_is_the_one_called(tmp_path, make_settings, real_embedder):
    # A model behind OPENAI_BASE_URL is taken to judge: the one that can plays it.
    second = LocalLLMServer(model_path(QWEN, Settings().model_cache_path))
    second.start()
    seen: list[dict] = []
    with recording_proxy(second.base_url, seen) as url:
        settings = make_settings(tmp_path, openai_base_url=url, llm_model="second-server")
        rt = start_runtime(settings, embedder=real_embedder)
        try:
            assert rt.local_llm is None  # no embedded server started
            seed_if_empty(rt.newsdesk, settings)
            answer = rt.newsdesk.ask(QUESTION, 5)
        finally:
            rt.close()
    second.stop()
    assert seen, "the configured server was never called"
    assert seen[0]["path"] == "/v1/chat/completions"
    assert seen[0]["body"]["model"] == "second-server"
    assert QUESTION in seen[0]["body"]["messages"][-1]["content"]
    assert answer.answered
    # The answer's second look went to the same server.
    assert any(s["body"].get("logprobs") and s["body"]["model"] == "second-server" for s in seen)


@pytest.mark.parametrize("mode", ["500", "429", "garbage", "bad-content", "timeout"])
def test_llm_faults_degrade_to_an_extractive_answer(tmp_path, make_settings, real_embedder, mode):
    with faulty_server(mode) as url:
        settings = make_settings(
            tmp_path, openai_base_url=url, llm_timeout_s=1.0, llm_max_retries=0
        )
        rt = start_runtime(settings, embedder=real_embedder)
        try:
            seed_if_empty(rt.newsdesk, settings)
            answer = rt.newsdesk.ask(QUESTION, 5)
        finally:
            rt.close()
    assert answer.answered and answer.degraded
    assert "400,000" in answer.answer
    assert answer.citations and "400,000" in answer.citations[0].quote
    # A reply that came back unusable was still read: its prompt tokens are reported.
    assert answer.prompt_tokens == (42 if mode == "bad-content" else 0)


def test_supervisor_restarts_a_dead_embedded_server(tmp_path):
    from rag.local_llm import Supervisor

    server = LocalLLMServer(model_path(SMOLLM2, tmp_path))
    url = server.start()
    supervisor = Supervisor(server, interval_s=60)
    assert supervisor.check_once() == "up" and server.restarts == 0
    server.stop()  # the server is gone
    assert not server.healthy()
    assert supervisor.check_once() == "up"
    assert server.restarts == 1 and server.base_url == url and server.healthy()
    server.stop()


def test_answers_degrade_while_the_embedded_llm_is_down_and_it_comes_back(
    tmp_path, make_settings, real_embedder
):
    settings = make_settings(tmp_path, llm_health_interval_s=0.5)
    rt = start_runtime(settings, embedder=real_embedder)
    try:
        seed_if_empty(rt.newsdesk, settings)
        rt.local_llm.stop()  # the embedded server dies under a running service
        down = rt.newsdesk.ask(QUESTION, 5)
        assert down.answered and down.degraded and "400,000" in down.answer
        started = time.monotonic()
        while not rt.local_llm.healthy() and time.monotonic() - started < 30:
            time.sleep(0.2)
        recovered_s = time.monotonic() - started
        assert rt.local_llm.healthy() and recovered_s < 30
        assert rt.local_llm.restarts >= 1 and rt.health()["llm_server"] == "up"
        again = rt.newsdesk.ask(QUESTION, 5)
        assert again.answered and again.prompt_tokens > 0  # the model was reached again
    finally:
        rt.close()
