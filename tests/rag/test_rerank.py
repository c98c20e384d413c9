import pytest
from hypothesis import given
from hypothesis import strategies as st

from rag.retrieval import LexicalIndex, RankingPolicy, rerank
from rag.types import ArticleFields, Chunk


def chunk(cid: str, article: str, text: str) -> Chunk:
    return Chunk(cid, article, text, 0, len(text))


def test_coverage_of_query_terms_lifts_a_chunk_the_searches_scored_lower():
    candidates = [
        chunk("a:0", "a", "Talks in Washington went on."),
        chunk("b:0", "b", "Wimbledon 2019 final was won by Djokovic."),
    ]
    ranked = rerank(
        "Who won the Wimbledon 2019 final?",
        candidates,
        RankingPolicy(),
        similarities={"a:0": 0.50, "b:0": 0.45},
    )
    assert ranked[0].chunk.id == "b:0"


def test_further_chunks_of_one_article_are_demoted_for_diversity():
    text = "Zelensky spoke about losses."
    candidates = [chunk("a:0", "a", text), chunk("a:1", "a", text), chunk("b:0", "b", text)]
    cosines = {"a:0": 0.60, "a:1": 0.59, "b:0": 0.58}
    ranked = rerank(
        "Zelensky losses",
        candidates,
        RankingPolicy(same_article_penalty=0.05),
        similarities=cosines,
    )
    assert [r.chunk.id for r in ranked] == ["a:0", "b:0", "a:1"]
    no_penalty = rerank(
        "Zelensky losses",
        candidates,
        RankingPolicy(same_article_penalty=0.0),
        similarities=cosines,
    )
    assert [r.chunk.id for r in no_penalty] == ["a:0", "a:1", "b:0"]


def test_rerank_keeps_every_candidate_once():
    candidates = [chunk(f"x:{i}", f"a{i % 3}", f"text {i}") for i in range(10)]
    ranked = rerank("text", candidates, RankingPolicy())
    assert sorted(r.chunk.id for r in ranked) == sorted(c.id for c in candidates)


@given(
    st.lists(
        st.tuples(
            st.integers(0, 3),
            st.sampled_from(["losses", "talks", "Zelensky", "port"]),
            st.floats(0.0, 1.0),
            st.floats(0.0, 12.0),
        ),
        max_size=12,
    ),
    st.integers(0, 14),
)
def test_a_limited_rerank_is_the_start_of_the_full_one(items, limit):
    candidates = [
        chunk(f"x:{i}", f"a{art}", f"{word} {i}") for i, (art, word, _, _) in enumerate(items)
    ]
    cosines = {f"x:{i}": cos for i, (_, _, cos, _) in enumerate(items)}
    bm25 = {f"x:{i}": score for i, (_, _, _, score) in enumerate(items)}
    policy = RankingPolicy(same_article_penalty=0.05)
    full = rerank("Zelensky losses", candidates, policy, similarities=cosines, lexical_scores=bm25)
    limited = rerank(
        "Zelensky losses", candidates, policy, limit, similarities=cosines, lexical_scores=bm25
    )
    assert limited == full[:limit]


def test_the_dense_cosine_breaks_what_bm25_and_coverage_leave_even():
    candidates = [
        chunk("a:0", "a", "Moscow loses troops each month."),
        chunk("b:0", "b", "Moscow loses troops each month."),
    ]
    cosines = {"a:0": 0.30, "b:0": 0.60}
    bm25 = {"a:0": 3.0, "b:0": 3.0}
    ranked = rerank(
        "troops die every month",
        candidates,
        RankingPolicy(),
        similarities=cosines,
        lexical_scores=bm25,
    )
    assert [r.chunk.id for r in ranked] == ["b:0", "a:0"]
    lexical_only = RankingPolicy(dense_weight=0.0)
    tied = rerank(
        "troops die every month",
        candidates,
        lexical_only,
        similarities=cosines,
        lexical_scores=bm25,
    )
    assert tied[0].score == tied[1].score


def test_a_paraphrase_the_dense_search_ranks_first_can_win_without_a_shared_word():
    # The lexical search never returned "para:0" (no word in common with the query), yet its
    # cosine is clearly the best: rank fusion would have given it nothing from BM25 and put
    # it below every chunk found by both searches.
    candidates = [
        chunk("para:0", "a", "It would run counter to the constitution."),
        chunk("lex:0", "b", "Land for NATO membership was discussed."),
        chunk("lex:1", "c", "Moscow wants land."),
    ]
    cosines = {"para:0": 0.60, "lex:0": 0.45, "lex:1": 0.40}
    bm25 = {"lex:0": 2.0, "lex:1": 1.5}
    ranked = rerank(
        "Giving land to Moscow would clash with which legal document?",
        candidates,
        RankingPolicy(coverage_weight=0.0),
        similarities=cosines,
        lexical_scores=bm25,
    )
    assert ranked[0].chunk.id == "para:0"


def test_a_lexical_only_candidate_gets_the_lowest_dense_similarity():
    candidates = [
        chunk("lex:0", "a", "troops"),
        chunk("d:0", "b", "troops"),
        chunk("d:1", "c", "troops"),
    ]
    ranked = rerank("troops", candidates, RankingPolicy(), similarities={"d:0": 0.9, "d:1": 0.2})
    scores = {r.chunk.id: r.score for r in ranked}
    assert scores["lex:0"] == scores["d:1"] < scores["d:0"]


