"""Word-by-word matching: the scoring rule on hand-made vectors, the cache, and the real model."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rag.late_interaction import (
    PieceWeights,
    TokenIndex,
    TokenVectors,
    as_token_vectors,
    match_score,
)
from rag.types import Chunk

AXES = ["praised", "trump", "intelligent", "war", "which", "?", "the"]


def vectors(*pieces: str) -> TokenVectors:
    """Each piece a unit vector along its own axis (pieces alike only when equal)."""
    rows = np.zeros((len(pieces), len(AXES)), dtype=np.float32)
    for i, piece in enumerate(pieces):
        rows[i, AXES.index(piece)] = 1.0
    return as_token_vectors(pieces, rows)


EVEN = PieceWeights([])


def test_each_query_piece_takes_its_best_match_in_the_passage():
    query = vectors("praised", "trump")
    assert match_score(query, vectors("war", "trump", "praised"), EVEN) == pytest.approx(1.0)
    assert match_score(query, vectors("trump", "war"), EVEN) == pytest.approx(0.5)
    assert match_score(query, vectors("war"), EVEN) == pytest.approx(0.0)


def test_question_words_and_punctuation_of_the_query_do_not_count():
    with_framing = vectors("which", "praised", "the", "trump", "?")
    assert match_score(with_framing, vectors("praised", "trump"), EVEN) == pytest.approx(1.0)


def test_punctuation_in_the_passage_matches_nothing():
    query = vectors("praised")
    assert match_score(query, vectors("?"), EVEN) == 0.0


def test_a_query_of_question_words_only_still_matches_its_words():
    assert match_score(vectors("which", "the"), vectors("which"), EVEN) == pytest.approx(0.5)


def test_rarer_pieces_weigh_more():
    corpus = [["trump", "war"], ["trump"], ["trump", "praised"]]
    weights = PieceWeights(corpus)
    assert weights.weight("praised") > weights.weight("trump")
    assert weights.weight("unseen") > weights.weight("praised")
    query = vectors("praised", "trump")
    assert (
        match_score(query, vectors("praised"), weights)
        > 0.5
        > match_score(query, vectors("trump"), weights)
    )


@given(st.lists(st.sampled_from(AXES), min_size=1, max_size=6), st.lists(st.sampled_from(AXES)))
def test_scores_are_between_zero_and_one(query, passage):
    score = match_score(vectors(*query), vectors(*passage), PieceWeights([passage]))
    assert 0.0 <= score <= 1.0 + 1e-6


def test_stored_vectors_are_unit_rows_of_the_word_pieces_only():
    tv = as_token_vectors(["a", ",", "b"], np.array([[3.0, 4.0], [1.0, 0.0], [0.0, 2.0]]))
    assert tv.pieces == ("a", "b")
    np.testing.assert_allclose(tv.vectors, [[0.6, 0.8], [0.0, 1.0]], atol=1e-6)
    with pytest.raises(ValueError):
        tv.vectors[0, 0] = 1


class AxisEmbedder:
    """Splits on spaces; each word one axis. Records every batch the model would run on."""

    def __init__(self):
        self.runs: list[list[str]] = []

    def word_pieces(self, texts):
        return [t.split() for t in texts]

    def embed_with_tokens(self, texts):
        self.runs.append(list(texts))
        tokens = [vectors(*t.split()) for t in texts]
        return np.ones((len(texts), 2), dtype=np.float32), tokens


def chunk(cid: str, text: str) -> Chunk:
    return Chunk(cid, cid.split(":")[0], text, 0, len(text))


CHUNKS = [
    chunk("a:0", "war trump"),
    chunk("b:0", "praised trump intelligent"),
    chunk("c:0", "? ?"),
    chunk("d:0", "war"),
]


@given(st.lists(st.sampled_from(AXES[:5]), min_size=1, max_size=5))
def test_the_corpus_scores_as_each_passage_alone(query_words):
    index = TokenIndex(AxisEmbedder())
    corpus = index.build(CHUNKS)
    query = " ".join(query_words)
    together = index.scores(corpus, query, [c.id for c in CHUNKS])
    weights = PieceWeights([c.text.split() for c in CHUNKS])
    for c in CHUNKS:
        alone = match_score(vectors(*query_words), vectors(*c.text.split()), weights)
        assert together[c.id] == pytest.approx(alone, abs=1e-6)


def test_the_model_runs_once_per_text_and_the_query_embedded_is_reused():
    model = AxisEmbedder()
    index = TokenIndex(model)
    corpus = index.build(CHUNKS[:2])
    index.embed(["praised trump"])
    scores = index.scores(corpus, "praised trump", ["a:0", "b:0", "unknown:0"])
    assert scores["b:0"] > scores["a:0"]
    assert set(scores) == {"a:0", "b:0"}
    index.build(CHUNKS)  # after an ingest: only the new chunks are run
    assert model.runs == [
        ["war trump", "praised trump intelligent"],
        ["praised trump"],
        ["? ?", "war"],
    ]


def test_a_corpus_with_more_word_pieces_than_allowed_gets_no_vectors():
    index = TokenIndex(AxisEmbedder(), max_pieces=5)
    assert index.build(CHUNKS[:2]) is not None
    assert index.build(CHUNKS) is None


@pytest.mark.integration
def test_the_real_model_matches_a_paraphrase_the_sentence_vector_ranks_lower(real_embedder):
    """Seeds question s034: the passage with the answer says "praised ... intelligent and
    experienced"; the other, which BM25 and the sentence vectors put first, shares the words
    "chief" and "American"."""
    answer = (
        "He also praised Trump, describing him as an “intelligent and experienced” "
        "politician capable of finding “solutions.”"
    )
    topical = (
        "Zelenskyy's chief of staff said Ukraine was looking forward to the visit; Ukrainian "
        "and American teams are working out the details."
    )
    query = "Which two adjectives did the Kremlin chief use to praise the incoming American leader?"
    index = TokenIndex(real_embedder)
    candidates = [chunk("a:0", answer), chunk("b:0", topical)]
    scores = index.scores(index.build(candidates), query, ["a:0", "b:0"])
    assert scores["a:0"] > scores["b:0"]
