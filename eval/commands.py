"""What the CLI's eval subcommands do: load, run, write, compare; return reports or exit codes."""

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from eval.clients import QAClient
from eval.compare import check_thresholds, compare_reports
from eval.gold import GoldQuestion, load_gold
from eval.multihop import load_multihop
from eval.realtimeqa import load_realtimeqa
from eval.report import load_report, write_report
from eval.runner import run_eval

GOLD_FORMATS = ("gold", "multihop", "realtimeqa")


def load_questions(
    gold: Path, fmt: str = "gold", corpus_map: Mapping[str, str] | Path | None = None
) -> list[GoldQuestion]:
    """Read questions from gold JSONL, a MultiHop-RAG query file or a RealTime QA set."""
    if fmt == "gold":
        return load_gold(gold)
    if fmt == "multihop":
        return load_multihop(gold, corpus_map)
    if fmt == "realtimeqa":
        return load_realtimeqa(gold)
    raise ValueError(f"unknown gold format {fmt!r}; expected one of {', '.join(GOLD_FORMATS)}")


def eval_command(
    client: QAClient,
    gold: Path,
    out: Path,
    top_k: int,
    fmt: str = "gold",
    corpus_map: Mapping[str, str] | Path | None = None,
    progress: bool = True,
) -> dict[str, Any]:
    """Run the gold set through ``client``, write the four report files to ``out``."""
    questions = load_questions(gold, fmt, corpus_map)
    results, report = run_eval(
        client, questions, top_k=top_k, progress=progress, gold_file=str(gold)
    )
    write_report(out, results, report)
    return report


def compare_command(
    base: Path, new: Path, tolerance: float, latency_tolerance: float | None = None
) -> int:
    """Print deltas between two reports (files or run dirs); 1 on a regression, else 0."""
    ok, lines = compare_reports(load_report(base), load_report(new), tolerance, latency_tolerance)
    print("\n".join(lines))
    return 0 if ok else 1


def load_thresholds(path: Path) -> dict[str, Any]:
    """Parse a thresholds TOML file (see ``eval/thresholds.toml``)."""
    with path.open("rb") as handle:
        return tomllib.load(handle)


def thresholds_command(report: Path, thresholds: Path) -> int:
    """Print each threshold check for a report; 1 when one fails, else 0."""
    ok, lines = check_thresholds(load_report(report), load_thresholds(thresholds))
    print("\n".join(lines))
    return 0 if ok else 1
