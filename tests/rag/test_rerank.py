from hypothesis import given
from hypothesis import strategies as st

from rag.retrieval import RankingPolicy, rerank
from rag.types import Chunk


def chunk(cid: str, article: str, text: str) -> Chunk:
    return Chunk(cid, article, text, 0, len(text))


def test_coverage_of_query_terms_lifts_a_chunk_fusion_ranked_lower():
    fused = [
        (chunk("a:0", "a", "Talks in Washington went on."), 1 / 61),
        (chunk("b:0", "b", "Wimbledon 2019 final was won by Djokovic."), 1 / 62),
    ]
    ranked = rerank("Who won the Wimbledon 2019 final?", fused, RankingPolicy())
    assert ranked[0].chunk.id == "b:0"


def test_further_chunks_of_one_article_are_demoted_for_diversity():
    text = "Zelensky spoke about losses."
    fused = [
        (chunk("a:0", "a", text), 1 / 61),
        (chunk("a:1", "a", text), 1 / 61.5),
        (chunk("b:0", "b", text), 1 / 62),
    ]
    ranked = rerank("Zelensky losses", fused, RankingPolicy(same_article_penalty=0.05))
    assert [r.chunk.id for r in ranked] == ["a:0", "b:0", "a:1"]
    no_penalty = rerank("Zelensky losses", fused, RankingPolicy(same_article_penalty=0.0))
    assert [r.chunk.id for r in no_penalty] == ["a:0", "a:1", "b:0"]


def test_rerank_keeps_every_candidate_once():
    fused = [(chunk(f"x:{i}", f"a{i % 3}", f"text {i}"), 1 / (60 + i)) for i in range(10)]
    ranked = rerank("text", fused, RankingPolicy())
    assert sorted(r.chunk.id for r in ranked) == sorted(c.id for c, _ in fused)


@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.sampled_from(["losses", "talks", "Zelensky", "port"])),
        max_size=12,
    ),
    st.integers(0, 14),
)
def test_a_limited_rerank_is_the_start_of_the_full_one(items, limit):
    fused = [
        (chunk(f"x:{i}", f"a{art}", f"{word} {i}"), 1 / (60 + i))
        for i, (art, word) in enumerate(items)
    ]
    policy = RankingPolicy(same_article_penalty=0.05)
    full = rerank("Zelensky losses", fused, policy)
    assert rerank("Zelensky losses", fused, policy, limit) == full[:limit]
