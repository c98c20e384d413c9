from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eval.gold import GoldQuestion
from eval.metrics import (
    answer_correct,
    citation_precision,
    citation_verbatim,
    cites_gold,
    hit_at_k,
    hit_rank,
    is_hit,
    locate_quote,
    mrr_at_k,
    token_f1,
)
from eval.normalize import normalize_answer

TEXT = "The council voted on Monday. The stadium will seat 40,000 fans and cost $1.2 billion."
GOLD = GoldQuestion(
    id="g",
    question="How many fans?",
    answers=("40,000",),
    articles=("a3",),
    type="fact",
    quotes=("The stadium will seat 40,000 fans",),
)


def test_answer_correct_matches_number_forms():
    assert answer_correct("It seats forty thousand fans.", ["40,000"])
    assert answer_correct("The deal was worth $64.1bn.", ["64.1 billion"])
    assert answer_correct("Roughly 0.4 million people", ["400,000"])


def test_answer_correct_is_token_boundary_aware():
    assert not answer_correct("It seats 400,000 fans.", ["40"])
    assert not answer_correct("It seats 400,000 fans.", ["40,000"])
    assert not answer_correct("Applesauce", ["apple"])
    assert answer_correct("Tim Cook, Apple's CEO", ["Apple"])


def test_answer_correct_accepts_plain_plurals_of_longer_words():
    assert answer_correct("Thanks to drones, we have video.", ["drone"])
    assert answer_correct("They must make a compromise.", ["compromises"])
    assert answer_correct("Several new boxes arrived", ["box"]) is False  # stem under 4 letters
    assert not answer_correct("the news today", ["new"])
    assert not answer_correct("in the 1990s", ["1990"])


def test_answer_correct_needs_a_non_empty_accepted_answer():
    assert not answer_correct("anything", [])
    assert not answer_correct("the", ["the"])


def test_token_f1_known_values():
    assert token_f1("Revenue was 18.1 billion", ["$18.1 billion"]) == pytest.approx(0.5)
    assert token_f1("Joe Biden", ["Biden", "Joe Biden"]) == 1.0
    assert token_f1("nothing here", ["Biden"]) == 0.0
    assert token_f1("anything", []) == 0.0


ANSWERS = st.text(alphabet=st.characters(codec="ascii"), max_size=30)


@settings(deadline=None)
@given(ANSWERS, st.lists(ANSWERS, max_size=3))
def test_token_f1_is_a_fraction(answer, accepted):
    assert 0.0 <= token_f1(answer, accepted) <= 1.0


@settings(deadline=None)
@given(ANSWERS)
def test_an_answer_equal_to_the_accepted_one_is_correct(answer):
    if normalize_answer(answer):
        assert answer_correct(answer, [answer])
        assert token_f1(answer, [answer]) == 1.0


def _chunk(text, article_id="a3", start=0):
    return {"chunk_id": "c", "article_id": article_id, "text": text, "start": start,
            "end": start + len(text)}  # fmt: skip


def test_is_hit_needs_a_gold_article():
    assert not is_hit(_chunk("seat 40,000 fans", article_id="other"), GOLD)


def test_is_hit_on_answer_or_quote_containment():
    assert is_hit(_chunk("will seat forty thousand fans"), GOLD)
    quote_only = replace(GOLD, answers=("unrelated",), quotes=("council voted",))
    assert is_hit(_chunk("The Council voted on Monday."), quote_only)
    assert not is_hit(_chunk("The council voted on Monday."), GOLD)


def test_is_hit_on_quote_span_overlap():
    gold = GoldQuestion("g", "q", ("unrelated",), ("a3",), "fact", GOLD.quotes)
    qs = TEXT.index(GOLD.quotes[0])
    quote_len = len(GOLD.quotes[0])
    half = TEXT[qs : qs + quote_len // 2 + 1]
    assert is_hit(_chunk(half, start=qs), gold, TEXT)
    short = TEXT[qs : qs + quote_len // 2 - 2]
    assert not is_hit(_chunk(short, start=qs), gold, TEXT)
    assert not is_hit(_chunk(half, start=qs), gold)  # span check needs the article text


def test_is_hit_ignores_yes_no_answers():
    gold = GoldQuestion("g", "q", ("Yes",), ("a3",), "comparison")
    assert not is_hit(_chunk("yes, the council voted"), gold)


def test_hit_rank_and_rank_metrics():
    chunks = [_chunk("nothing", "a1"), _chunk("seat 40,000 fans"), _chunk("40,000")]
    assert hit_rank(chunks, GOLD) == 2
    assert hit_rank(chunks, GOLD, k=1) is None
    ranks = [1, 2, None, 11]
    assert hit_at_k(ranks, 1) == 0.25
    assert hit_at_k(ranks, 3) == 0.5
    assert mrr_at_k(ranks, 10) == pytest.approx((1 + 0.5) / 4)
    assert hit_at_k([], 1) is None and mrr_at_k([]) is None


def test_locate_quote_exact_and_loose():
    assert locate_quote(TEXT, "seat 40,000 fans") == (TEXT.index("seat"), TEXT.index(" and"))
    loose = locate_quote(TEXT, "the  STADIUM will\nseat")
    assert loose is not None and TEXT[loose[0] : loose[1]] == "The stadium will seat"
    assert locate_quote(TEXT, "not there") is None


def test_citation_verbatim():
    start = TEXT.index("seat")
    good = {"quote": "seat 40,000", "start": start, "end": start + 11}
    assert citation_verbatim(good, TEXT) is True
    assert citation_verbatim({**good, "start": start + 1, "end": start + 12}, TEXT) is False
    assert citation_verbatim({**good, "end": len(TEXT) + 5}, TEXT) is False
    assert citation_verbatim({**good, "start": None}, TEXT) is False
    assert citation_verbatim(good, None) is None


def test_citation_precision_and_recall():
    cites = [{"article_id": "a3"}, {"article_id": "a1"}]
    assert citation_precision(cites, ["a3"]) == 0.5
    assert citation_precision([], ["a3"]) is None
    assert cites_gold(cites, ["a1"]) and not cites_gold(cites, ["zz"])
