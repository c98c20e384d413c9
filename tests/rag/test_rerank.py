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


def test_dense_similarity_breaks_what_fusion_and_coverage_leave_even():
    fused = [
        (chunk("a:0", "a", "Moscow loses troops each month."), 1 / 61),
        (chunk("b:0", "b", "Moscow loses troops each month."), 1 / 61),
    ]
    cosines = {"a:0": 0.30, "b:0": 0.60}
    ranked = rerank("troops die every month", fused, RankingPolicy(), similarities=cosines)
    assert [r.chunk.id for r in ranked] == ["b:0", "a:0"]
    off = RankingPolicy(similarity_weight=0.0)
    assert rerank("troops die every month", fused, off, similarities=cosines)[0].chunk.id == "a:0"


def test_a_lexical_only_candidate_gets_the_lowest_dense_similarity():
    fused = [
        (chunk("lex:0", "a", "troops"), 1 / 61),
        (chunk("d:0", "b", "troops"), 1 / 61),
        (chunk("d:1", "c", "troops"), 1 / 61),
    ]
    ranked = rerank("troops", fused, RankingPolicy(), similarities={"d:0": 0.9, "d:1": 0.2})
    scores = {r.chunk.id: r.score for r in ranked}
    assert scores["lex:0"] == scores["d:1"] < scores["d:0"]
