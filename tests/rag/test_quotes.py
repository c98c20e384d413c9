from hypothesis import given
from hypothesis import strategies as st

from rag.quotes import extract_numbers, unsupported_numbers, verify_quote

TEXT = "He said: “We will win.”  The\narmy lost 400,000 soldiers — a real fact."


def test_exact_quote_returns_its_span():
    span = verify_quote(TEXT, "We will win.")
    assert span is not None
    assert TEXT[span[0] : span[1]] == "We will win."


def test_typographic_marks_and_whitespace_are_tolerated_but_the_span_is_exact():
    span = verify_quote(TEXT, 'said: "We will win." The army lost 400,000 soldiers - a real')
    assert span is not None
    assert (
        TEXT[span[0] : span[1]] == "said: “We will win.”  The\narmy lost 400,000 soldiers — a real"
    )


def test_quote_not_in_text_is_rejected():
    assert verify_quote(TEXT, "The army lost 500,000 soldiers") is None
    assert verify_quote(TEXT, "   ") is None


def test_window_limits_the_search():
    start = TEXT.index("army")
    assert verify_quote(TEXT, "We will win.", lo=start) is None


@given(st.text(min_size=1, max_size=200), st.data())
def test_a_verified_quote_always_equals_the_text_at_its_offsets(text, data):
    i = data.draw(st.integers(0, len(text) - 1))
    j = data.draw(st.integers(i + 1, len(text)))
    quote = text[i:j]
    span = verify_quote(text, quote)
    if quote.strip():
        assert span is not None
    if span is not None:
        start, end = span
        assert 0 <= start < end <= len(text)
        # the returned span normalises to the same text as the quote
        assert verify_quote(text[start:end], quote) is not None


def test_numbers_are_parsed_with_separators_and_scales():
    assert 400000.0 in extract_numbers("lost 400,000 of its soldiers")
    assert 64.1e9 in extract_numbers("contributed $64.1 billion")
    assert 31000.0 in extract_numbers("loses 31,000 troops")


def test_unsupported_numbers_flags_invented_figures():
    evidence = "Russia has lost 400,000 of its soldiers"
    assert unsupported_numbers("400,000 soldiers", evidence) == set()
    assert unsupported_numbers("about 1000 soldiers", evidence) == {1000.0}
