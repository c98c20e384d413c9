"""Render a report and its failures as Markdown."""

import json
from collections.abc import Mapping, Sequence
from typing import Any

from eval.failures import collect_failures
from eval.formatting import HEADLINE_KEYS, TYPE_TABLE_KEYS, format_metric


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _meta_value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def render_markdown(report: Mapping[str, Any], results: Sequence[Mapping[str, Any]]) -> str:
    """Headline table, per-type table and the list of failed questions."""
    meta, overall = report.get("meta", {}), report["overall"]
    lines = ["# Evaluation report", ""]
    lines += [f"- {key}: {_cell(_meta_value(value))}" for key, value in meta.items()]
    lines += ["", "## Headline", ""]
    lines += _table(
        ["metric", "value"], [[k, format_metric(k, overall.get(k))] for k in HEADLINE_KEYS]
    )
    lines += ["", "## By type", ""]
    rows = [
        [name, *(format_metric(k, metrics.get(k)) for k in TYPE_TABLE_KEYS)]
        for name, metrics in report.get("by_type", {}).items()
    ]
    lines += _table(["type", *TYPE_TABLE_KEYS], rows)
    failures = collect_failures(results)
    lines += ["", f"## Failures ({len(failures)})", ""]
    for f in failures:
        lines.append(f"### {_cell(f.id)} ({_cell(f.type)}): {f.reason}")
        lines.append("")
        lines.append(f"- question: {_cell(f.question)}")
        lines.append(f"- expected: {_cell(f.expected)}")
        lines.append(f"- got: {_cell(f.got)}")
        for quote in f.quotes:
            lines.append(f"- cited: > {_cell(quote)}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
