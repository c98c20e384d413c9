"""Search: `/search` latency over HTTP with 1 and 8 concurrent clients, per store size."""

from __future__ import annotations

import logging
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from bench import corpus
from bench.measure import latency_summary, load_average, median
from bench.server import ApiServer
from bench.stores import build_vector_store

log = logging.getLogger(__name__)

# Enough distinct queries for warm-up plus 3 rounds at 1 and at 8 clients (100 requests each).
_QUERIES = 700


# The day the as_of searches are asked on: mid-way through the synthetic articles' dates.
AS_OF = "2026-05-15"


def distinct_queries(count: int, seed: int = 1) -> list[str]:
    """`count` different search queries (the generator repeats some, and a repeated query
    would find its embedding cached)."""
    found: dict[str, None] = {}
    drawn = count
    while len(found) < count:
        found = dict.fromkeys(corpus.queries(drawn, seed=seed))
        drawn *= 2
    return list(found)[:count]


def cached_store(cache_dir: Path, n_chunks: int, seed: int = 0) -> tuple[Path, dict, float]:
    """A synthetic store of `n_chunks` (built once, then reused); its path, facts, build seconds."""
    data_dir = cache_dir / f"store-{n_chunks}-seed{seed}"
    done = data_dir / "BUILT"
    if done.exists():
        return data_dir, {"chunks": n_chunks, "reused": True}, 0.0
    shutil.rmtree(data_dir, ignore_errors=True)
    started = time.perf_counter()
    facts = build_vector_store(data_dir, n_chunks, seed)
    build_s = time.perf_counter() - started
    done.write_text(str(facts))
    return data_dir, facts | {"reused": False}, build_s


def load_test(
    url: str,
    queries: list[str],
    clients: int,
    per_client: int,
    top_k: int = 10,
    start: int = 0,
    as_of: str | None = None,
):
    """Each client thread sends `per_client` searches back to back, taking queries from
    `start` on (wrapping around), asked on the day `as_of` when given; latencies and wall
    time."""
    extra = {"as_of": as_of} if as_of else {}
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client(offset: int) -> None:
        with httpx.Client(base_url=url, timeout=60) as http:
            for i in range(per_client):
                query = queries[(start + offset * per_client + i) % len(queries)]
                started = time.perf_counter()
                try:
                    response = http.post("/search", json={"query": query, "top_k": top_k} | extra)
                except httpx.HTTPError as exc:
                    with lock:
                        errors.append(f"{type(exc).__name__}: {exc}")
                    continue
                elapsed = time.perf_counter() - started
                with lock:
                    if response.status_code == 200:
                        latencies.append(elapsed)
                    else:
                        errors.append(f"{response.status_code}: {response.text[:200]}")

    threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return latencies, errors, wall


