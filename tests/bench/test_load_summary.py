"""The load test's report: outcome counts, percentiles of the 200s, the SUMMARY.md line."""

from __future__ import annotations

from bench.load_test import measured_seconds, summarize, summary_line, write_summary_line


def _samples():
    rows = [{"endpoint": "/search", "status": 200, "ms": float(ms)} for ms in range(1, 101)]
    rows += [{"endpoint": "/ask", "status": 200, "ms": 1000.0}] * 8
    rows += [{"endpoint": "/ask", "status": 503, "ms": 2.0}] * 3
    rows += [{"endpoint": "/ask", "status": 429, "ms": 1.0}]
    rows += [
        {"endpoint": "/ask", "status": 500, "ms": 5.0},
        {"endpoint": "/ask", "status": 0, "ms": 0},
    ]
    return rows


def test_refusals_are_not_errors_and_percentiles_cover_successes_only():
    out = summarize(_samples(), seconds=10)
    search, ask, total = out["/search"], out["/ask"], out["all"]
    assert (
        search["p50_ms"] == 50.5 and abs(search["p95_ms"] - 95.05) < 0.1 and search["errors"] == 0
    )
    assert ask["ok"] == 8 and ask["p50_ms"] == 1000.0  # the fast 503s do not flatter /ask
    assert (ask["overloaded_503"], ask["rate_limited_429"], ask["errors"]) == (3, 1, 2)
    assert total["requests"] == 114 and total["requests_per_s"] == 11.4 and total["errors"] == 2


def test_the_summary_line_replaces_the_previous_one(tmp_path):
    result = {"config": {"clients": 16, "duration_s": 60}, "endpoints": summarize(_samples(), 10)}
    line = summary_line(result)
    assert line.startswith("- **Load** (16 clients, 60 s") and "errors 2" in line
    summary = tmp_path / "SUMMARY.md"
    summary.write_text("# Benchmarks\n\n## Search\n\n| a |\n")
    write_summary_line(summary, line)
    write_summary_line(summary, line.replace("errors 2", "errors 0"))
    text = summary.read_text()
    assert text.count("- **Load**") == 1 and "errors 0" in text and "## Search" in text


def test_the_rate_is_over_the_measured_span():
    samples = [
        {"endpoint": "/ask", "status": 200, "ms": 500.0, "t": 100.5, "degraded": True},
        {"endpoint": "/ask", "status": 200, "ms": 100.0, "t": 110.0, "degraded": False},
    ]
    assert measured_seconds(samples, nominal=60) == 10.0
    assert measured_seconds([{"endpoint": "/ask", "status": 200, "ms": 1.0}], nominal=60) == 60
    assert summarize(samples, 10.0)["/ask"]["degraded_answers"] == 1
