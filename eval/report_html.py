"""Render a report as one self-contained HTML page: inline CSS and SVG, no network."""

import json
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from eval.failures import Failure, collect_failures
from eval.formatting import HEADLINE_KEYS, TYPE_TABLE_KEYS, format_metric
from eval.svg import bar_chart_svg, histogram_svg

_CSS = """
body { font-family: sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.charts { display: flex; flex-wrap: wrap; gap: 2em; }
blockquote { margin: 0.3em 0; padding-left: 0.8em; border-left: 3px solid #bbb; color: #444; }
.reason { color: #a33; font-size: 0.9em; }
"""


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], numeric_from: int) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{escape(c)}</td>' if i >= numeric_from else f"<td>{escape(c)}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _failure_row(f: Failure) -> str:
    quotes = "".join(f"<blockquote>{escape(q)}</blockquote>" for q in f.quotes) or "none"
    return (
        f'<tr><td>{escape(f.id)}<br><span class="reason">{escape(f.reason)}</span></td>'
        f"<td>{escape(f.type)}</td><td>{escape(f.question)}</td><td>{escape(f.expected)}</td>"
        f"<td>{escape(f.got)}</td><td>{quotes}</td></tr>"
    )


def render_html(report: Mapping[str, Any], results: Sequence[Mapping[str, Any]]) -> str:
    """Charts (per-type accuracy, latency histogram), metric tables and failures."""
    meta, overall, by_type = report.get("meta", {}), report["overall"], report.get("by_type", {})
    meta_items = "".join(
        f"<li>{escape(str(k))}: {escape(v if isinstance(v, str) else json.dumps(v))}</li>"
        for k, v in meta.items()
    )
    latencies = [
        float(r["latency_ms"])
        for r in results
        if r.get("latency_ms") is not None and not r.get("error")
    ]
    types = list(by_type)
    charts = bar_chart_svg(
        types, [by_type[t].get("answer_accuracy") for t in types], "Answer accuracy by type"
    ) + histogram_svg(latencies, "Latency per question")
    headline = _table(
        ["metric", "value"],
        [[k, format_metric(k, overall.get(k))] for k in HEADLINE_KEYS],
        numeric_from=1,
    )
    per_type = _table(
        ["type", *TYPE_TABLE_KEYS],
        [[t, *(format_metric(k, by_type[t].get(k)) for k in TYPE_TABLE_KEYS)] for t in types],
        numeric_from=1,
    )
    failures = collect_failures(results)
    failure_table = (
        "<table><thead><tr><th>id</th><th>type</th><th>question</th><th>expected</th>"
        "<th>got</th><th>cited quotes</th></tr></thead><tbody>"
        + "".join(_failure_row(f) for f in failures)
        + "</tbody></table>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Evaluation report</title><style>{_CSS}</style></head><body>"
        f"<h1>Evaluation report</h1><ul>{meta_items}</ul>"
        f'<div class="charts">{charts}</div>'
        f"<h2>Headline</h2>{headline}<h2>By type</h2>{per_type}"
        f"<h2>Failures ({len(failures)})</h2>{failure_table}</body></html>\n"
    )
