"""SUMMARY.md from the benchmark results: pure functions from result dicts to markdown."""

from __future__ import annotations

from typing import Any

BACKEND_LABEL = {"sentence-transformers": "torch (sentence-transformers)", "onnx": "ONNX Runtime"}

NOTES = """\
## How these were measured

- **Ingest**: `Newsdesk.ingest` over the synthetic corpus JSONL (`bench/corpus.py`, seed 0):
  read, clean, deduplicate, chunk, embed, write Chroma + SQLite, into a fresh store each run.
  *Raw* is the bare encoder on the chunk texts that run stored (`SentenceTransformer.encode`,
  batch 32, for torch; the ONNX session for onnx).
- **Search**: `POST /search` (top_k 10) over HTTP against `uvicorn --factory api.app:create_app`
  in a child process; the first search (which builds the BM25 index) and a warm-up are left
  out. The stores are built straight through `ChromaChunkIndex` and `SqliteArticleStore`
  (`bench/stores.py`): synthetic paragraphs as chunks with **random, seeded unit vectors**
  instead of embeddings, so that 100,000 chunks fit in the time; queries are real MiniLM
  embeddings of synthetic questions.
- **Answer**: streamed `POST /ask` with the embedded SmolLM2 over the seeds store, one
  question at a time. `/ask` streams a finished, verified answer, so the first `delta` comes
  right after the whole answer is ready. Prompt tokens and accuracy come from an in-process
  eval pass over the same questions (`eval/runner.py`).
- **Embedding parity**: `rag eval`'s harness with `RAG_ANSWER_MODE=extractive` (no LLM:
  only retrieval and evidence scoring depend on the embedder), each backend in its own
  store, and the ONNX backend querying the store torch built.
- Medians over the repeats shown; every file records the load average before each run.
  When other work shares the cores, wall-clock figures drop and wall-clock ratios between
  runs taken minutes apart swing widely; the *CPU time* columns (this process's CPU seconds,
  all threads) barely move, so read ratios and speed-ups from them on a busy machine.
"""


def _fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_fmt(c) for c in row) + " |" for row in rows]
    return lines + [""]


def machine_section(machine: dict[str, Any], mode: str, load_end: list[float] | None) -> list[str]:
    packages = ", ".join(f"{k} {v}" for k, v in machine.get("packages", {}).items() if v)
    return [
        f"- date: {machine.get('date')}; mode: {mode}; commit: {machine.get('commit')}",
        f"- machine: {machine.get('cpu')}, {machine.get('cores')} cores, "
        f"{machine.get('memory_gib')} GiB; Python {machine.get('python')}",
        f"- load average (1/5/15 min) at start: {machine.get('load_average_1_5_15')}"
        + (f"; at end: {load_end}" if load_end else ""),
        f"- {packages}",
        "",
    ]


def ingest_section(ingest: dict[str, Any]) -> list[str]:
    rows = []
    for backend, r in ingest.items():
        if not isinstance(r, dict) or "median" not in r:
            continue
        m = r["median"]
        rows.append(
            [
                BACKEND_LABEL.get(backend, backend),
                r["articles"],
                r["chunks"],
                m["chunks_per_s"],
                m["raw_texts_per_s"],
                f"{m['pipeline_over_raw']:.2f}x",
                f"{m['cpu_pipeline_over_raw']:.2f}x" if "cpu_pipeline_over_raw" in m else "n/a",
                m.get("chunks_per_cpu_s_x_cores"),
                len(r["runs"]),
            ]
        )
    head = ["backend", "articles", "chunks", "pipeline chunks/s", "raw encode texts/s"]
    head += ["pipeline / raw", "same, CPU time", "chunks per CPU-s x cores", "runs"]
    lines = ["## Ingest", ""] + _table(head, rows)
    if "onnx_speedup" in ingest:
        lines += [f"ONNX pipeline speed-up over torch: {ingest['onnx_speedup']}x", ""]
    return lines


