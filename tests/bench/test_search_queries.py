"""The search benchmark sends distinct queries, so cached query embeddings do not flatter it."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench.search import distinct_queries, load_test


def test_distinct_queries_are_distinct_and_deterministic():
    queries = distinct_queries(700)
    assert len(queries) == len(set(queries)) == 700
    assert distinct_queries(50) == queries[:50]


def test_load_test_takes_queries_from_start_on():
    seen: list[str] = []

    class Recorder(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["content-length"])))
            seen.append(body["query"])
            self.send_response(200)
            self.send_header("content-length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        queries = [f"q{i}" for i in range(10)]
        latencies, errors, _ = load_test(url, queries, clients=2, per_client=3, start=4)
    finally:
        server.shutdown()
    assert not errors and len(latencies) == 6
    assert sorted(seen) == sorted(["q4", "q5", "q6", "q7", "q8", "q9"])
