"""Percentiles and the SUMMARY.md writer, on hand-made results."""

from __future__ import annotations

import os

import pytest

from bench.measure import latency_summary, machine_info, percentile, rss_mib
from bench.summary import keep_other_sections, render_summary

MACHINE = {
    "date": "2026-11-23T00:00:00+00:00",
    "cpu": "Test CPU",
    "cores": 2,
    "memory_gib": 24.0,
    "load_average_1_5_15": [0.1, 0.2, 0.3],
    "python": "3.11",
    "packages": {"torch": "2.13.0"},
    "commit": "abc1234",
}

RESULTS = {
    "ingest": {
        "sentence-transformers": {
            "runs": [{}, {}],
            "median": {
                "pipeline_s": 10.0,
                "raw_encode_s": 9.0,
                "chunks_per_s": 140.0,
                "raw_texts_per_s": 155.0,
                "pipeline_over_raw": 1.11,
            },
            "chunks": 1400,
            "articles": 500,
        },
        "onnx": {
            "runs": [{}],
            "median": {
                "pipeline_s": 6.0,
                "raw_encode_s": 5.0,
                "chunks_per_s": 233.3,
                "raw_texts_per_s": 280.0,
                "pipeline_over_raw": 1.2,
            },
            "chunks": 1400,
            "articles": 500,
        },
        "onnx_speedup": 1.67,
    },
    "search": {
        "points": [
            {
                "chunks": 10000,
                "backend": "onnx",
                "clients": 1,
                "requests": 100,
                "p50_ms": 12.0,
                "p95_ms": 20.0,
                "throughput_rps": 70.0,
                "errors": 0,
            },
            {
                "chunks": 100000,
                "backend": "onnx",
                "clients": 1,
                "requests": 100,
                "p50_ms": 30.0,
                "p95_ms": 60.0,
                "throughput_rps": 30.0,
                "errors": 0,
            },
            {
                "chunks": 39,
                "corpus": "seeds",
                "backend": "sentence-transformers",
                "clients": 1,
                "requests": 100,
                "p50_ms": 21.5,
                "p95_ms": 25.0,
                "throughput_rps": 45.0,
                "errors": 0,
            },
        ]  # fmt: skip
    },
    "memory": [{"what": "answer server", "rss_mib": 900.0, "peak_rss_mib": 950.0}],
}


def test_percentile_interpolates_like_numpy():
    values = [5.0, 1.0, 3.0, 2.0, 4.0]
    assert percentile(values, 50) == 3.0
    assert percentile(values, 95) == pytest.approx(4.8)
    assert percentile([7.0], 95) == 7.0
    summary = latency_summary([0.010, 0.020, 0.030])
    assert summary["p50_ms"] == 20.0
    assert summary["n"] == 3


def test_summary_states_machine_targets_and_every_part():
    text = render_summary(RESULTS, MACHINE, "full")
    assert "Test CPU, 2 cores" in text
    assert "| ingest sentence-transformers >= 130 chunks/s | 140.00 | yes |" in text
    assert "| ingest onnx >= 240 chunks/s | 233.30 | NO |" in text
    assert "| search p50 <= 15 ms at 10000 (onnx) | 12.00 | yes |" in text
    assert "| search p95 <= 50 ms at 100000 (onnx) | 60.00 | NO |" in text
    assert "| search p50 <= 20 ms on the seeds (sentence-transformers) | 21.50 | NO |" in text
    assert "search p50 <= 15 ms at 39" not in text  # the seeds are not the 10,000 target
    assert "| 39 (seeds) |" in text
    assert "1.11x" in text and "ONNX pipeline speed-up over torch: 1.67x" in text
    assert "| answer server | 900.0 | 950.0 |" in text
    assert "random, seeded unit vectors" in text


def test_machine_info_and_own_memory():
    info = machine_info()
    assert info["cores"] == os.cpu_count()
    assert "torch" in info["packages"]
    memory = rss_mib(os.getpid())
    assert memory["rss_mib"] > 10
    assert memory["peak_rss_mib"] >= memory["rss_mib"] * 0.5


def test_sections_written_by_other_tools_survive_a_rerun():
    old = "# Benchmarks\n\n## Load\n\n- **Load** (16 clients): p50 400 ms\n\n## Ingest\n\nold\n"
    new = render_summary(RESULTS, MACHINE, "full")
    merged = keep_other_sections(new, old)
    assert merged.startswith(new.rstrip("\n"))
    assert "- **Load** (16 clients): p50 400 ms" in merged
    assert "\nold\n" not in merged  # our own section is replaced, not kept twice
    assert keep_other_sections(merged, merged) == merged


def test_an_answer_file_from_one_model_is_read_as_smollm2s():
    from bench.run import by_model
    from bench.summary import acceptance_section

    one_model = {"backend": "onnx", "http": {"latency": {"p50_ms": 88.0, "p95_ms": 2522.0}}}
    assert by_model(one_model) == {"smollm2": one_model}
    both = {"qwen2.5-1.5b": one_model, "smollm2": one_model}
    assert by_model(both) == both
    text = "\n".join(acceptance_section({"answer": by_model(one_model)}))
    assert "| /ask p50 <= 2500 ms (smollm2) | 88.00 | yes |" in text
    assert "| /ask p95 <= 6000 ms (smollm2) | 2522.00 | yes |" in text