def test_scores_are_normalised_by_the_best_candidate():
    # Multiplying every cosine and every BM25 score by a constant changes nothing.
    candidates = [chunk(f"x:{i}", f"a{i}", f"word {i}") for i in range(4)]
    cosines = {"x:0": 0.2, "x:1": 0.5, "x:2": 0.4, "x:3": 0.1}
    bm25 = {"x:0": 4.0, "x:2": 1.0}
    base = rerank("word", candidates, RankingPolicy(), similarities=cosines, lexical_scores=bm25)
    scaled = rerank(
        "word",
        candidates,
        RankingPolicy(),
        similarities={k: v * 1.5 for k, v in cosines.items()},
        lexical_scores={k: v * 7 for k, v in bm25.items()},
    )
    assert [r.chunk.id for r in base] == [r.chunk.id for r in scaled]
    assert [r.score for r in base] == [r.score for r in scaled]


def test_a_year_the_query_names_outweighs_its_share_of_the_words():
    # Both passages describe "the Wimbledon men's final" equally well; only one is 2018's.
    candidates = [
        chunk(
            "y2021:0", "a", "Djokovic beat Berrettini in the 2021 Wimbledon men's singles final."
        ),
        chunk("y2018:0", "b", "Djokovic beat Anderson in the 2018 Wimbledon men's final."),
    ]
    cosines = {"y2021:0": 0.70, "y2018:0": 0.62}
    query = "Who did Djokovic beat in the 2018 Wimbledon men's singles final?"
    ranked = rerank(query, candidates, RankingPolicy(), similarities=cosines)
    assert ranked[0].chunk.id == "y2018:0"
    no_years = rerank(query, candidates, RankingPolicy(year_weight=0.0), similarities=cosines)
    assert no_years[0].chunk.id == "y2021:0"


@pytest.mark.parametrize(
    ("texts", "fields", "query", "signals"),
    [
        # Wire stories say "on Sunday"; the year is in the article's date, not its text.
        (
            (
                "Spain won the World Cup final on Sunday, beating the Dutch.",
                "Germany won the World Cup final on Sunday, beating Argentina.",
            ),
            (ArticleFields(year="2010"), ArticleFields(year="2014")),
            "Who won the 2014 World Cup final?",
            lambda index, query: {"dated": index.dated},
        ),
        # CNN's report and another outlet's tell of one interview; the question asks for CNN's.
        (
            (
                "Putin praised Trump in an interview about the war.",
                "He also praised Trump, calling him intelligent and experienced.",
            ),
            (ArticleFields(source="WION"), ArticleFields(source="CNN")),
            "What did Putin say about Trump, according to CNN?",
            lambda index, query: {"sourced": index.sources.articles_named_in(query)},
        ),
        # Two stories of one week; the question names the day of one.
        (
            (
                "Zelensky said Europe must take part in the talks with Russia.",
                "Zelensky said on Tuesday that Europe should be at the talks.",
            ),
            (ArticleFields(day=(2, 8)), ArticleFields(day=(2, 4))),
            "Who did Zelensky want at the talks in his interview on February 4th?",
            lambda index, query: {"dated_articles": index.articles_dated(query)},
        ),
    ],
    ids=["publication year", "named source", "named day"],
)
def test_article_metadata_the_query_names_lifts_its_chunk(texts, fields, query, signals):
    candidates = [chunk("a:0", "a", texts[0]), chunk("b:0", "b", texts[1])]
    cosines = {"a:0": 0.66, "b:0": 0.58}  # the text alone favours the other article
    index = LexicalIndex(candidates, {"a": fields[0], "b": fields[1]})
    policy = RankingPolicy()
    with_metadata = rerank(query, candidates, policy, similarities=cosines, **signals(index, query))
    assert with_metadata[0].chunk.id == "b:0"
    assert rerank(query, candidates, policy, similarities=cosines)[0].chunk.id == "a:0"


def test_word_by_word_matches_lift_the_passage_that_matches_the_question_best():
    text = "Zelensky spoke about the talks."
    candidates = [chunk("a:0", "a", text), chunk("b:0", "b", text)]
    cosines = {"a:0": 0.50, "b:0": 0.50}
    ranked = rerank(
        "What did Zelensky say?",
        candidates,
        RankingPolicy(),
        similarities=cosines,
        token_matches={"a:0": 0.55, "b:0": 0.70},
    )
    assert [r.chunk.id for r in ranked] == ["b:0", "a:0"]
    assert ranked[0].score - ranked[1].score == pytest.approx(
        RankingPolicy().token_weight * (1 - 0.55 / 0.70), abs=1e-5
    )


def test_without_word_by_word_matches_the_earlier_weights_apply():
    policy = RankingPolicy()
    alone = policy.without_token_matches()
    assert (alone.lexical_weight, alone.coverage_weight, alone.token_weight) == (0.2, 0.5, 0.0)
    assert alone.dense_weight == policy.dense_weight
    assert (policy.lexical_weight, policy.coverage_weight) != (0.2, 0.5)
