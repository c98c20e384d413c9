from hypothesis import given
from hypothesis import strategies as st

from rag.fusion import fuse_rankings


def test_item_ranked_well_by_both_wins():
    fused = fuse_rankings([["a", "b", "c"], ["b", "a", "d"]])
    assert [item for item, _ in fused][:2] in (["a", "b"], ["b", "a"])
    assert {item for item, _ in fused} == {"a", "b", "c", "d"}
    assert fused[-1][0] in {"c", "d"}


def test_single_ranking_keeps_its_order():
    assert [i for i, _ in fuse_rankings([["x", "y", "z"]])] == ["x", "y", "z"]


@given(st.lists(st.lists(st.integers(0, 20), unique=True, max_size=10), max_size=4))
def test_scores_are_descending_and_items_unique(rankings):
    fused = fuse_rankings(rankings)
    scores = [s for _, s in fused]
    assert scores == sorted(scores, reverse=True)
    assert len({i for i, _ in fused}) == len(fused)
