import json
import tomllib
from pathlib import Path

import pytest

from eval.commands import (
    compare_command,
    eval_command,
    load_questions,
    load_thresholds,
    thresholds_command,
)

DATA = Path(__file__).parent / "data"
THRESHOLDS = Path(__file__).parents[2] / "eval" / "thresholds.toml"


def test_eval_command_writes_report(fake_client, gold_questions, tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(q.to_dict()) + "\n" for q in gold_questions))
    report = eval_command(fake_client, gold, tmp_path / "out", top_k=3, progress=False)
    assert report["meta"]["gold_file"] == str(gold) and report["meta"]["top_k"] == 3
    assert report["overall"]["n"] == 5
    written = json.loads((tmp_path / "out" / "report.json").read_text())
    assert written["overall"] == report["overall"]
    assert (tmp_path / "out" / "report.html").exists()


def test_load_questions_formats():
    questions = load_questions(DATA / "multihop_queries.json", "multihop")
    assert len(questions) == 4
    with pytest.raises(ValueError, match="unknown gold format"):
        load_questions(DATA / "multihop_queries.json", "csv")


def test_compare_command_exit_codes(tmp_path, capsys):
    base = {"overall": {"n": 2, "answer_accuracy": 0.5}, "by_type": {}, "meta": {}}
    worse = {"overall": {"n": 2, "answer_accuracy": 0.4}, "by_type": {}, "meta": {}}
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "report.json").write_text(json.dumps(base))
    (tmp_path / "worse.json").write_text(json.dumps(worse))
    assert compare_command(tmp_path / "base", tmp_path / "base", 0.02) == 0
    assert compare_command(tmp_path / "base", tmp_path / "worse.json", 0.02) == 1
    assert "REGRESSION" in capsys.readouterr().out
    assert compare_command(tmp_path / "base", tmp_path / "worse.json", 0.2) == 0


def test_committed_thresholds_file_parses_and_judges_a_report(tmp_path):
    thresholds = load_thresholds(THRESHOLDS)
    assert set(thresholds) <= {"min", "max", "by_type"}
    perfect = {key: 1.0 for key in thresholds["min"]} | {key: 0.0 for key in thresholds["max"]}
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"overall": perfect, "by_type": {}}))
    assert thresholds_command(good, THRESHOLDS) == 0
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"overall": {"answer_accuracy": 0.0}, "by_type": {}}))
    assert thresholds_command(report, THRESHOLDS) == 1
    strict = tmp_path / "strict.toml"
    strict.write_text('[min]\nanswer_accuracy = 0.5\n"hit@5" = 0.1\n')
    assert tomllib.loads(strict.read_text())["min"]["hit@5"] == 0.1
    assert thresholds_command(report, strict) == 1
