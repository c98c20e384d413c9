import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eval.normalize import normalize_answer


@pytest.mark.parametrize(
    "text",
    ["400,000", "400000", "400 thousand", "four hundred thousand", "0.4 million", "400000.0"],
)
def test_forms_of_four_hundred_thousand_agree(text):
    assert normalize_answer(text) == "400000"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$64.1 billion", "64100000000"),
        ("US$64.1bn", "us 64100000000"),
        ("1.5 million", "1500000"),
        ("one point five million", "1500000"),
        ("$1.2 Trillion", "1200000000000"),
        ("1,000,000.50", "1000000.5"),
        ("1.50", "1.5"),
        ("twenty-one people", "21 people"),
        ("A hundred", "100"),
        ("50%", "50 percent"),
        (".5", "0.5"),
    ],
)
def test_number_forms(text, expected):
    assert normalize_answer(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The U.S. President\u2019s \u201cplan\u201d \u2014 2019\u20132020",
            "us president plan 2019 2020",
        ),
        ("  Hello,   WORLD!! ", "hello world"),
        ("Biden's win", "biden win"),
        ("COVID-19", "covid 19"),
        ("An apple a day", "apple day"),
        ("3.", "3"),
        ("", ""),
    ],
)
def test_case_punctuation_articles(text, expected):
    assert normalize_answer(text) == expected


NEWS_WORDS = st.sampled_from(
    [
        "the", "a", "one", "two", "hundred", "thousand", "million", "point", "five", "and",
        "$", "%", "400,000", "1.5", "0.4", "-", "\u2014", "\u201c", "'s", "U.S.", "Reuters",
        "Apple", "said", "billion", "bn", "twenty-one", ",", ".", "first", "no", "42",
    ]
)  # fmt: skip
NEWS_TEXT = st.lists(NEWS_WORDS, max_size=12).map(" ".join) | st.text(max_size=40)


@settings(deadline=None, max_examples=300)
@given(NEWS_TEXT)
def test_normalize_is_idempotent(text):
    once = normalize_answer(text)
    assert normalize_answer(once) == once


@settings(deadline=None)
@given(NEWS_TEXT)
def test_normalized_text_is_collapsed_and_lowercase(text):
    out = normalize_answer(text)
    assert out == " ".join(out.split())
    assert out == out.lower() or not out.isascii()
