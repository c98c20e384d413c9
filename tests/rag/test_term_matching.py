"""Fuzzy term matching: the indexed and the plain paths agree with the pairwise definition."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from rag import terms
from rag.evidence import term_coverage
from rag.terms import (
    QueryTerms,
    Vocabulary,
    answer_type_words,
    named_terms,
    term_matches,
    tokens,
    unknown_terms,
    without_term,
)


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
    # near spellings without a shared stem: only the fuzzy ratio matches them
    st.sampled_from(["kellogg", "kelogg", "keith", "kieth", "abezabez", "baezabez"]),
)


@settings(max_examples=400, deadline=None)
@given(term=words, vocabulary=st.sets(words, max_size=40))
def test_term_matches_agrees_with_the_pairwise_definition(term, vocabulary):
    expected = reference(term, vocabulary)
    assert term_matches(term, vocabulary) == expected
    assert term_matches(term, Vocabulary(vocabulary)) == expected


@settings(max_examples=300, deadline=None)
@given(
    query=st.lists(words, min_size=0, max_size=6),
    texts=st.lists(st.lists(words, max_size=12), min_size=1, max_size=5),
    outside=st.lists(words, max_size=3),
)
def test_query_terms_coverage_is_term_coverage(query, texts, outside):
    """Reranking's fast coverage (near words looked up once per query) gives the same share
    as `term_coverage`, also for a text with words the vocabulary was not built from."""
    joined = [" ".join(t) for t in texts]
    vocabulary = Vocabulary(tok for text in joined for tok in tokens(text))
    terms = QueryTerms(" ".join(query), vocabulary)
    for text in [*joined, " ".join(texts[0] + outside)]:
        assert terms.coverage(text) == term_coverage(" ".join(query), text)


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


def test_words_that_only_frame_a_question_are_not_unknown():
    vocabulary = Vocabulary(tokens("Russia has lost 400,000 soldiers this year, Zelensky said."))
    assert unknown_terms("How many soldiers has Russia lost so far this year?", vocabulary) == []
    assert unknown_terms("On what exact date did Russia lose them?", vocabulary) == ["lose"]


def test_vocabulary_is_still_a_set_of_words():
    vocabulary = Vocabulary({"word", "other"})
    assert vocabulary == {"word", "other"} and "word" in vocabulary and len(vocabulary) == 2


def test_numbers_keep_no_ordinal_or_plural_suffix():
    assert tokens("February 4th, the 21st, 1990s, 400,000") == [
        "february", "4", "the", "21", "1990", "400000"
    ]  # fmt: skip
    assert tokens("4the") == ["4", "the"]


def test_words_naming_the_kind_of_answer_are_not_unknown():
    vocabulary = Vocabulary(tokens("Zelensky did speak to Fox News in Washington about Trump."))
    asked = "In which TV network's interview did Zelensky speak?"
    assert answer_type_words(asked) == {"tv", "network"}
    assert unknown_terms(asked, vocabulary) == ["interview"]
    assert answer_type_words("With which foreign leader was Trump?") == {"foreign", "leader"}
    assert answer_type_words("Within what time span did Trump say so?") == {"time", "span"}
    # a past tense closes it too
    assert answer_type_words("Which news agency reported the interview?") == {"news", "agency"}
    # no verb, preposition or possessive closes the phrase: nothing is exempt
    assert answer_type_words("Which club won the 2024 final?") == set()
    assert unknown_terms("Which club won the 2024 final?", vocabulary) == [
        "club", "won", "2024", "final"
    ]  # fmt: skip
    assert answer_type_words("What did Zelensky say? What is the population?") == set()


def test_years_a_query_names():
    from rag.terms import asked_years, year_share

    assert asked_years("Who won the 2018 Wimbledon final, not the 2019 one?") == {"2018", "2019"}
    # Parts of longer numbers are not years; a decade names its first year.
    assert asked_years("2,018 people, 12018 votes, 3000 tanks") == frozenset()
    assert asked_years("in the 1990s") == {"1990"}
    years = asked_years("the 2018 and 2019 finals")
    assert year_share(years, "He won in 2019.") == 0.5
    assert year_share(frozenset(), "He won in 2019.") == 0.0


def test_days_a_text_names():
    from rag.terms import named_dates

    feb_4 = frozenset({(2, 4)})
    assert named_dates("In the interview Zelensky gave on February 4th, who...") == feb_4
    assert named_dates("Zelensky said on Tuesday (Feb 4) that he would...") == feb_4
    assert named_dates("on the 4th of February") == feb_4
    assert named_dates("on 4 Feb. and Dec. 28, 2024") == {(2, 4), (12, 28)}
    assert named_dates("the quarter that ended July 30, 2023") == {(7, 30)}
    # A month with a year, a count or no number names no day; nor does a day past 31.
    assert named_dates("since February 2022, in May, 12 people; March 32") == frozenset()
    assert named_dates("1,4 March and 2.5 May") == frozenset()
    assert named_dates("Sept. 11 and the 21st of June, 2023") == {(9, 11), (6, 21)}
    assert named_dates("") == frozenset()


def test_only_a_text_with_a_month_is_read_for_days():
    from rag.terms import may_name_a_day, named_dates, tokens

    assert may_name_a_day(tokens("He spoke on Tuesday (Feb 4) in Kyiv."))
    assert may_name_a_day(tokens("the 4th of July"))
    assert not may_name_a_day(tokens("He spoke on Tuesday, the 4th, in Kyiv."))
    assert named_dates("He spoke on Tuesday, the 4th, in Kyiv.") == frozenset()


@given(st.text(alphabet=" 0123456789stndrhFebMayjulyof.,()-", max_size=60))
def test_any_day_read_is_a_real_day_of_the_year(text):
    from rag.terms import named_dates

    for month, day in named_dates(text):
        assert 1 <= month <= 12
        assert 1 <= day <= 31


def test_a_term_is_cut_out_wherever_a_word_tokenises_to_it():
    question = "How much aid has Germany\u2019s army had from Germany?"
    assert without_term(question, "germany") == "How much aid has  army had from ?"
    assert without_term("How many F-16 jets?", "16") == "How many F- jets?"
    assert without_term("No such word here.", "absent") == "No such word here."


def test_names_and_numbers_are_the_capitalised_or_digit_words_past_the_first():
    question = "Which F-16 jets has the European Union given since 2022, Zelensky asked?"
    assert named_terms(question) == {"f", "16", "european", "union", "2022", "zelensky"}


def test_near_word_look_ups_are_kept_up_to_a_bound(monkeypatch):
    monkeypatch.setattr(terms, "_NEAR_KEPT", 2)
    vocabulary = Vocabulary(["zelensky", "zelenskyy", "ukraine", "ukrainian", "kremlin"])
    first = vocabulary.near_words("zelensky")
    assert {"zelensky", "zelenskyy"} <= first
    assert vocabulary.near_words("zelensky") is first  # kept: not looked up again
    vocabulary.near_words("ukraine")
    beyond = vocabulary.near_words("kremlin")  # past the bound: answered, not kept
    assert beyond == frozenset({"kremlin"})
    assert vocabulary.near_words("kremlin") is not beyond


def test_premise_words_are_the_ordinary_words_before_the_asked_sentence():
    question = (
        "The 2023 Grammy Awards honored talented musicians. Which artist won the biggest prize?"
    )
    assert terms.premise_words(question) == {"honored", "talented", "musicians"}
    # Names and numbers of the premise still count, and a one-sentence question has none.
    assert "grammy" not in terms.premise_words(question)
    assert "2023" not in terms.premise_words(question)
    assert terms.premise_words("Who refereed the 2014 World Cup final?") == set()
    # "U.S." does not end a sentence.
    assert terms.premise_words("What did Zelensky ask of U.S. President Donald Trump?") == set()
