"""Embedding backends side by side: speed, vector parity and eval-metric parity.

Eval parity runs `RAG_ANSWER_MODE=extractive` (no LLM), so the metrics move only with
retrieval and evidence scoring, which is all the embedding backend can change.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

import numpy as np

from bench import corpus
from bench.measure import load_average, median, timed_cpu
from bench.stores import stored_chunk_texts
from eval.gold import load_gold
from eval.inprocess import InProcessClient
from eval.runner import run_eval
from rag.assembly import EMBEDDERS, runtime, seed_if_empty
from rag.settings import Settings

log = logging.getLogger(__name__)

EVAL_KEYS = (
    "answer_accuracy",
    "citation_verbatim_rate",
    "citation_precision",
    "citation_recall",
    "refusal_rate",
    "false_refusal_rate",
    "hit@1",
    "hit@5",
)


def _eval(settings: Settings, gold: Path, embedder) -> tuple[dict[str, Any], list[str]]:
    """Extractive eval metrics of a store (seeded if empty), and the texts of its chunks."""
    with runtime(settings, embedder) as rt:
        seed_if_empty(rt.newsdesk, settings)
        _, report = run_eval(
            InProcessClient(rt.newsdesk), load_gold(gold), top_k=5, progress=False,
            gold_file=str(gold),
        )  # fmt: skip
    texts = stored_chunk_texts(settings, embedder.name, embedder.dimension)
    return {k: report["overall"].get(k) for k in EVAL_KEYS}, texts


def run_embedding(
    gold: Path,
    work_dir: Path,
    settings: Settings,
    backends: tuple[str, ...] = ("sentence-transformers", "onnx"),
    repeats: int = 3,
) -> dict[str, Any]:
    embedders = {
        b: EMBEDDERS[b](settings.model_copy(update={"embedding_backend": b})) for b in backends
    }
    evals: dict[str, Any] = {}
    seed_chunks: list[str] = []
    for backend in backends:
        data_dir = work_dir / f"eval-{backend}"
        shutil.rmtree(data_dir, ignore_errors=True)
        run_settings = settings.model_copy(
            update={
                "data_dir": data_dir,
                "seed_dir": Path("seeds"),
                "answer_mode": "extractive",
                "embedding_backend": backend,
            }
        )
        evals[backend], texts = _eval(run_settings, gold, embedders[backend])
        seed_chunks = seed_chunks or texts
    first, *others = backends
    for other in others:
        # The other backend querying the store the first one built (same model name).
        cross_settings = settings.model_copy(
            update={
                "data_dir": work_dir / f"eval-{first}",
                "seed_dir": None,
                "answer_mode": "extractive",
            }
        )
        evals[f"{other} on a {first} store"], _ = _eval(cross_settings, gold, embedders[other])

    synthetic = [p for a in corpus.articles(150, seed=2) for p in a.text.split("\n\n")][:512]
    texts_sets = {"seed_chunks": (seed_chunks * 16)[:512], "synthetic_paragraphs": synthetic}
    speed: dict[str, Any] = {}
    for set_name, texts in texts_sets.items():
        for embedder in embedders.values():
            embedder.embed(texts[:32])
        timings: dict[str, list[float]] = {b: [] for b in backends}
        cpu: dict[str, list[float]] = {b: [] for b in backends}
        for _ in range(repeats):  # interleaved, so background load hits both alike
            for backend, embedder in embedders.items():
                _, seconds, cpu_seconds = timed_cpu(embedder.embed, texts)
                timings[backend].append(seconds)
                cpu[backend].append(cpu_seconds)
        speed[set_name] = {
            "texts": len(texts),
            "load_average_after": load_average(),
        } | {
            backend: {
                "texts_per_s": round(len(texts) / median(times), 1),
                "runs_texts_per_s": [round(len(texts) / t, 1) for t in times],
                "texts_per_cpu_s": round(len(texts) / median(cpu[backend]), 1),
            }
            for backend, times in timings.items()
        }
    parity: dict[str, Any] = {}
    if len(backends) == 2:
        a, b = (embedders[x] for x in backends)
        for set_name, texts in (("seed_chunks", seed_chunks), ("synthetic_paragraphs", synthetic)):
            cos = np.sum(a.embed(texts) * b.embed(texts), axis=1)
            parity[set_name] = {
                "texts": len(texts),
                "min_cosine": round(float(cos.min()), 6),
                "mean_cosine": round(float(cos.mean()), 6),
                "below_0.999": int((cos < 0.999).sum()),
            }
        for set_name in speed:
            one, two = (speed[set_name][b] for b in backends)
            speed[set_name]["speedup"] = round(two["texts_per_s"] / one["texts_per_s"], 2)
            speed[set_name]["cpu_speedup"] = round(
                two["texts_per_cpu_s"] / one["texts_per_cpu_s"], 2
            )
        metric_delta = {
            k: round((evals[backends[1]][k] or 0) - (evals[backends[0]][k] or 0), 4)
            for k in EVAL_KEYS
        }
        parity["eval_delta_points"] = {k: round(v * 100, 2) for k, v in metric_delta.items()}
    return {"backends": list(backends), "speed": speed, "parity": parity, "eval": evals}
