"""Start-up of the CLI: how long `rag` commands take from a cold process, and where it goes.

Each command runs as a fresh `python -m rag.cli` process in a fresh data dir with the
model cache already filled (the per-user cache every data dir shares; `--cache` picks one),
`repeats` times, median kept: `rag --help`, `rag ls`, `rag ingest` of a one-article file,
`rag ask` answering extractively over a store holding the seeds, and `rag ask` with the
embedded LLM. Then one `rag ingest` run split into phases (imports, opening the runtime:
model, stores; the ingest; closing) and the slowest imports (`python -X importtime`).

    python -m bench.startup [--repeats 3] [--cache DIR]   -> bench/results/startup.json
"""

from __future__ import annotations

import argparse
import json
import os
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
ONE_ARTICLE = {
    "id": "startup-1",
    "title": "Bridge approved",
    "body": "KYIV, Feb 5 (Reuters) - The city council approved a new bridge over the river "
    "on Wednesday, the mayor said, after a vote of 31 to 4.",
}
QUESTION = "How many soldiers has Russia lost this year, according to Zelensky?"
TARGET_INGEST_S = 5.0

PHASES = """
import json, sys, time
t0 = time.perf_counter()
from index.loading import iter_sources
from rag.assembly import runtime
from rag.cli import _setup_logging
from rag.settings import get_settings
t1 = time.perf_counter()
_setup_logging(False)
settings = get_settings().model_copy(update={"answer_mode": "extractive"})
with runtime(settings) as rt:
    t2 = time.perf_counter()
    rt.newsdesk.ingest(iter_sources([sys.argv[1]]))
    t3 = time.perf_counter()
t4 = time.perf_counter()
print(json.dumps({"imports_s": t1 - t0, "open_runtime_s": t2 - t1, "ingest_s": t3 - t2,
                  "close_s": t4 - t3}))
"""

ASK_PHASES = """
import json, sys, time
t0 = time.perf_counter()
from rag.assembly import runtime
from rag.cli import _setup_logging
from rag.settings import get_settings
t1 = time.perf_counter()
_setup_logging(False)
with runtime(get_settings()) as rt:
    t2 = time.perf_counter()
    rt.newsdesk.ask(sys.argv[1], 5)
    t3 = time.perf_counter()
t4 = time.perf_counter()
print(json.dumps({"imports_s": t1 - t0, "open_runtime_with_llm_s": t2 - t1, "ask_s": t3 - t2,
                  "close_s": t4 - t3}))
"""