def measure_server(
    env: dict[str, str],
    log_path: Path,
    queries: list[str],
    requests_per_point: int,
    facts: dict[str, Any],
    workers: int = 1,
    chroma: str = "embedded",
    rounds: int = 3,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Start the API with `env`, warm it up, then load it with 1 and 8 clients, `rounds` times;
    p50/p95 are the medians over rounds. Every round sends queries the server has not seen
    (while `queries` last), so the query-embedding cache does not flatter the figures."""
    points = []
    sent = 0
    with ApiServer(env, log_path, workers=workers) as server:
        # The first search builds the lexical index (in each worker); keep it out of the figures.
        warm_started = time.perf_counter()
        load_test(server.url, queries, 1, 1)
        first_s = time.perf_counter() - warm_started
        load_test(server.url, queries, max(2, 2 * workers), 10, start=1)
        sent = 1 + max(2, 2 * workers) * 10
        backend = env["RAG_EMBEDDING_BACKEND"]
        memory = {
            "what": f"search server, {facts['chunks']} chunks, {backend}, chroma {chroma}, "
            f"{workers} worker(s)"
        } | server.memory()
        # The same store asked on a day as well (the synthetic articles are dated 2026-01..08).
        for clients, as_of in ((1, None), (8, None), (1, AS_OF)):
            per_client = max(1, requests_per_point // clients)
            rounds_out = []
            for _ in range(rounds):  # the median round, so one noisy burst does not decide
                load = load_average()
                lat, errors, wall = load_test(
                    server.url, queries, clients, per_client, start=sent, as_of=as_of
                )
                sent += clients * per_client
                rounds_out.append(
                    {
                        "requests": len(lat),
                        "errors": len(errors),
                        "throughput_rps": round(len(lat) / wall, 1),
                        "load_average_before": load,
                        "first_error": errors[0] if errors else None,
                    }
                    | latency_summary(lat or [0.0])
                )
            point = {
                "chunks": facts["chunks"],
                "backend": backend,
                "chroma": chroma,
                "workers": workers,
                "clients": clients,
                "as_of": as_of,
                "rounds": len(rounds_out),
                "requests": sum(r["requests"] for r in rounds_out),
                "errors": sum(r["errors"] for r in rounds_out),
                "first_search_s": round(first_s, 2),
                "server_startup_s": round(server.startup_s, 1),
            }
            for key in ("p50_ms", "p95_ms", "mean_ms", "throughput_rps"):
                point[key] = round(median([r[key] for r in rounds_out]), 2)
            point["by_round"] = rounds_out
            log.info("search %s", {k: v for k, v in point.items() if k != "by_round"})
            points.append(point)
    return points, memory


def _env(data_dir: Path, backend: str, model_cache: Path) -> dict[str, str]:
    return {
        "RAG_DATA_DIR": str(data_dir),
        "RAG_ANSWER_MODE": "extractive",
        "RAG_EMBEDDING_BACKEND": backend,
        "RAG_MODEL_CACHE_DIR": str(model_cache),
    }


def seeds_store(cache_dir: Path, seed_dir: Path, model_cache: Path) -> tuple[Path, dict]:
    """The seed articles ingested with real embeddings, afresh each run (seconds): a store
    kept from an earlier run holds the articles as the cleaning of that day left them."""
    from index.loading import iter_sources
    from rag.assembly import runtime
    from rag.settings import Settings

    data_dir = cache_dir / "store-seeds"
    shutil.rmtree(data_dir, ignore_errors=True)
    settings = Settings(
        data_dir=data_dir, seed_dir=None, answer_mode="extractive", model_cache_dir=model_cache
    )
    with runtime(settings) as rt:
        summary = rt.newsdesk.ingest(iter_sources([seed_dir]))
    return data_dir, {"chunks": summary.chunks, "corpus": "seeds"}


def run_search(
    cache_dir: Path,
    logs_dir: Path,
    sizes: tuple[int, ...],
    backends: tuple[str, ...],
    requests_per_point: int,
    model_cache: Path,
    seeds: tuple[Path, Path] | None = None,
) -> dict[str, Any]:
    """Each store size with each embedding backend: one embedded-Chroma server, one worker.

    `seeds` (seed folder, gold questions): also the seed articles, asked their gold questions
    first and then generated queries."""
    queries = distinct_queries(_QUERIES)
    stores: list[tuple[str, Path, dict, list[str]]] = []
    if seeds is not None:
        from eval.gold import load_gold

        seed_dir, gold = seeds
        data_dir, facts = seeds_store(cache_dir, seed_dir, model_cache)
        asked = list(dict.fromkeys(q.question for q in load_gold(gold))) + queries
        stores.append(("seeds", data_dir, facts, asked))
    for size in sizes:
        data_dir, facts, build_s = cached_store(cache_dir, size)
        if build_s:
            log.info("built the %d-chunk store in %.0fs", size, build_s)
        stores.append((str(size), data_dir, facts, queries))
    points, memory = [], []
    for name, data_dir, facts, asked in stores:
        for backend in backends:
            found, mem = measure_server(
                _env(data_dir, backend, model_cache),
                logs_dir / f"search-{name}-{backend}.log",
                asked,
                requests_per_point,
                facts,
            )
            corpus = {"corpus": facts["corpus"]} if "corpus" in facts else {}
            points += [p | corpus for p in found]
            memory.append(mem)
    return {"points": points, "memory": memory}


def run_scaleout(
    cache_dir: Path,
    logs_dir: Path,
    size: int,
    backend: str,
    requests_per_point: int,
    model_cache: Path,
    workers: tuple[int, ...] = (1, 2),
) -> dict[str, Any]:
    """The same store served by `chroma run`, with 1..N API workers sharing it."""
    from bench.server import ChromaServer

    queries = distinct_queries(_QUERIES)
    data_dir, facts, _ = cached_store(cache_dir, size)
    points, memory = [], []
    with ChromaServer(data_dir / "chroma", logs_dir / "chroma-server.log") as chroma:
        for n in workers:
            env = _env(data_dir, backend, model_cache) | {"RAG_CHROMA_URL": chroma.url}
            found, mem = measure_server(
                env,
                logs_dir / f"scaleout-{size}-{backend}-w{n}.log",
                queries,
                requests_per_point,
                facts,
                workers=n,
                chroma="server",
            )
            points += found
            memory.append(mem)
        memory.append({"what": f"chroma run, {facts['chunks']} chunks"} | chroma.memory())
    return {"points": points, "memory": memory}
