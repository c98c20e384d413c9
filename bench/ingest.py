"""Ingest: the whole pipeline on the synthetic corpus against raw encoding of the same chunks.

For each backend and repeat: a fresh store, `Newsdesk.ingest` over the corpus JSONL (read,
clean, deduplicate, chunk, embed, write Chroma and SQLite), then the bare encoder over the
chunk texts that run stored (`SentenceTransformer.encode` for torch, the ONNX session for
onnx). The ratio pipeline / raw says what the pipeline costs beyond embedding. The raw
encode runs on a worker thread, as the pipeline's embedding does: on this machine torch
spends about a quarter less CPU per text there than on the main thread, which would
otherwise flatter the pipeline.
"""

from __future__ import annotations

import logging
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench.measure import load_average, median, timed_cpu
from bench.stores import stored_chunk_texts
from index.loading import iter_sources
from rag.assembly import EMBEDDERS, runtime
from rag.settings import Settings

log = logging.getLogger(__name__)


def raw_encoder(backend: str, embedder: Any):
    """The bare encode call of a backend, with the settings the pipeline uses."""
    if backend == "sentence-transformers":
        from sentence_transformers import SentenceTransformer

        from index.embedding import resolve_model_path

        model = SentenceTransformer(resolve_model_path(embedder.name), device="cpu")
        return lambda texts: model.encode(
            texts, batch_size=embedder.batch_size, normalize_embeddings=True
        )
    return embedder.embed


def encode_on_worker(encode, texts: list[str]):
    """`encode(texts)` on a fresh worker thread (the thread the pipeline embeds on)."""
    with ThreadPoolExecutor(1) as worker:
        return worker.submit(encode, texts).result()


def run_ingest(
    corpus_path: Path,
    work_dir: Path,
    settings: Settings,
    backends: tuple[str, ...],
    repeats: int,
) -> dict[str, Any]:
    results: dict[str, Any] = {}
    cores = os.cpu_count() or 1
    for backend in backends:
        backend_settings = settings.model_copy(update={"embedding_backend": backend})
        embedder = EMBEDDERS[backend](backend_settings)
        encode = raw_encoder(backend, embedder)
        encode(["warm up the model"] * 4)
        runs = []
        for rep in range(repeats):
            data_dir = work_dir / f"ingest-{backend}-{rep}"
            shutil.rmtree(data_dir, ignore_errors=True)
            run_settings = backend_settings.model_copy(update={"data_dir": data_dir})
            load_before = load_average()
            with runtime(run_settings, embedder) as rt:
                summary, pipeline_s, pipeline_cpu = timed_cpu(
                    rt.newsdesk.ingest, iter_sources([corpus_path])
                )
                texts = stored_chunk_texts(run_settings, embedder.name, embedder.dimension)
            _, raw_s, raw_cpu = timed_cpu(encode_on_worker, encode, texts)
            run = {
                "articles": summary.articles,
                "skipped": summary.skipped,
                "duplicates": summary.duplicates,
                "chunks": summary.chunks,
                "pipeline_s": round(pipeline_s, 2),
                "raw_encode_s": round(raw_s, 2),
                "chunks_per_s": round(summary.chunks / pipeline_s, 1),
                "raw_texts_per_s": round(len(texts) / raw_s, 1),
                "pipeline_over_raw": round(pipeline_s / raw_s, 3),
                "pipeline_cpu_s": round(pipeline_cpu, 2),
                "raw_encode_cpu_s": round(raw_cpu, 2),
                "cpu_pipeline_over_raw": round(pipeline_cpu / raw_cpu, 3),
                # What the wall-clock rate would be with the CPU time spread over all cores.
                "chunks_per_cpu_s_x_cores": round(summary.chunks / pipeline_cpu * cores, 1),
                "load_average_before": load_before,
            }
            log.info("ingest %s run %d: %s", backend, rep, run)
            runs.append(run)
            shutil.rmtree(data_dir, ignore_errors=True)
        results[backend] = {
            "runs": runs,
            "median": {
                key: round(median([r[key] for r in runs]), 3)
                for key in (
                    "pipeline_s",
                    "raw_encode_s",
                    "chunks_per_s",
                    "raw_texts_per_s",
                    "pipeline_over_raw",
                    "cpu_pipeline_over_raw",
                    "chunks_per_cpu_s_x_cores",
                )
            },
            "chunks": runs[0]["chunks"],
            "articles": runs[0]["articles"],
        }
    torch_cps = results.get("sentence-transformers", {}).get("median", {}).get("chunks_per_s")
    onnx_cps = results.get("onnx", {}).get("median", {}).get("chunks_per_s")
    if torch_cps and onnx_cps:
        results["onnx_speedup"] = round(onnx_cps / torch_cps, 2)
    return results
