"""`make bench` load test: 16 concurrent clients on `/search` and `/ask` for 60 s, on loopback.

    python -m bench.load_test [--clients 16] [--duration 60] [--quick]

Starts the API in a child process (`uvicorn --factory api.app:create_app` on 127.0.0.1, the
embedded SmolLM2 answering, the seeds as corpus), drives it with locust headless
(`bench/load_locustfile.py`, no think time, half the users' tasks on each endpoint), and
writes `bench/results/load.json` plus a line in `bench/results/SUMMARY.md`. The server's
rate limit is off (`RAG_RATE_LIMIT_PER_MIN=0`, unless `--rate-limit`), since all clients
share one address and the point is capacity; 429 and 503 (the generation queue is full)
count as deliberate refusals, every other non-200 as an error. Exit status 1 on errors.
BENCH_QUICK=1 (or --quick) runs 15 s into bench/results/tmp/quick/.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from bench.measure import load_average, machine_info, percentile
from bench.server import ApiServer
from eval.clients import polite_client

ROOT = Path(__file__).resolve().parents[1]
LOCUSTFILE = Path(__file__).resolve().parent / "load_locustfile.py"
DELIBERATE = (429, 503)
log = logging.getLogger("bench.load")


def measured_seconds(samples: list[dict[str, Any]], nominal: float) -> float:
    """From the first request's start to the last one's end (requests still running at the
    end of the run finish during locust's stop timeout and are counted)."""
    timed = [s for s in samples if "t" in s]
    if not timed:
        return nominal
    return max(s["t"] for s in timed) - min(s["t"] - s["ms"] / 1000 for s in timed)


def summarize(samples: list[dict[str, Any]], seconds: float) -> dict[str, Any]:
    """Per endpoint and overall: counts by outcome, p50/p95 of the 200s, requests per second."""
    by_endpoint: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in samples:
        by_endpoint[s["endpoint"]].append(s)
    by_endpoint["all"] = list(samples)
    out: dict[str, Any] = {}
    for endpoint, rows in sorted(by_endpoint.items()):
        statuses = Counter(r["status"] for r in rows)
        ok_ms = [r["ms"] for r in rows if r["status"] == 200]
        out[endpoint] = {
            "requests": len(rows),
            "ok": statuses[200],
            "rate_limited_429": statuses[429],
            "overloaded_503": statuses[503],
            "errors": sum(
                n for code, n in statuses.items() if code != 200 and code not in DELIBERATE
            ),
            "statuses": {str(code): n for code, n in sorted(statuses.items())},
            "p50_ms": round(percentile(ok_ms, 50), 1) if ok_ms else None,
            "p95_ms": round(percentile(ok_ms, 95), 1) if ok_ms else None,
            "requests_per_s": round(len(rows) / seconds, 2) if seconds else None,
            "ok_per_s": round(len(ok_ms) / seconds, 2) if seconds else None,
        }
        degraded = [r["degraded"] for r in rows if "degraded" in r]
        if degraded:
            out[endpoint]["degraded_answers"] = sum(degraded)
    return out


def summary_line(result: dict[str, Any]) -> str:
    """The one line SUMMARY.md gets."""
    cfg, eps = result["config"], result["endpoints"]
    parts = []
    for name in ("/search", "/ask"):
        e = eps.get(name)
        if e:
            parts.append(
                f"`{name}` p50 {e['p50_ms']} ms, p95 {e['p95_ms']} ms, {e['requests_per_s']} req/s"
            )
    total = eps.get("all", {})
    refused = f"429 {total.get('rate_limited_429', 0)} / 503 {total.get('overloaded_503', 0)}"
    return (
        f"- **Load** ({cfg['clients']} clients, {cfg['duration_s']} s, loopback, locust): "
        + "; ".join(parts)
        + f"; errors {total.get('errors', 'n/a')}, deliberate {refused} (`load.json`)"
    )


def write_summary_line(summary_md: Path, line: str) -> None:
    """Replace the load line in SUMMARY.md, or add a Load section when there is none."""
    text = summary_md.read_text() if summary_md.exists() else "# Benchmarks\n"
    kept = [ln for ln in text.splitlines() if not ln.startswith("- **Load**")]
    if "## Load" not in kept:
        kept += ["", "## Load", ""]
    at = kept.index("## Load") + 2
    kept.insert(min(at, len(kept)), line)
    summary_md.write_text("\n".join(kept).rstrip("\n") + "\n")


def run_locust(url: str, clients: int, duration: int, work: Path) -> list[dict[str, Any]]:
    samples = work / "samples.jsonl"
    samples.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless"]
    cmd += ["--users", str(clients), "--spawn-rate", str(clients), "--run-time", f"{duration}s"]
    cmd += ["--host", url, "--stop-timeout", "30", "--csv", str(work / "locust"), "--only-summary"]
    cmd += ["--exit-code-on-error", "0", "--loglevel", "WARNING"]
    env = os.environ | {"LOAD_SAMPLES": str(samples)}
    with (work / "locust.log").open("w") as out:
        subprocess.run(
            cmd,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=True,
            timeout=duration + 120,
        )
    return [json.loads(line) for line in samples.read_text().splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=int, default=None, help="seconds (60; quick 15)")
    parser.add_argument(
        "--quick", action="store_true", default=os.environ.get("BENCH_QUICK") == "1"
    )
    parser.add_argument("--rate-limit", type=int, default=0, help="RAG_RATE_LIMIT_PER_MIN")
    parser.add_argument("--answer-mode", default="llm", choices=("llm", "extractive"))
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    duration = args.duration or (15 if args.quick else 60)
    out = args.out or (ROOT / "bench/results" / ("tmp/quick" if args.quick else ""))
    work = ROOT / "data/bench/load"
    work.mkdir(parents=True, exist_ok=True)
    env = {
        "RAG_DATA_DIR": str(work / "data"),
        "RAG_SEED_DIR": str(ROOT / "seeds"),
        "RAG_ANSWER_MODE": args.answer_mode,
        "RAG_RATE_LIMIT_PER_MIN": str(args.rate_limit),
        "RAG_HOST": "127.0.0.1",
    }
    machine = machine_info()
    with ApiServer(env, work / "server.log") as server:
        log.info("server up at %s in %.1f s; warming up", server.url, server.startup_s)
        with polite_client(120, base_url=server.url) as client:
            client.post("/search", json={"query": "warm up"}).raise_for_status()
            client.post("/ask", json={"question": "What did Zelensky say?"}).raise_for_status()
        log.info("%d clients for %d s", args.clients, duration)
        samples = run_locust(server.url, args.clients, duration, work)
        memory = server.memory()
    seconds = measured_seconds(samples, duration)
    endpoints = summarize(samples, seconds)
    result = {
        "machine": machine,
        "load_average_end": load_average(),
        "config": {
            "clients": args.clients,
            "duration_s": duration,
            "measured_s": round(seconds, 1),
            "tasks": {"/search": 1, "/ask": 1},
            "think_time_s": 0,
            "answer_mode": args.answer_mode,
            "rate_limit_per_min": args.rate_limit,
            "corpus": "seeds/ (5 articles)",
            "driver": "locust --headless (bench/load_locustfile.py)",
        },
        "endpoints": endpoints,
        "server_memory_mib": memory,
        "startup_s": round(server.startup_s, 1),
        "ok": endpoints.get("all", {}).get("errors", 1) == 0,
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "load.json").write_text(json.dumps(result, indent=2) + "\n")
    line = summary_line(result)
    write_summary_line(out / "SUMMARY.md", line)
    print(line)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