def embedding_section(emb: dict[str, Any]) -> list[str]:
    backends = emb["backends"]
    lines = ["## Embedding backends", ""]
    rows = []
    for set_name, s in emb["speed"].items():
        rows.append(
            [set_name, s["texts"]]
            + [s[b]["texts_per_s"] for b in backends]
            + [f"{s['speedup']}x" if "speedup" in s else "n/a"]
            + [f"{s['cpu_speedup']}x" if "cpu_speedup" in s else "n/a"]
        )
    head = ["texts", "n"] + [f"{BACKEND_LABEL.get(b, b)} texts/s" for b in backends]
    lines += _table(head + ["speed-up", "speed-up in CPU time"], rows)
    parity = emb.get("parity", {})
    prows = [
        [k, v["texts"], f"{v['min_cosine']:.6f}", f"{v['mean_cosine']:.6f}", v["below_0.999"]]
        for k, v in parity.items()
        if isinstance(v, dict) and "min_cosine" in v
    ]
    if prows:
        lines += _table(["cosine to torch", "texts", "min", "mean", "below 0.999"], prows)
    keys = list(next(iter(emb["eval"].values())).keys())
    erows = [[name] + [_fmt(m.get(k), 3) for k in keys] for name, m in emb["eval"].items()]
    lines += ["Extractive eval on `eval/gold/seeds.jsonl`:", ""] + _table(["store"] + keys, erows)
    if "eval_delta_points" in parity:
        deltas = ", ".join(f"{k} {v:+.1f}" for k, v in parity["eval_delta_points"].items())
        lines += [f"ONNX minus torch, in points: {deltas}", ""]
    return lines


def search_section(search: dict[str, Any], title: str = "## Search (`/search`)") -> list[str]:
    rows = [
        [
            f"{p['chunks']} ({p['corpus']})" if p.get("corpus") else p["chunks"],
            BACKEND_LABEL.get(p["backend"], p["backend"]),
            p.get("chroma", "embedded"),
            p.get("workers", 1),
            p["clients"],
            p.get("as_of") or "-",
            p["requests"],
            p["p50_ms"],
            p["p95_ms"],
            p["throughput_rps"],
            p["errors"],
        ]
        for p in search["points"]
    ]
    head = ["chunks", "embedder", "chroma", "workers", "clients", "as_of", "requests"]
    return [title, ""] + _table(head + ["p50 ms", "p95 ms", "req/s", "errors"], rows)


def answer_section(answer: dict[str, Any]) -> list[str]:
    h, p = answer["http"], answer["in_process"]
    ev = p["eval"]
    return [
        f"## Answer (`/ask`, embedded {answer.get('model', 'LLM')}, seeds gold set)",
        "",
        *_table(
            ["questions", "p50 ms", "p95 ms", "first token p50 ms", "first token p95 ms"],
            [
                [
                    h["questions"],
                    h["latency"]["p50_ms"],
                    h["latency"]["p95_ms"],
                    h["first_token"]["p50_ms"],
                    h["first_token"]["p95_ms"],
                ]
            ],
        ),
        f"- prompt tokens, over the {p['llm_calls']} of {p['questions']} questions sent to the "
        f"LLM (declined questions, and with the embedded model those asking for no name, number "
        f"or time, send none): mean "
        f"{p['prompt_tokens_mean']}, median {p['prompt_tokens_p50']}, max {p['prompt_tokens_max']}",
        f"- answered {h['answered_rate']:.0%}, degraded {h['degraded_rate']:.0%} (HTTP pass); "
        f"in-process eval: answer accuracy {_fmt(ev.get('answer_accuracy'), 3)}, "
        f"hit@1 {_fmt(ev.get('hit@1'), 3)}, citation precision "
        f"{_fmt(ev.get('citation_precision'), 3)}, in-process p50 {p['latency']['p50_ms']} ms",
        "",
    ]


def memory_section(memory: list[dict[str, Any]]) -> list[str]:
    rows = [[m["what"], m["rss_mib"], m["peak_rss_mib"]] for m in memory]
    return ["## Memory (server RSS, children included)", ""] + _table(
        ["server", "RSS MiB", "peak RSS MiB"], rows
    )


