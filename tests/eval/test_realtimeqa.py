import json

import pytest

from eval.aggregate import aggregate
from eval.commands import load_questions
from eval.gold import GoldFormatError
from eval.runner import observe
from tests.eval.conftest import FakeQAClient


def _write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_a_folder_loads_both_files_and_marks_the_unanswerable(tmp_path):
    _write(
        tmp_path / "questions.jsonl",
        [
            {
                "id": "q1",
                "question": "Who?",
                "date": "2023/01/05",
                "answers": ["Ann"],
                "articles": ["a1"],
            }
        ],
    )
    _write(
        tmp_path / "unanswerable.jsonl",
        [{"id": "u1", "question": "What?", "date": "2023/01/05", "answers": [], "articles": []}],
    )
    questions = load_questions(tmp_path, "realtimeqa")
    assert [q.id for q in questions] == ["q1", "u1"]
    assert questions[0].answerable and questions[0].articles == ("a1",)
    assert not questions[1].answerable and questions[1].type == "realtimeqa_unanswerable"
    assert questions[0].as_of == "2023-01-05" and "2023" not in questions[0].question


def test_the_quiz_day_is_passed_to_ask_and_search(tmp_path):
    _write(
        tmp_path / "q.jsonl",
        [
            {
                "id": "q1",
                "question": "Who?",
                "date": "2023/01/05",
                "answers": ["Ann"],
                "articles": ["a1"],
            },
            {
                "id": "q2",
                "question": "What?",
                "date": "not a day",
                "answers": ["B"],
                "articles": ["a1"],
            },
        ],
    )
    dated, undated = load_questions(tmp_path / "q.jsonl", "realtimeqa")
    assert undated.as_of is None
    client = FakeQAClient(answers={"Who?": {"answer": "Ann", "citations": []}}, searches={})
    observe(client, dated, 5)
    assert client.days == {"Who?": "2023-01-05", "search:Who?": "2023-01-05"}


def test_a_line_without_answers_names_file_line_and_field(tmp_path):
    _write(tmp_path / "q.jsonl", [{"id": "q1", "question": "Who?", "articles": []}])
    with pytest.raises(GoldFormatError, match=r"q\.jsonl:1: field 'answers'"):
        load_questions(tmp_path / "q.jsonl", "realtimeqa")


def test_cited_accuracy_needs_a_right_answer_and_a_gold_citation():
    base = {"answerable": True, "error": None, "refused": False, "f1": 1.0, "citations": []}
    results = [
        {**base, "correct": True, "n_gold_citations": 1},
        {**base, "correct": True, "n_gold_citations": 0},
        {**base, "correct": False, "n_gold_citations": 1},
        {**base, "answerable": False, "correct": True, "n_gold_citations": 0},
    ]
    assert aggregate(results)["cited_accuracy"] == pytest.approx(1 / 3)
