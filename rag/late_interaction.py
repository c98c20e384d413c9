"""Word-by-word matching of a query against passages (late interaction, as in ColBERT).

The sentence embedding averages a passage into one vector, so a passage that answers the
question in other words ("praised Trump, describing him as intelligent and experienced"
for "which adjectives did he use to praise the incoming American leader") can lose to one
that shares the topic. Here every word piece of the query is matched with its closest word
piece of the passage, using the contextual vectors the embedding model computes anyway,
and the matches are averaged, rarer pieces (by document frequency in the corpus) counting
more. Question words and punctuation are left out of the query side, punctuation out of
the passage side.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from rag.terms import STOPWORDS
from rag.types import Chunk
from rag.vector_cache import VectorCache


@dataclass(frozen=True)
class TokenVectors:
    """A text's word pieces (without the model's [CLS]/[SEP] and without punctuation) and
    one unit vector each."""

    pieces: tuple[str, ...]
    vectors: np.ndarray


@runtime_checkable
class TokenEmbedder(Protocol):
    """An embedder that also hands out its contextual word-piece vectors."""

    def embed_with_tokens(self, texts: Sequence[str]) -> tuple[np.ndarray, list[TokenVectors]]:
        """`embed(texts)` and each text's word-piece vectors, from one run of the model."""
        ...

    def word_pieces(self, texts: Sequence[str]) -> list[list[str]]:
        """Each text's word pieces, as `embed_with_tokens` gives them (no model run)."""
        ...


def is_word(piece: str) -> bool:
    """A piece of a word or number, not punctuation ("##s" counts, "," does not)."""
    return piece.removeprefix("##").isalnum()


def is_content(piece: str) -> bool:
    return is_word(piece) and piece.lower() not in STOPWORDS


def as_token_vectors(pieces: Sequence[str], vectors: np.ndarray) -> TokenVectors:
    """The word pieces' unit vectors (punctuation left out: it matches nothing useful)."""
    keep = [i for i, piece in enumerate(pieces) if is_word(piece)]
    rows = np.asarray(vectors, dtype=np.float32)[keep]
    unit = rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
    unit.flags.writeable = False
    return TokenVectors(tuple(pieces[i] for i in keep), unit)


class PieceWeights:
    """Inverse document frequency of word pieces over a corpus of passages."""

    def __init__(self, passages: Iterable[Sequence[str]]):
        frequency: Counter[str] = Counter()
        count = 0
        for pieces in passages:
            frequency.update(set(pieces))
            count += 1
        self._frequency = frequency
        self._count = count

    def weight(self, piece: str) -> float:
        return math.log(1 + self._count / (1 + self._frequency.get(piece, 0)))


def _query_side(query: TokenVectors, weights: PieceWeights) -> tuple[np.ndarray, np.ndarray]:
    """The query's content pieces' vectors, one per column, and their weights summing to 1
    (all its words when it has no content word)."""
    keep = [i for i, piece in enumerate(query.pieces) if is_content(piece)]
    if not keep:  # a query of question words only: match all of its words
        keep = list(range(len(query.pieces)))
    w = np.array([weights.weight(query.pieces[i]) for i in keep], dtype=np.float32)
    if not w.sum() > 0:  # an empty corpus weighs nothing: count the pieces alike
        w = np.ones_like(w)
    # Columns, contiguous: a passage's (pieces x 384) block times this is one BLAS call.
    return np.ascontiguousarray(query.vectors[keep].T), w / w.sum()


def _weighted_best(columns: np.ndarray, w: np.ndarray, passage: TokenVectors) -> float:
    if not len(w) or not len(passage.pieces):
        return 0.0
    return float((passage.vectors @ columns).max(axis=0) @ w)


def match_score(query: TokenVectors, passage: TokenVectors, weights: PieceWeights) -> float:
    """Weighted mean, over the query's content pieces, of each one's best cosine with a
    word piece of the passage (0 when either side has none)."""
    return _weighted_best(*_query_side(query, weights), passage)


class CorpusTokens:
    """Every chunk's word-piece vectors, by chunk id, and the corpus's piece weights."""

    def __init__(self, by_chunk: Mapping[str, TokenVectors], weights: PieceWeights):
        self._by_chunk = by_chunk
        self.weights = weights

    def scores(self, query: TokenVectors, ids: Iterable[str]) -> dict[str, float]:
        """`match_score` of the query with each chunk of `ids` that is in the corpus: only
        the candidates are matched, whatever the corpus's size."""
        q, w = _query_side(query, self.weights)
        return {i: _weighted_best(q, w, self._by_chunk[i]) for i in ids if i in self._by_chunk}


class TokenIndex:
    """Builds `CorpusTokens` for the chunk index and keeps recent queries' word-piece
    vectors. Chunks' vectors are kept by text: a rebuild after an ingest runs the model only
    on the new chunks."""

    def __init__(self, embedder: TokenEmbedder, max_pieces: int = 120_000, batch: int = 8):
        self._embedder = embedder
        self.max_pieces = max_pieces
        # Small batches: the model's attention over 64 chunks of 256 pieces takes over 100 MiB
        # that the runtime keeps afterwards (search server RSS 453 MiB at 64, 368 at 8).
        self._batch = batch
        self._kept: dict[str, TokenVectors] = {}
        self._queries: VectorCache[TokenVectors] = VectorCache(_QUERIES_KEPT)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """The embedder's vectors of `texts` (queries); their word-piece vectors are kept on
        the way, so matching a query embedded here costs no second run of the model."""
        vectors, tokens = self._embedder.embed_with_tokens(list(texts))
        self._queries.keep(dict(zip(texts, tokens, strict=True)))
        return vectors

    def build(self, chunks: Sequence[Chunk]) -> CorpusTokens | None:
        """The vectors of `chunks`, or None when their word pieces exceed `max_pieces` (they
        would take more than about 4 bytes x 384 x `max_pieces` of memory)."""
        texts = list(dict.fromkeys(c.text for c in chunks))
        pieces: list[list[str]] = []
        count = 0
        for start in range(0, len(texts), _COUNTED_AT_ONCE):
            batch = self._embedder.word_pieces(texts[start : start + _COUNTED_AT_ONCE])
            pieces.extend(batch)
            count += sum(sum(map(is_word, p)) for p in batch)
            if count > self.max_pieces:  # stop tokenizing a corpus of 100,000 chunks early
                self._kept.clear()
                return None
        missing = [t for t in texts if t not in self._kept]
        for start in range(0, len(missing), self._batch):
            batch = missing[start : start + self._batch]
            self._kept.update(zip(batch, self._embedder.embed_with_tokens(batch)[1], strict=True))
        self._kept = {t: self._kept[t] for t in texts}
        return CorpusTokens({c.id: self._kept[c.text] for c in chunks}, PieceWeights(pieces))

    def scores(self, corpus: CorpusTokens, query: str, ids: Iterable[str]) -> dict[str, float]:
        """`match_score` of the query with each chunk of `ids`, by chunk id."""
        (asked,) = self._queries.vectors(
            [query], lambda missing: self._embedder.embed_with_tokens(missing)[1]
        )
        return corpus.scores(asked, ids)


# Word-piece vectors of recent queries kept (about 30 KiB each).
_QUERIES_KEPT = 1024
# Texts tokenized at a time while counting a corpus's word pieces.
_COUNTED_AT_ONCE = 512