def acceptance_section(results: dict[str, Any]) -> list[str]:
    """The issue's targets against what was measured (None: not measured in this run)."""
    checks: list[tuple[str, Any, bool | None]] = []
    ingest = results.get("ingest", {})
    for backend, floor in (("sentence-transformers", 130), ("onnx", 240)):
        m = ingest.get(backend, {}).get("median")
        if m:
            cps = m["chunks_per_s"]
            checks.append((f"ingest {backend} >= {floor} chunks/s", cps, cps >= floor))
            ratio = m["pipeline_over_raw"]
            checks.append((f"ingest {backend} pipeline/raw <= 1.15", ratio, ratio <= 1.15))
            if "cpu_pipeline_over_raw" in m:
                ratio = m["cpu_pipeline_over_raw"]
                checks.append((f"... same in CPU time ({backend})", ratio, ratio <= 1.15))
    for p in results.get("search", {}).get("points", []):
        if p["clients"] != 1 or p.get("workers", 1) != 1:
            continue
        if p.get("as_of"):
            if p["chunks"] <= 10_000:
                checks.append((f"search as of a day p50 <= 25 ms at {p['chunks']} ({p['backend']})",
                               p["p50_ms"], p["p50_ms"] <= 25))  # fmt: skip
            if p["chunks"] >= 100_000:
                checks.append((f"search as of a day p95 <= 60 ms at {p['chunks']} ({p['backend']})",
                               p["p95_ms"], p["p95_ms"] <= 60))  # fmt: skip
            continue
        if p.get("corpus") == "seeds":
            checks.append((f"search p50 <= 20 ms on the seeds ({p['backend']})",
                           p["p50_ms"], p["p50_ms"] <= 20))  # fmt: skip
        elif p["chunks"] <= 10_000:
            checks.append((f"search p50 <= 15 ms at {p['chunks']} ({p['backend']})",
                           p["p50_ms"], p["p50_ms"] <= 15))  # fmt: skip
        if p["chunks"] >= 100_000:
            checks.append((f"search p95 <= 50 ms at {p['chunks']} ({p['backend']})",
                           p["p95_ms"], p["p95_ms"] <= 50))  # fmt: skip
    for model, answer in results.get("answer", {}).items():
        latency = answer["http"]["latency"]
        p50, p95 = latency["p50_ms"], latency["p95_ms"]
        checks.append((f"/ask p50 <= 2500 ms ({model})", p50, p50 <= 2500))
        checks.append((f"/ask p95 <= 6000 ms ({model})", p95, p95 <= 6000))
    emb = results.get("embedding", {}).get("parity", {})
    if "eval_delta_points" in emb:
        worst = min(emb["eval_delta_points"].values())
        checks.append(("ONNX eval parity: no metric more than 1 point worse", worst, worst >= -1))
    if not checks:
        return []
    rows = [[name, _fmt(value, 2), "yes" if ok else "NO"] for name, value, ok in checks]
    return ["## Targets from the issue", ""] + _table(["target", "measured", "met"], rows)


def render_summary(results: dict[str, Any], machine: dict[str, Any], mode: str) -> str:
    """The whole SUMMARY.md for whatever parts `results` holds."""
    lines = ["# Newsdesk benchmarks", ""]
    lines += machine_section(machine, mode, results.get("load_average_end"))
    lines += acceptance_section(results)
    measured = results.get("measured", {})

    def when(part: str) -> list[str]:
        m = measured.get(part)
        if not m:
            return []
        return [f"Measured {m.get('date')}, load average {m.get('load_average')} at the start.", ""]

    if "ingest" in results:
        lines += ingest_section(results["ingest"]) + when("ingest")
    if "embedding" in results:
        lines += embedding_section(results["embedding"]) + when("embedding")
    if "search" in results:
        lines += search_section(results["search"]) + when("search")
    if "scaleout" in results:
        title = "## Scale-out (`/search` on a `chroma run` server, N API workers)"
        lines += search_section(results["scaleout"], title) + when("scaleout")
    for answer in results.get("answer", {}).values():
        lines += answer_section(answer) + when("answer")
    if results.get("memory"):
        lines += memory_section(results["memory"])
    lines.append(NOTES)
    return "\n".join(lines)


def keep_other_sections(new: str, old: str) -> str:
    """`new` plus every `## ` section of `old` that `new` does not have (another tool's, e.g.
    bench/load_test.py's Load section), so re-running one benchmark keeps the others' lines."""

    def sections(text: str) -> dict[str, str]:
        found, heading, lines = {}, None, []
        for line in text.splitlines():
            if line.startswith("## "):
                if heading:
                    found[heading] = "\n".join(lines).rstrip() + "\n"
                heading, lines = line, [line]
            elif heading:
                lines.append(line)
        if heading:
            found[heading] = "\n".join(lines).rstrip() + "\n"
        return found

    ours = sections(new)
    extra = [body for heading, body in sections(old).items() if heading not in ours]
    return new.rstrip("\n") + "\n" + "".join("\n" + body for body in extra)
