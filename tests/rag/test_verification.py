import pytest

from rag.verification import verify_answer

EVIDENCE = [
    "He noted that this year Russia has lost 400,000 of its soldiers.",
    "Zelensky said in an interview with Sky News released Friday.",
]
Q = "How many soldiers has Russia lost this year?"


def test_grounded_answer_with_right_number_passes():
    v = verify_answer(Q, {"answer": "400,000 soldiers"}, EVIDENCE)
    assert v.ok and v.cited == (1,)


def test_invented_number_is_rejected():
    v = verify_answer(Q, {"answer": "1000"}, EVIDENCE)
    assert not v.ok and "1000" in v.reason


def test_the_sentence_holding_the_number_is_cited_whatever_the_model_named():
    """The model named [2]; the figure stands in [1]: the system cites [1] and accepts."""
    v = verify_answer(Q, {"answer": "400,000", "evidence": [2]}, EVIDENCE)
    assert v.ok and v.cited == (1,)
    names = ["Israel said 31,000 people had died.", "Benjamin Netanyahu spoke on Sunday."]
    v = verify_answer("Who spoke on Sunday?", {"answer": "Benjamin Netanyahu"}, names)
    assert v.ok and v.cited == (2,)


def test_an_answer_resting_on_two_sentences_cites_both():
    evidence = ["Andriy Yermak travelled to Washington.", "He met 40 senators there."]
    v = verify_answer("Who met how many senators?", {"answer": "Andriy Yermak, 40"}, evidence)
    assert v.ok and v.cited == (1, 2)


def test_ungrounded_words_are_rejected():
    v = verify_answer("Which channel?", {"answer": "Fox News"}, EVIDENCE)
    assert not v.ok and "not in the evidence: fox" in v.reason


def test_a_not_found_reply_is_a_decline():
    v = verify_answer(Q, {"answer": "NOT_FOUND"}, EVIDENCE)
    assert not v.ok and v.declined


def test_answer_that_only_repeats_the_question_is_rejected():
    v = verify_answer(Q, {"answer": "Russia lost soldiers"}, EVIDENCE)
    assert not v.ok


def test_malformed_output_is_rejected():
    assert not verify_answer(Q, {"answer": "x"}, EVIDENCE).ok
    assert not verify_answer(Q, {"answer": 400000}, EVIDENCE).ok
    assert not verify_answer(Q, {}, EVIDENCE).ok
    assert not verify_answer(Q, {"answer": ""}, EVIDENCE).ok
    assert not verify_answer(Q, {"answer": "Not mentioned"}, EVIDENCE).ok


def test_near_spellings_do_not_count_as_copied_from_the_evidence():
    evidence = ["Zelensky noted that his chief of staff, Andriy Yermak, would travel to the US."]
    v = verify_answer("Who is his chief of staff?", {"answer": "Zelenskaya"}, evidence)
    assert not v.ok
    ok = verify_answer("Who is his chief of staff?", {"answer": "Andriy Yermak"}, evidence)
    assert ok.ok


def test_answers_of_the_wrong_kind_or_cut_off_are_rejected():
    evidence = ["Trump said the numbers are staggering. He cited 700,000 dead."]
    word_question = "What word did Trump use to describe the numbers?"
    assert not verify_answer(word_question, {"answer": "700,000"}, evidence).ok
    assert verify_answer(word_question, {"answer": "staggering"}, evidence).ok
    assert verify_answer("How many dead did Trump cite?", {"answer": "700,000"}, evidence).ok
    cut = {"answer": "the numbers are staggering ["}
    assert "cut off" in verify_answer(word_question, cut, evidence).reason


def test_an_answer_that_fills_the_schema_length_limit_is_cut_off():
    evidence = [
        "The US president, asked whether such a meeting would be in Washington, said he is "
        "not going to Kyiv."
    ]
    question = "Which city did Trump say he is not going to?"
    cut = {"answer": "The US president said he is not going to Kyiv, asked whether such a"}
    assert verify_answer(question, cut, evidence).ok  # no limit given: nothing to detect
    verdict = verify_answer(question, cut, evidence, max_chars=len(cut["answer"]))
    assert not verdict.ok and "cut off" in verdict.reason
    short = {"answer": "Kyiv"}
    assert verify_answer(question, short, evidence, max_chars=len(cut["answer"])).ok


def test_a_judging_models_answer_is_not_held_to_the_questions_wording():
    evidence = ["Trump said in July he could settle the conflict in one day."]
    question = "Within what time span did Trump say he could settle the conflict?"
    assert not verify_answer(question, {"answer": "one day"}, evidence).ok
    judged = verify_answer(question, {"answer": "one day"}, evidence, shape_checks=False)
    assert judged.ok and judged.cited == (1,)
    # Grounding, repetition and cut-off answers are checked for every model.
    assert not verify_answer(question, {"answer": "two days"}, evidence, shape_checks=False).ok
    assert not verify_answer(
        question, {"answer": "Trump settle the conflict"}, evidence, shape_checks=False
    ).ok
    assert not verify_answer(question, {"answer": "one day ["}, evidence, shape_checks=False).ok


def test_an_answer_must_name_the_month_and_year_asked_for():
    evidence = ["Russia launched its full-scale invasion in February 2022."]
    both = "In which month and year did Russia launch its full-scale invasion?"
    half = verify_answer(both, {"answer": "2022"}, evidence)
    assert not half.ok and "month or year" in half.reason
    assert verify_answer(both, {"answer": "February 2022"}, evidence).ok
    month = "In which month did Russia launch the invasion?"
    assert verify_answer(month, {"answer": "February"}, evidence).ok
    assert not verify_answer(month, {"answer": "2022"}, evidence).ok
    year = "In what year did Russia launch the invasion?"
    assert verify_answer(year, {"answer": "2022"}, evidence).ok


@pytest.mark.parametrize(
    ("evidence", "question", "wrong", "right"),
    [
        # A scraped dateline is in the article text, so the model can copy it.
        (
            "date 2025-02-05 Trump said on Tuesday evening that the talks went well.",
            "On what day of the week did Trump speak about the talks?",
            "2025-02-05",
            "Tuesday",
        ),
        (
            'Trump said on Friday he would "probably" meet Zelensky next week, on Feb 4.',
            "On what date will Trump meet Zelensky?",
            "next week",
            "Feb 4",
        ),
    ],
    ids=["weekday", "date"],
)
def test_an_answer_names_the_kind_of_day_asked_for(evidence, question, wrong, right):
    rejected = verify_answer(question, {"answer": wrong}, [evidence])
    assert not rejected.ok and "lacks the month or year (or weekday)" in rejected.reason
    assert verify_answer(question, {"answer": right}, [evidence]).ok
