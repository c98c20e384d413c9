"""`rag eval --compare` through the real command line entry point."""

import json

from typer.testing import CliRunner

from rag.cli import app

REPORT = {
    "overall": {
        "n": 10,
        "answer_accuracy": 0.8,
        "refusal_rate": 0.9,
        "false_refusal_rate": 0.1,
        "hit@1": 0.9,
    },
    "by_type": {},
}


def _write(path, report):
    path.write_text(json.dumps(report))
    return str(path)


def test_identical_reports_exit_zero(tmp_path):
    base = _write(tmp_path / "base.json", REPORT)
    new = _write(tmp_path / "new.json", REPORT)
    result = CliRunner().invoke(app, ["eval", "--compare", base, new])
    assert result.exit_code == 0, result.output


def test_injected_regression_exits_non_zero(tmp_path):
    worse = json.loads(json.dumps(REPORT))
    worse["overall"]["answer_accuracy"] = 0.7
    base = _write(tmp_path / "base.json", REPORT)
    new = _write(tmp_path / "new.json", worse)
    result = CliRunner().invoke(app, ["eval", "--compare", base, new, "--tolerance", "0.02"])
    assert result.exit_code == 1
    assert "answer_accuracy" in result.output
