"""Locust users for `bench/load_test.py`: each one asks or searches in a loop, no think time.

200 is success; 429 (rate limited) and 503 (generation queue full, with Retry-After) are
the service refusing on purpose and are not failures; anything else is. Every response is
also appended to `$LOAD_SAMPLES` as a JSON line (endpoint, status, milliseconds, end time,
and for answers whether they were degraded), from which the driver computes exact figures.
"""

from __future__ import annotations

import json
import os
import random
import time
from pathlib import Path

from locust import HttpUser, constant, events, task

DELIBERATE = (429, 503)
QUESTIONS_FILE = Path(__file__).resolve().parents[1] / "eval" / "gold" / "seeds.jsonl"
QUESTIONS = [
    json.loads(line)["question"]
    for line in QUESTIONS_FILE.read_text(encoding="utf-8").splitlines()
    if line.strip()
]
_samples = open(os.environ.get("LOAD_SAMPLES", os.devnull), "a", buffering=1)  # noqa: SIM115


@events.request.add_listener
def record(name, response_time, response=None, **_):
    status = getattr(response, "status_code", 0) or 0  # 0: no HTTP response at all
    sample = {"endpoint": name, "status": status, "ms": response_time, "t": time.time()}
    if name == "/ask" and status == 200:
        sample["degraded"] = bool(response.json().get("degraded"))
    _samples.write(json.dumps(sample) + "\n")


class NewsReader(HttpUser):
    wait_time = constant(0)

    def _post(self, path: str, body: dict) -> None:
        with self.client.post(path, json=body, name=path, catch_response=True) as response:
            if response.status_code == 200 or response.status_code in DELIBERATE:
                response.success()
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")

    @task
    def search(self) -> None:
        self._post("/search", {"query": random.choice(QUESTIONS), "top_k": 10})

    @task
    def ask(self) -> None:
        self._post("/ask", {"question": random.choice(QUESTIONS)})
