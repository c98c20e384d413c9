"""`make bench`: run the benchmarks, write bench/results/*.json and SUMMARY.md.

    python -m bench.run [--quick] [--only ingest,embedding,search,answer]

BENCH_QUICK=1 (or --quick) runs a smaller version in a few minutes and writes to
bench/results/tmp/quick/ so the committed full figures stay as they are.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
from pathlib import Path
from typing import Any

from bench.measure import load_average, machine_info
from rag.local_models import LOCAL_MODELS

ROOT = Path(__file__).resolve().parents[1]
PARTS = ("ingest", "embedding", "search", "scaleout", "answer")
BACKENDS = ("sentence-transformers", "onnx")


def _plan(quick: bool) -> dict[str, Any]:
    if quick:
        return {
            "articles": 200,
            "ingest_repeats": 2,
            "search_sizes": (10_000,),
            "search_requests": 30,
            "answer_questions": 16,
            "embedding_repeats": 2,
        }
    return {
        "articles": 2000,
        # ~4,500 chunks per run; single runs of the pipeline/raw ratio ranged 1.08-1.34x
        # (torch) on an idle machine, so the median of three.
        "ingest_repeats": 3,
        "search_sizes": (10_000, 100_000),
        "search_requests": 100,
        "answer_questions": None,
        "embedding_repeats": 3,
    }


def _now() -> dict[str, Any]:
    return _when({"date": machine_info()["date"], "load_average_1_5_15": load_average()})


def _when(machine: dict[str, Any]) -> dict[str, Any]:
    return {"date": machine.get("date"), "load_average": machine.get("load_average_1_5_15")}


def _write(out: Path, name: str, payload: dict[str, Any]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / name).write_text(json.dumps(payload, indent=2) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", default=os.environ.get("BENCH_QUICK") == "1"
    )
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma-separated: {PARTS}")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument(
        "--render", action="store_true", help="only rewrite SUMMARY.md from summary.json"
    )
    args = parser.parse_args(argv)
    parts = [p for p in args.only.split(",") if p]
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts {sorted(unknown)}; choose from {PARTS}")

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    for noisy in ("httpx", "chromadb", "sentence_transformers", "index", "rag"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.chdir(ROOT)

    from bench import corpus
    from rag.settings import Settings

    mode = "quick" if args.quick else "full"
    plan = _plan(args.quick)
    out = args.out or (ROOT / "bench/results" / ("tmp/quick" if args.quick else ""))
    if args.render:
        saved = json.loads((out / "summary.json").read_text())
        _write_summary(out, saved["results"], saved["machine"], saved["mode"])
        return
    cache = ROOT / "data/bench"
    work = cache / "work"
    logs = cache / "logs"
    model_cache = Settings().model_cache_path  # the per-user cache `make install` fills
    machine = machine_info()
    base = Settings(
        data_dir=work / "unused",
        seed_dir=None,
        answer_mode="extractive",
        model_cache_dir=model_cache,
    )
    header = {"machine": machine, "mode": mode, "plan": plan}
    results: dict[str, Any] = {"measured": {}}
    memory: list[dict[str, Any]] = []
    for part in PARTS:  # parts not run now keep the figures of their last run
        saved = out / f"{part}.json"
        if part not in parts and saved.exists():
            payload = json.loads(saved.read_text())
            results[part] = payload["results"]
            results["measured"][part] = _when(payload["machine"])
            if part == "answer":
                results[part] = by_model(payload["results"])
                memory += [answer["memory"] for answer in results[part].values()]
            elif part in ("search", "scaleout"):
                memory += payload.get("memory", [])

    if "ingest" in parts:
        results["measured"]["ingest"] = _now()
        from bench.ingest import run_ingest

        path = corpus.write_jsonl(work / f"corpus-{plan['articles']}.jsonl", plan["articles"])
        results["ingest"] = run_ingest(path, work, base, BACKENDS, plan["ingest_repeats"])
        _write(
            out, "ingest.json", header | {"corpus": str(path.name), "results": results["ingest"]}
        )
    if "embedding" in parts:
        results["measured"]["embedding"] = _now()
        from bench.embedding import run_embedding

        results["embedding"] = run_embedding(
            ROOT / "eval/gold/seeds.jsonl", work, base, BACKENDS, plan["embedding_repeats"]
        )
        _write(out, "embedding.json", header | {"results": results["embedding"]})
    if "search" in parts:
        results["measured"]["search"] = _now()
        from bench.search import run_search

        search = run_search(
            cache,
            logs,
            plan["search_sizes"],
            BACKENDS,
            plan["search_requests"],
            model_cache,
            seeds=(ROOT / "seeds", ROOT / "eval/gold/seeds.jsonl"),
        )
        results["search"] = {"points": search["points"]}
        memory += search["memory"]
        payload = {"results": results["search"], "memory": search["memory"]}
        _write(out, "search.json", header | payload)
    if "scaleout" in parts:
        results["measured"]["scaleout"] = _now()
        from bench.search import run_scaleout

        scaleout = run_scaleout(
            cache, logs, plan["search_sizes"][0], "onnx", plan["search_requests"], model_cache
        )
        results["scaleout"] = {"points": scaleout["points"]}
        memory += scaleout["memory"]
        payload = {"results": results["scaleout"], "memory": scaleout["memory"]}
        _write(out, "scaleout.json", header | payload)
    if "answer" in parts:
        results["measured"]["answer"] = _now()
        from bench.answer import run_answer

        answers = {}
        for local_model in LOCAL_MODELS:  # each embedded model, side by side
            answers[local_model] = run_answer(
                ROOT / "eval/gold/seeds.jsonl",
                work,
                logs,
                model_cache,
                plan["answer_questions"],
                local_model=local_model,
            )
            memory.append(answers[local_model]["memory"])
        results["answer"] = answers
        _write(out, "answer.json", header | {"results": answers})
    if memory:
        results["memory"] = memory
        _write(out, "memory.json", header | {"results": memory})
    results["load_average_end"] = load_average()
    _write(out, "summary.json", header | {"results": results})

    _write_summary(out, results, machine, mode)


def by_model(saved: dict[str, Any]) -> dict[str, Any]:
    """Saved `answer` results by embedded model; a file from before both models were measured
    holds one run of the default of its day, SmolLM2."""
    return {"smollm2": saved} if "http" in saved else saved


def _write_summary(out: Path, results: dict[str, Any], machine: dict[str, Any], mode: str) -> None:
    from bench.summary import keep_other_sections, render_summary

    summary_md = out / "SUMMARY.md"
    old = summary_md.read_text() if summary_md.exists() else ""
    summary_md.write_text(keep_other_sections(render_summary(results, machine, mode), old))
    print(f"wrote {summary_md}")


if __name__ == "__main__":
    main()
