import json

import pytest

from eval.gold import GoldFormatError, GoldQuestion, dump_gold, load_gold, parse_gold_line

GOOD = {
    "id": "q1",
    "question": "Who won?",
    "answers": ["Alice"],
    "articles": ["a1"],
    "quotes": ["Alice won the race."],
    "type": "fact",
}


def _write(tmp_path, lines):
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_load_gold_round_trips(tmp_path):
    second = {**GOOD, "id": "q2", "answers": [], "articles": []}
    del second["quotes"]
    path = _write(tmp_path, [json.dumps(GOOD), "", json.dumps(second)])
    questions = load_gold(path)
    assert [q.id for q in questions] == ["q1", "q2"]
    assert questions[0].answerable and not questions[1].answerable
    assert questions[1].quotes == ()
    out = tmp_path / "copy.jsonl"
    dump_gold(questions, out)
    assert load_gold(out) == questions
    assert json.loads(out.read_text().splitlines()[0]) == GOOD


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"answers": "Alice"}, "answers", "list of non-empty strings"),
        ({"articles": [1]}, "articles", "list of non-empty strings"),
        ({"question": ""}, "question", "non-empty string"),
        ({"type": None}, "type", "non-empty string"),
        ({"answer": ["x"]}, "answer", "unknown field"),
        ({"history": [{"role": "system", "content": "x"}]}, "history", '"user"|"assistant"'),
        ({"history": [{"role": "user", "content": " "}]}, "history", "non-empty string"),
        ({"history": "Who won?"}, "history", "expected a list"),
    ],
)
def test_bad_field_names_line_and_field(tmp_path, change, field, message):
    path = _write(tmp_path, [json.dumps(GOOD), json.dumps({**GOOD, "id": "q2", **change})])
    with pytest.raises(GoldFormatError) as info:
        load_gold(path)
    assert info.value.line == 2 and info.value.field == field
    assert f"{path}:2: field '{field}'" in str(info.value) and message in str(info.value)


def test_missing_field_invalid_json_and_duplicates(tmp_path):
    missing = {k: v for k, v in GOOD.items() if k != "articles"}
    with pytest.raises(GoldFormatError, match=r":1: field 'articles': missing"):
        parse_gold_line(json.dumps(missing), 1, "g.jsonl")
    with pytest.raises(GoldFormatError, match=r"g.jsonl:3: invalid JSON"):
        parse_gold_line("{nope", 3, "g.jsonl")
    with pytest.raises(GoldFormatError, match="expected a JSON object"):
        parse_gold_line("[1]", 1)
    path = _write(tmp_path, [json.dumps(GOOD), json.dumps(GOOD)])
    with pytest.raises(
        GoldFormatError, match=r":2: field 'id': duplicate id 'q1' \(first on line 1\)"
    ):
        load_gold(path)


def test_a_follow_up_keeps_its_history(tmp_path):
    turns = [
        {"role": "user", "content": "Who won the race?"},
        {"role": "assistant", "content": "Alice won the race."},
    ]
    follow_up = {**GOOD, "question": "And by how much?", "history": turns}
    path = _write(tmp_path, [json.dumps(follow_up)])
    (question,) = load_gold(path)
    assert question.history == (("user", "Who won the race?"), ("assistant", "Alice won the race."))
    assert question.messages() == turns
    out = tmp_path / "copy.jsonl"
    dump_gold([question], out)
    assert json.loads(out.read_text()) == follow_up


def test_gold_question_to_dict_uses_lists():
    question = GoldQuestion("q", "Q?", ("a",), ("x",), "t")
    assert question.to_dict() == {
        "id": "q", "question": "Q?", "answers": ["a"], "articles": ["x"], "quotes": [], "type": "t"
    }  # fmt: skip