def cli_env(data_dir: Path, cache: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    return (
        env
        | {
            "RAG_DATA_DIR": str(data_dir),
            "RAG_MODEL_CACHE_DIR": str(cache),
            "RAG_SEED_DIR": str(ROOT / "seeds"),
            "HF_HUB_OFFLINE": "1",
            "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        }
        | extra
    )


def run_cli(args: list[str], env: dict[str, str]) -> float:
    """Wall seconds of one `python -m rag.cli ARGS` process; raises when it fails."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "rag.cli", *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"rag {' '.join(args)} failed: {done.stderr[-2000:]}")
    return elapsed


def slowest_imports(env: dict[str, str], corpus: Path, top: int = 12) -> list[dict[str, Any]]:
    """The top-level packages `rag ingest` spends most import time in (cumulative)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "rag.cli", "ingest", str(corpus)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    rows = []
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \| ( *)(\S+)$", line)
        if match and len(match.group(2)) <= 2:  # imported by our code, or one level under
            rows.append({"module": match.group(3), "cumulative_s": int(match.group(1)) / 1e6})
    rows.sort(key=lambda r: -r["cumulative_s"])
    return [r | {"cumulative_s": round(r["cumulative_s"], 3)} for r in rows[:top]]


def measure(repeats: int, cache: Path, work: Path) -> dict[str, Any]:
    corpus = work / "one.jsonl"
    corpus.write_text(json.dumps(ONE_ARTICLE) + "\n")
    # Fill the model cache (and check the commands work) before timing anything.
    seeded = work / "seeded"
    run_cli(["ask", QUESTION], cli_env(seeded, cache, RAG_ANSWER_MODE="extractive"))
    commands = {
        "rag --help": (["--help"], {}),
        "rag ls (empty store)": (["ls"], {}),
        "rag ingest (one article, fresh data dir)": (["ingest", str(corpus)], {}),
        "rag ask (extractive, seeded store)": (
            ["ask", QUESTION],
            {"RAG_ANSWER_MODE": "extractive"},
        ),
        "rag ask (embedded LLM, seeded store)": (["ask", QUESTION], {}),
    }
    timings: dict[str, list[float]] = {name: [] for name in commands}
    for rep in range(repeats):
        for name, (args, extra) in commands.items():
            data_dir = seeded if "seeded" in name else work / f"fresh-{rep}-{len(timings[name])}"
            timings[name].append(round(run_cli(args, cli_env(data_dir, cache, **extra)), 2))
    phases_out = subprocess.run(
        [sys.executable, "-c", PHASES, str(corpus)],
        env=cli_env(work / "phases", cache),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    phases = {k: round(v, 3) for k, v in json.loads(phases_out.stdout).items()}
    ask_out = subprocess.run(
        [sys.executable, "-c", ASK_PHASES, QUESTION],
        env=cli_env(seeded, cache),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    ask_phases = {k: round(v, 3) for k, v in json.loads(ask_out.stdout).items()}
    ingest_s = median(timings["rag ingest (one article, fresh data dir)"])
    return {
        "commands": {
            name: {"median_s": round(median(runs), 2), "runs_s": runs}
            for name, runs in timings.items()
        },
        "ingest_phases_s": phases,
        "ask_phases_s": ask_phases,
        "slowest_imports": slowest_imports(cli_env(work / "imports", cache), corpus),
        "target": {
            "rag ingest start-up <= s": TARGET_INGEST_S,
            "measured_s": round(ingest_s, 2),
            "met": ingest_s <= TARGET_INGEST_S,
        },
    }


def summary_lines(result: dict[str, Any]) -> list[str]:
    machine = result["machine"]
    lines = [
        "## Start-up (`bench/startup.py`)",
        "",
        f"- date: {machine['date']}; commit: {machine['commit']}; {machine['cores']} cores; "
        f"load average at start {machine['load_average_at_start']}, at end "
        f"{machine['load_average_at_end']} (the machine is shared)",
        "- each command a fresh process, a fresh data dir unless seeded, models already cached",
        "",
        "| command | median s | runs |",
        "|---|---|---|",
    ]
    for name, data in result["commands"].items():
        lines.append(f"| {name} | {data['median_s']} | {', '.join(map(str, data['runs_s']))} |")
    phases = ", ".join(
        f"{k.removesuffix('_s')} {v} s" for k, v in result["ingest_phases_s"].items()
    )
    ask = ", ".join(f"{k.removesuffix('_s')} {v} s" for k, v in result["ask_phases_s"].items())
    imports = ", ".join(f"{r['module']} {r['cumulative_s']}" for r in result["slowest_imports"][:6])
    target = result["target"]
    lines += [
        "",
        f"`rag ingest` of one article, in process: {phases}. `rag ask` with the embedded LLM, "
        f"in process: {ask}. Slowest imports of `rag ingest` (s): {imports}.",
        f"Target `rag ingest` start-up <= {target['rag ingest start-up <= s']} s: "
        f"{target['measured_s']} s, {'met' if target['met'] else 'NOT met'}",
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=None, help="model cache (default: user's)")
    parser.add_argument("--out", type=Path, default=RESULTS / "startup.json")
    args = parser.parse_args()
    from rag.settings import Settings

    cache = args.cache or Settings().model_cache_path
    load_before = load_average()
    with tempfile.TemporaryDirectory(prefix="newsdesk-startup-") as work:
        result = measure(args.repeats, cache, Path(work))
    result = {"machine": machine_info() | {"load_average_at_start": load_before}} | result
    result["machine"]["load_average_at_end"] = load_average()
    publish(result, args.out, summary_lines(result), RESULTS)


if __name__ == "__main__":
    main()
