import json
import re

from eval.report import load_report, write_report
from eval.runner import run_eval
from eval.svg import histogram_counts, histogram_svg


def _outputs(fake_client, gold_questions, tmp_path):
    hostile = gold_questions[1].question
    fake_client.answers[hostile]["answer"] = "<script>alert('x')</script> 400,000 | fans"
    results, report = run_eval(fake_client, gold_questions, progress=False, clock=fake_client.clock)
    return results, report, write_report(tmp_path / "run", results, report)


def test_writes_the_four_files(fake_client, gold_questions, tmp_path):
    results, report, paths = _outputs(fake_client, gold_questions, tmp_path)
    assert {p.name for p in (tmp_path / "run").iterdir()} == {
        "results.jsonl", "report.json", "report.md", "report.html"
    }  # fmt: skip
    lines = paths["results"].read_text().splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["q1", "q2", "q3", "q4", "q5"]
    assert load_report(tmp_path / "run") == json.loads(json.dumps(report))
    assert load_report(paths["report"]) == load_report(tmp_path / "run")


def test_markdown_has_tables_and_failures(fake_client, gold_questions, tmp_path):
    _, _, paths = _outputs(fake_client, gold_questions, tmp_path)
    md = paths["markdown"].read_text()
    assert "| answer_accuracy | 40.0% |" in md
    assert "| latency_p95_ms | 480 ms |" in md
    assert "| null | 2 | 50.0% |" in md
    assert "## Failures (3)" in md
    assert "400000 \\| fans" not in md and "400,000 \\| fans" in md  # pipes escaped
    assert "- cited: > seat 40,000 fans" in md
    assert "refused an answerable question" in md and "answered an unanswerable question" in md


def test_html_is_self_contained_and_escaped(fake_client, gold_questions, tmp_path):
    _, _, paths = _outputs(fake_client, gold_questions, tmp_path)
    page = paths["html"].read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.IGNORECASE)
    assert "<link" not in page and "<script" not in page and "@import" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert page.count("<svg") == 2 and "Answer accuracy by type" in page
    assert "Failures (3)" in page and "<blockquote>seat 40,000 fans</blockquote>" in page


def test_histogram_counts_cover_every_value():
    counts, low, high = histogram_counts([100.0, 100.0, 250.0, 500.0], bins=4)
    assert counts == [2, 1, 0, 1] and (low, high) == (100.0, 500.0)
    assert histogram_counts([7.0], bins=3)[0] == [1, 0, 0]
    assert "no data" in histogram_svg([], "Latency")
