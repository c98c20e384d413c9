"""Near-duplicate detection: the same wire story syndicated under two ids.

Word shingles of each article are summarised by a MinHash signature (datasketch); an LSH
index over the signatures of the indexed articles proposes candidates, and a candidate
counts as the original when the exact Jaccard similarity of the shingle sets reaches the
threshold. Only articles that are not themselves duplicates are in the index, so a
duplicate always points at an indexed article.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

import numpy as np

SHINGLE_WORDS = 4
NUM_PERM = 128
# LSH proposes pairs somewhat below the threshold; the exact Jaccard check decides.
_LSH_SLACK = 0.15
_WORD = re.compile(r"\w+")
# Stored signatures are only comparable when made with the same seed and hashing scheme.
_SEED = 1
_SCHEME = "affine32"


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """Lower-cased word `size`-grams (the whole text as one shingle when it is shorter)."""
    words = _WORD.findall(text.lower())
    if len(words) <= size:
        return {" ".join(words)}
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def signature(shingle_set: Iterable[str], num_perm: int = NUM_PERM) -> np.ndarray:
    """The MinHash signature (uint32 values) of a shingle set."""
    from datasketch import MinHash

    minhash = MinHash(
        num_perm=num_perm, seed=_SEED, scheme=_SCHEME, permutations=_permutations(num_perm)
    )
    minhash.update_batch([s.encode("utf-8") for s in shingle_set])
    return minhash.hashvalues.astype(np.uint32)


@lru_cache(maxsize=4)
def _permutations(num_perm: int):
    """The seed's permutation parameters, drawn once (MinHash draws them on every creation)."""
    from datasketch import MinHash

    return MinHash(num_perm=num_perm, seed=_SEED, scheme=_SCHEME).permutations


class NearDuplicateIndex:
    """Signatures of the indexed articles; `original_of` finds what a new text duplicates."""

    def __init__(self, threshold: float = 0.9, num_perm: int = NUM_PERM):
        from datasketch import MinHashLSH

        self.threshold = threshold
        self._num_perm = num_perm
        self._lsh = MinHashLSH(threshold=max(0.05, threshold - _LSH_SLACK), num_perm=num_perm)
        self._ids: set[str] = set()

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._ids

    def add(self, article_id: str, sig: np.ndarray) -> None:
        self.discard(article_id)
        self._lsh.insert(article_id, self._minhash(sig))
        self._ids.add(article_id)

    def discard(self, article_id: str) -> None:
        if article_id in self._ids:
            self._lsh.remove(article_id)
            self._ids.discard(article_id)

    def original_of(
        self,
        article_id: str,
        text: str,
        sig: np.ndarray,
        text_of: Callable[[str], str | None],
    ) -> str | None:
        """The indexed article `text` near-duplicates (best Jaccard, then smallest id)."""
        mine = shingles(text)
        best: tuple[float, str] | None = None  # (-score, id): the smallest is the best
        for candidate in self._lsh.query(self._minhash(sig)):
            if candidate == article_id:
                continue
            other = text_of(candidate)
            if other is None:
                continue
            score = jaccard(mine, shingles(other))
            if score >= self.threshold and (best is None or (-score, candidate) < best):
                best = (-score, candidate)
        return best[1] if best else None

    def _minhash(self, sig: np.ndarray):
        from datasketch import LeanMinHash

        return LeanMinHash(seed=_SEED, hashvalues=sig, scheme=_SCHEME)
