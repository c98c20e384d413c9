from hypothesis import given
from hypothesis import strategies as st

from rag.grounding import answer_anchors, ground_answer

EVIDENCE = [
    "Israel said 1,200 people were killed in the attack.",
    "Prime Minister Benjamin Netanyahu said the war would be long.",
    "About 31,000 people have died in Gaza, the ministry said.",
]


def test_the_sentence_holding_the_figure_is_cited():
    assert ground_answer("31,000", EVIDENCE).cited == (2,)
    assert ground_answer("about 31,000 people", EVIDENCE).ok


def test_an_answer_over_two_sentences_cites_both_in_the_order_chosen():
    grounding = ground_answer("Netanyahu said the war would be long; 31,000 died", EVIDENCE)
    assert grounding.ok and set(grounding.cited) == {1, 2}


def test_invented_figures_names_and_scripts_are_missing():
    assert ground_answer("32,000", EVIDENCE).missing == ("32000",)
    assert set(ground_answer("Joe Biden", EVIDENCE).missing) == {"joe", "biden"}
    assert "以色列" in ground_answer("1,200 people 以色列", EVIDENCE).missing


def test_a_place_answers_for_its_people_but_a_near_spelling_does_not():
    evidence = ["North Korean troops returned to the front line in Kursk."]
    assert ground_answer("North Korea", evidence).ok
    assert not ground_answer("Zelenskaya", ["Zelensky spoke to Fox News."]).ok


def test_an_answer_of_one_letter_words_rests_only_on_its_verbatim_occurrence():
    evidence = ["Mars said it would pause its spokescandies.", "M&M's mascots will rest."]
    grounding = ground_answer("M&M's", evidence)
    assert grounding.ok and grounding.cited == (1,)
    assert ground_answer("m&m's", evidence) == grounding
    assert not ground_answer("M&M's", evidence[:1]).ok  # not written there
    assert not ground_answer("X", ["Xavier posted on Xbox."]).ok  # no word boundary
    assert not ground_answer("...", evidence).ok


def test_anchors_are_the_names_and_numbers():
    assert answer_anchors("Pope Benedict XVI was buried on Jan 5") == {
        "pope", "benedict", "xvi", "jan", "5"
    }  # fmt: skip


@given(st.text(max_size=60), st.lists(st.text(max_size=80), max_size=5))
def test_cited_indices_point_into_the_evidence(answer, evidence):
    grounding = ground_answer(answer, evidence)
    assert all(0 <= i < len(evidence) for i in grounding.cited)
    assert len(set(grounding.cited)) == len(grounding.cited)
    assert not grounding.ok or grounding.cited
