"""`rag eval --url` against a real `rag serve` at its default rate limit (120 a minute, burst
30): no 429 may surface as an error in results.jsonl.

Without API keys the server exempts loopback callers, so a 300-question eval runs at full
speed; with keys configured loopback is limited like any address, and the client's retries
(429 after Retry-After) carry a smaller eval through the limit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from bench.server import free_port
from eval.clients import HttpClient, PoliteTransport
from eval.commands import eval_command

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
SEEDS_GOLD = ROOT / "eval" / "gold"


class Serve:
    """`python -m rag.cli serve` with no RAG_* setting but a fresh data dir, the seeds and
    extractive answers (the rate limit, keys aside, is the default)."""

    def __init__(self, data_dir: Path, **env: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environ = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
        cache = os.environ.get("RAG_MODEL_CACHE_DIR")
        self.env = environ | {
            "HF_HUB_OFFLINE": "1",
            "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
            "RAG_DATA_DIR": str(data_dir),
            "RAG_SEED_DIR": str(ROOT / "seeds"),
            "RAG_ANSWER_MODE": "extractive",
        }
        self.env |= ({"RAG_MODEL_CACHE_DIR": cache} if cache else {}) | env
        self.log = data_dir.parent / f"serve-{self.port}.log"

    def __enter__(self) -> str:
        cmd = [sys.executable, "-m", "rag.cli", "serve", "--port", str(self.port)]
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                cmd, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                if httpx.get(self.url + "/healthz", timeout=5).status_code == 200:
                    return self.url
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
        raise RuntimeError(f"server did not start; see {self.log}")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def gold_file(path: Path, n: int) -> Path:
    """`n` questions about the seeds: the seed sets' single-turn questions, cycled."""
    records = []
    for name in ("seeds.jsonl", "seeds_check.jsonl", "seeds_blind.jsonl", "seeds_blind2.jsonl"):
        for line in (SEEDS_GOLD / name).read_text().splitlines():
            if line.strip():
                records.append(json.loads(line))
    with path.open("w") as out:
        for i in range(n):
            record = dict(records[i % len(records)])
            record["id"] = f"h{i:03d}-{record['id']}"
            out.write(json.dumps(record) + "\n")
    return path


def errors_in(out: Path) -> list[str]:
    results = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    return [e for r in results for e in (r.get("error"), r.get("search_error")) if e]


def test_a_300_question_eval_against_a_default_server_meets_no_rate_limit(tmp_path):
    gold = gold_file(tmp_path / "gold.jsonl", 300)
    with Serve(tmp_path / "data") as url, HttpClient(url) as client:
        report = eval_command(client, gold, tmp_path / "out", top_k=5, progress=False)
    assert report["overall"]["n"] == 300
    assert errors_in(tmp_path / "out") == []
    assert report["meta"]["http_waits"] == {"retries": 0, "waited_s": 0.0}  # loopback exempt
    assert report["overall"]["citation_verbatim_rate"] == 1.0


def test_with_keys_loopback_is_limited_and_the_client_waits_its_turn(tmp_path):
    """120 a minute, burst 30, counted against 127.0.0.1: about 130 requests need 429s
    retried after their Retry-After, and none of them may end as an error."""
    gold = gold_file(tmp_path / "gold.jsonl", 60)
    keys = {"RAG_API_KEYS": "nd-eval-key-5e1b0c"}
    transport = PoliteTransport()
    with Serve(tmp_path / "data", **keys) as url, HttpClient(url, transport=transport) as client:
        report = eval_command(client, gold, tmp_path / "out", top_k=5, progress=False)
    assert report["overall"]["n"] == 60
    assert errors_in(tmp_path / "out") == []
    assert transport.retries > 0 and transport.waited_s > 0
    assert report["meta"]["http_waits"]["retries"] == transport.retries
