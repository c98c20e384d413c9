"""The second look's prompt (`build_check_messages`): every cited sentence once, with its
headline and date; a written answer is shown beside them, an extractive one (the sentences
themselves) is not repeated."""

from rag.prompting import CHECK_PROMPT, Quote, build_check_messages

QUOTES = [
    Quote("Russia has lost 400,000 soldiers this year, Zelensky said.", "Losses", "2025 jan 3"),
    Quote("He gave no figure for the wounded.", "Losses", "2025 jan 3"),
]
QUESTION = "How many soldiers has Russia lost this year?"


def _prompt(answer: str) -> str:
    messages = build_check_messages(QUESTION, answer, QUOTES)
    assert messages[0] == {"role": "system", "content": CHECK_PROMPT}
    return messages[-1]["content"]


def test_a_written_answer_is_shown_beside_its_quotes():
    prompt = _prompt("400,000")
    assert "Proposed answer: 400,000" in prompt and QUESTION in prompt
    for quote in QUOTES:
        assert prompt.count(quote.text) == 1
        assert f'From "{quote.headline}" {quote.published}: {quote.text}' in prompt


def test_an_extractive_answer_is_not_repeated():
    extractive = "  ".join(q.text for q in QUOTES)  # spacing aside, the quotes themselves
    prompt = _prompt(extractive)
    assert "Proposed answer" not in prompt and QUESTION in prompt
    for quote in QUOTES:
        assert prompt.count(quote.text) == 1
    assert prompt.endswith("state the answer to this question? Reply yes or no.")


def test_part_of_the_quotes_is_a_written_answer():
    prompt = _prompt(QUOTES[0].text)  # one sentence of two: the judge must see which
    assert f"Proposed answer: {QUOTES[0].text}" in prompt


def test_a_follow_ups_earlier_question_stands_apart_before_the_question():
    earlier = "How many soldiers has Russia lost this year?"
    prompt = build_check_messages("And each month?", "31,000", QUOTES, earlier)[-1]["content"]
    assert f"Earlier question (context only): {earlier}\nQuestion: And each month?" in prompt
    assert "Earlier question" not in _prompt("400,000")
