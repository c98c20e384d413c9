"""Fuzzy term matching: the indexed and the plain paths agree with the pairwise definition."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from rag.terms import Vocabulary, term_matches, tokens, unknown_terms


def similar(term: str, word: str) -> bool:
    """The definition, one pair at a time (how term_matches used to scan every word)."""
    if term == word:
        return True
    if term[0].isdigit() or word[0].isdigit() or abs(len(word) - len(term)) > 3:
        return False
    stem = min(len(word), len(term), 6)
    if stem >= 4 and word[:stem] == term[:stem]:
        return True
    return len(term) >= 5 and fuzz.ratio(term, word) >= 80


def reference(term: str, vocabulary: set[str]) -> bool:
    return term in vocabulary or any(similar(term, word) for word in vocabulary)


# A small alphabet makes shared stems and near spellings common.
words = st.one_of(
    st.text(alphabet="abez", min_size=1, max_size=11),
    st.text(alphabet="0123", min_size=1, max_size=6),
    st.sampled_from(["zelensky", "zelenskyy", "volodymyr", "volodymir", "ukraine", "ukrainian"]),
)


@settings(max_examples=400, deadline=None)
@given(term=words, vocabulary=st.sets(words, max_size=40))
def test_term_matches_agrees_with_the_pairwise_definition(term, vocabulary):
    expected = reference(term, vocabulary)
    assert term_matches(term, vocabulary) == expected
    assert term_matches(term, Vocabulary(vocabulary)) == expected


def test_vocabulary_finds_near_spellings_and_stems_only_within_the_length_gap():
    text = "Zelensky met Volodymyr in Kyiv; 400,000 troops, 2023 elections"
    vocabulary = Vocabulary(tokens(text))
    assert term_matches("zelenskyy", vocabulary)
    assert term_matches("volodymir", vocabulary)
    assert term_matches("election", vocabulary)  # shared stem "electi"
    assert not term_matches("400", vocabulary)  # numbers only match exactly
    assert term_matches("400000", vocabulary)
    assert not term_matches("kyivstar", vocabulary)  # stem "kyiv" but 4 letters longer
    assert unknown_terms("Did Zelenskyy visit Beijing?", vocabulary) == ["visit", "beijing"]


def test_vocabulary_is_still_a_set_of_words():
    vocabulary = Vocabulary({"word", "other"})
    assert vocabulary == {"word", "other"} and "word" in vocabulary and len(vocabulary) == 2
