"""Ingest of short passages, side by side with LlamaIndex's default pipeline, in one run.

The passages (about 60 words each) are sentences of the general gold corpora
(`eval/gold/general*/corpus`) drawn into new combinations, so none is a near-duplicate of
another (Newsdesk would store those without embedding them). Each round runs, each in a
fresh process and a fresh store, with the model loaded and warmed before the clock starts:
Newsdesk's `rag ingest` pipeline with the ONNX backend (the default) and with torch, and
LlamaIndex's `VectorStoreIndex.from_documents` (`bench/peer_llamaindex.py`) in its own
virtualenv, the same MiniLM model and a persistent Chroma collection. The order rotates
between rounds; medians over the rounds are kept.

    python -m bench.peer --peer-python /tmp/peer/bin/python [--passages 1000] [--rounds 3]
    -> bench/results/peer.json and a "Peer ingest" section in SUMMARY.md
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.measure import load_average, machine_info, median
from bench.sections import publish

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
CORPORA = [
    ROOT / "eval" / "gold" / "general" / "corpus",
    ROOT / "eval" / "gold" / "general_blind" / "corpus",
]
TARGET_RATIO = 2.0
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")


def short_passages(n: int, words: int = 60, seed: int = 0) -> list[dict[str, str]]:
    """`n` passages of about `words` words: random sentences of the general corpora."""
    sentences = []
    for folder in CORPORA:
        for path in sorted(folder.glob("*.txt")):
            text = " ".join(path.read_text().split())
            sentences += [s for s in SENTENCE.split(text) if len(s.split()) >= 5]
    rng = random.Random(seed)
    passages = []
    for i in range(n):
        picked: list[str] = []
        while sum(len(s.split()) for s in picked) < words - 8:
            picked.append(rng.choice(sentences))
        passages.append({"id": f"p{i:05d}", "title": f"Passage {i}", "body": " ".join(picked)})
    return passages


def newsdesk_run(backend: str, corpus: Path, work: Path) -> dict[str, Any]:
    """One fresh-store `Newsdesk.ingest` of the corpus, after the model is loaded and warm."""
    from index.loading import iter_sources
    from rag.assembly import EMBEDDERS, runtime
    from rag.settings import Settings

    settings = Settings(
        data_dir=work / "data", seed_dir=None, answer_mode="extractive", embedding_backend=backend
    )
    embedder = EMBEDDERS[backend](settings)
    embedder.embed(["warm up the model"] * 4)
    with runtime(settings, embedder) as rt:
        started, cpu_started = time.perf_counter(), time.process_time()
        summary = rt.newsdesk.ingest(iter_sources([corpus]))
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return {
        "articles": summary.articles,
        "duplicates": summary.duplicates,
        "chunks": summary.chunks,
        "seconds": round(seconds, 3),
        "cpu_s": round(cpu, 3),
        "chunks_per_s": round(summary.chunks / seconds, 1),
    }


def child(cmd: list[str], env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(peer_python: str, n: int, rounds: int, work: Path) -> dict[str, Any]:
    corpus = work / "passages.jsonl"
    passages = short_passages(n)
    corpus.write_text("".join(json.dumps(p) + "\n" for p in passages))
    env = os.environ | {"HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    env |= {"PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    ours = [sys.executable, "-m", "bench.peer", "--newsdesk"]
    peer = [peer_python, str(ROOT / "bench" / "peer_llamaindex.py")]
    systems = {
        "newsdesk (onnx, default)": lambda d: child(ours + ["onnx", str(corpus), str(d)], env),
        "llamaindex (default pipeline)": lambda d: child(peer + [str(corpus), str(d)], env),
        "newsdesk (sentence-transformers)": lambda d: child(
            ours + ["sentence-transformers", str(corpus), str(d)], env
        ),
    }
    names = list(systems)
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    for r in range(rounds):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            folder = work / f"{r}-{names.index(name)}"
            folder.mkdir()
            load = load_average()
            runs[name].append(systems[name](folder) | {"round": r, "load_average_before": load})
            print(name, runs[name][-1], file=sys.stderr)
    medians = {name: median([x["chunks_per_s"] for x in rs]) for name, rs in runs.items()}
    peer_cps = medians["llamaindex (default pipeline)"]
    ratio = round(medians["newsdesk (onnx, default)"] / peer_cps, 2)
    return {
        "passages": n,
        "words_per_passage_mean": round(sum(len(p["body"].split()) for p in passages) / n, 1),
        "systems": {
            name: {"median_chunks_per_s": medians[name], "runs": rs} for name, rs in runs.items()
        },
        "newsdesk_onnx_over_llamaindex": ratio,
        "newsdesk_torch_over_llamaindex": round(
            medians["newsdesk (sentence-transformers)"] / peer_cps, 2
        ),
        "target": {"ratio >=": TARGET_RATIO, "measured": ratio, "met": ratio >= TARGET_RATIO},
    }


def summary_lines(result: dict[str, Any]) -> list[str]:
    machine = result["machine"]
    lines = [
        "## Peer ingest (`bench/peer.py`)",
        "",
        f"- date: {machine['date']}; commit: {machine['commit']}; {machine['cores']} cores; "
        f"load average at start {machine['load_average_at_start']}, at end "
        f"{machine['load_average_at_end']} (the machine is shared)",
        f"- {result['passages']} passages of {result['words_per_passage_mean']} words on "
        f"average, one chunk each; fresh store per run; medians of "
        f"{len(next(iter(result['systems'].values()))['runs'])} rotated rounds",
        "",
        "| system | chunks/s (median) | runs |",
        "|---|---|---|",
    ]
    for name, data in result["systems"].items():
        each = ", ".join(str(r["chunks_per_s"]) for r in data["runs"])
        lines.append(f"| {name} | {data['median_chunks_per_s']} | {each} |")
    target = result["target"]
    lines += [
        "",
        f"Newsdesk (ONNX) / LlamaIndex: {result['newsdesk_onnx_over_llamaindex']}x; "
        f"Newsdesk (torch) / LlamaIndex: {result['newsdesk_torch_over_llamaindex']}x; "
        f"target >= {target['ratio >=']}x: {'met' if target['met'] else 'NOT met'}",
    ]
    return lines


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--newsdesk":
        backend, corpus, work = sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
        print(json.dumps(newsdesk_run(backend, corpus, work)))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peer-python", default="/tmp/peer/bin/python")
    parser.add_argument("--passages", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS / "peer.json")
    args = parser.parse_args()
    load_before = load_average()
    with tempfile.TemporaryDirectory(prefix="newsdesk-peer-") as work:
        result = measure(args.peer_python, args.passages, args.rounds, Path(work))
    machine = machine_info() | {"load_average_at_start": load_before}
    result = {"machine": machine | {"load_average_at_end": load_average()}} | result
    publish(result, args.out, summary_lines(result), RESULTS)


if __name__ == "__main__":
    main()
