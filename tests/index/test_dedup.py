"""Near-duplicate detection: shingles, Jaccard, and the MinHash LSH index."""

from hypothesis import given
from hypothesis import strategies as st

from index.dedup import NearDuplicateIndex, jaccard, shingles, signature

STORY = (
    "The city council voted seven to two on Monday to approve a new stadium on the east bank "
    "of the river. The project will cost about four hundred million dollars and seat forty "
    "thousand fans, the mayor told reporters after the vote. Opponents said the plan was rushed "
    "and that residents of the neighbourhood had not been consulted about traffic or noise. "
    "Construction is due to start next spring and to finish before the 2028 season."
)


def index_with(**texts):
    near = NearDuplicateIndex(threshold=0.9)
    for article_id, text in texts.items():
        near.add(article_id, signature(shingles(text)))
    return near, texts.get


def test_a_syndicated_copy_with_a_different_byline_is_found():
    near, text_of = index_with(original=STORY)
    copy = "By Metro Wire staff\n\n" + STORY
    assert jaccard(shingles(STORY), shingles(copy)) >= 0.9
    assert near.original_of("copy", copy, signature(shingles(copy)), text_of) == "original"


def test_a_different_story_on_the_same_topic_is_not_a_duplicate():
    near, text_of = index_with(original=STORY)
    other = STORY.replace("approve", "reject").replace("seven to two", "five to four")
    other = other.replace("Opponents said", "Supporters said") + " The mayor vowed to try again."
    assert near.original_of("other", other, signature(shingles(other)), text_of) is None


def test_an_article_is_never_its_own_duplicate_and_can_be_discarded():
    near, text_of = index_with(original=STORY)
    assert near.original_of("original", STORY, signature(shingles(STORY)), text_of) is None
    near.discard("original")
    assert "original" not in near
    assert near.original_of("copy", STORY, signature(shingles(STORY)), text_of) is None


def test_the_best_match_wins_and_ties_go_to_the_smallest_id():
    near, text_of = index_with(b=STORY, a=STORY)
    assert near.original_of("c", STORY, signature(shingles(STORY)), text_of) == "a"


words = st.lists(st.sampled_from(["alpha", "beta", "gamma", "delta", "eps"]), max_size=30)


@given(words.map(" ".join), words.map(" ".join))
def test_jaccard_is_a_symmetric_similarity(a, b):
    sa, sb = shingles(a), shingles(b)
    assert jaccard(sa, sb) == jaccard(sb, sa)
    assert 0.0 <= jaccard(sa, sb) <= 1.0 and jaccard(sa, sa) == 1.0
