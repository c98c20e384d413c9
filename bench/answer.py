"""Answer: `/ask` with the embedded LLM on a gold set, over HTTP (streamed) and in process.

The HTTP pass measures what a client sees: latency and time to the first streamed `delta`.
The in-process pass runs the eval harness for answer accuracy and records the prompt
tokens each question sent to the model (the HTTP response does not carry them).
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from pathlib import Path
from typing import Any

import httpx

from bench.measure import latency_summary, load_average, median
from bench.server import ApiServer
from eval.clients import polite_client
from eval.gold import load_gold
from eval.inprocess import InProcessClient
from eval.runner import run_eval
from rag.assembly import runtime, seed_if_empty
from rag.local_models import DEFAULT_LOCAL_MODEL
from rag.settings import Settings

log = logging.getLogger(__name__)


def ask_streamed(http: httpx.Client, question: str) -> dict[str, Any]:
    """One streamed `/ask`: total seconds, seconds to the first delta, and the `done` event."""
    started = time.perf_counter()
    first: float | None = None
    event, done = None, {}
    with http.stream("POST", "/ask", json={"question": question, "stream": True}) as response:
        response.raise_for_status()
        for line in response.iter_lines():
            if line.startswith("event: "):
                event = line[len("event: ") :]
            elif line.startswith("data: "):
                if event == "delta" and first is None:
                    first = time.perf_counter() - started
                if event == "done":
                    done = json.loads(line[len("data: ") :])
    total = time.perf_counter() - started
    return {"total_s": total, "first_token_s": first if first is not None else total, "done": done}


class _PromptRecorder:
    """A `Newsdesk` stand-in that remembers each answer's prompt token count."""

    def __init__(self, newsdesk):
        self._newsdesk = newsdesk
        self.prompt_tokens: list[int] = []
        self.seconds: list[float] = []

    def ask(self, *args, **kwargs):
        started = time.perf_counter()
        answer = self._newsdesk.ask(*args, **kwargs)
        self.seconds.append(time.perf_counter() - started)
        self.prompt_tokens.append(answer.prompt_tokens)
        return answer

    def __getattr__(self, name: str):
        return getattr(self._newsdesk, name)


def run_answer(
    gold: Path,
    work_dir: Path,
    logs_dir: Path,
    model_cache: Path,
    limit: int | None,
    backend: str = "onnx",  # the default embedding backend (rag/settings.py)
    local_model: str = DEFAULT_LOCAL_MODEL,
) -> dict[str, Any]:
    questions = load_gold(gold)[:limit] if limit else load_gold(gold)
    data_dir = work_dir / f"answer-{backend}-{local_model}"
    # Seeded afresh each run: a store kept from an earlier run holds the articles as the
    # cleaning of that day left them, and the figures would not be this commit's.
    shutil.rmtree(data_dir, ignore_errors=True)
    env = {
        "RAG_DATA_DIR": str(data_dir),
        "RAG_SEED_DIR": str(Path("seeds").resolve()),
        "RAG_ANSWER_MODE": "llm",
        "RAG_EMBEDDING_BACKEND": backend,
        "RAG_MODEL_CACHE_DIR": str(model_cache),
        "RAG_LOCAL_MODEL": local_model,
    }
    http_runs = []
    server = ApiServer(env, logs_dir / f"answer-{backend}-{local_model}.log")
    with server, polite_client(120, base_url=server.url) as http:
        ask_streamed(http, questions[0].question)  # warm the LLM and its prompt cache
        load = load_average()
        for q in questions:
            run = ask_streamed(http, q.question)
            http_runs.append(run | {"id": q.id})
        memory = {"what": f"answer server: seeds, {backend}, {local_model}"} | server.memory()
    totals = [r["total_s"] for r in http_runs]
    firsts = [r["first_token_s"] for r in http_runs]
    dones = [r["done"] for r in http_runs]
    http_summary = {
        "questions": len(http_runs),
        "load_average_before": load,
        "latency": latency_summary(totals),
        "first_token": latency_summary(firsts),
        "answered_rate": round(sum(bool(d.get("answered")) for d in dones) / len(dones), 3),
        "degraded_rate": round(sum(bool(d.get("degraded")) for d in dones) / len(dones), 3),
        "server_generate_ms_p50": round(
            median([d.get("timings_ms", {}).get("generate", 0.0) for d in dones]), 1
        ),
        "server_startup_s": round(server.startup_s, 1),
    }

    settings = Settings(
        data_dir=data_dir,
        seed_dir=Path("seeds"),
        answer_mode="llm",
        embedding_backend=backend,
        model_cache_dir=model_cache,
        local_model=local_model,
    )
    with runtime(settings) as rt:
        seed_if_empty(rt.newsdesk, settings)
        recorder = _PromptRecorder(rt.newsdesk)
        _, report = run_eval(
            InProcessClient(recorder), questions, top_k=5, progress=False, gold_file=str(gold)
        )
    overall = report["overall"]
    sent = [t for t in recorder.prompt_tokens if t]
    in_process = {
        "questions": len(recorder.seconds),
        "latency": latency_summary(recorder.seconds),
        "llm_calls": len(sent),
        "prompt_tokens_mean": round(sum(sent) / len(sent), 1) if sent else 0,
        "prompt_tokens_p50": median(sent) if sent else 0,
        "prompt_tokens_max": max(sent) if sent else 0,
        "eval": {
            k: overall.get(k)
            for k in (
                "answer_accuracy",
                "citation_verbatim_rate",
                "citation_precision",
                "refusal_rate",
                "false_refusal_rate",
                "hit@1",
                "hit@5",
                "degraded_rate",
            )
        },
    }
    return {
        "backend": backend,
        "model": local_model,
        "http": http_summary,
        "in_process": in_process,
        "memory": memory,
    }
