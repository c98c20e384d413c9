"""Generation beyond the queue limit is refused with 503 + Retry-After, over a real socket."""

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from api.app import create_app

pytestmark = pytest.mark.integration

QUESTION = "How many soldiers has Russia lost this year, according to Zelensky?"


class SlowLLM(BaseHTTPRequestHandler):
    """An OpenAI-compatible server that takes 2 s to give the figure the evidence holds."""

    def do_POST(self):
        self.rfile.read(int(self.headers["content-length"]))
        time.sleep(2)
        body = json.dumps(
            {
                "id": "x",
                "object": "chat.completion",
                "created": 0,
                "model": "slow",
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        "message": {
                            "role": "assistant",
                            "content": '{"answer": "400,000"}',
                        },
                    }
                ],
            }
        ).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_requests_beyond_the_generation_queue_get_503_with_retry_after(
    tmp_path, uvicorn_thread, make_settings
):
    llm = ThreadingHTTPServer(("127.0.0.1", 0), SlowLLM)
    threading.Thread(target=llm.serve_forever, daemon=True).start()
    settings = make_settings(
        tmp_path,
        openai_base_url=f"http://127.0.0.1:{llm.server_address[1]}/v1",
        llm_concurrency=1,
        llm_queue=0,
        llm_max_retries=0,
    )
    try:
        with uvicorn_thread(create_app(settings)) as url:
            with ThreadPoolExecutor(3) as pool:
                futures = [
                    pool.submit(httpx.post, f"{url}/ask", json={"question": QUESTION}, timeout=30)
                    for _ in range(3)
                ]
                responses = [f.result() for f in futures]
                chat_body = {
                    "model": "newsdesk",
                    "messages": [{"role": "user", "content": QUESTION}],
                }
                chats = [
                    pool.submit(
                        httpx.post, f"{url}/v1/chat/completions", json=chat_body, timeout=30
                    )
                    for _ in range(3)
                ]
                chat_responses = [f.result() for f in chats]
            health = httpx.get(f"{url}/healthz").json()
    finally:
        llm.shutdown()
    codes = sorted(r.status_code for r in responses)
    assert codes.count(200) >= 1 and 503 in codes, codes
    refused = next(r for r in responses if r.status_code == 503)
    assert refused.headers["retry-after"] == "2"
    assert refused.json()["error"] == "Overloaded"
    served = next(r for r in responses if r.status_code == 200).json()
    assert not served["degraded"] and "400,000" in served["answer"] and served["citations"]
    assert health["llm"] == "remote" and health["llm_circuit"] == "closed"
    chat_codes = sorted(r.status_code for r in chat_responses)
    assert 200 in chat_codes and 503 in chat_codes, chat_codes
    busy = next(r for r in chat_responses if r.status_code == 503)
    assert busy.headers["retry-after"] == "2" and busy.json()["error"]["type"] == "server_error"
