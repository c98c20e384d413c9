"""The bounded embedding cache shared by query and evidence-sentence vectors."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from rag.vector_cache import VectorCache
from tests.conftest import CountingEmbedder


def test_each_missing_text_is_embedded_once_and_kept_read_only(hashing_embedder):
    embedder = CountingEmbedder(hashing_embedder)
    cache = VectorCache(10)
    first = cache.vectors(["a b", "c", "a b"], embedder.embed)
    assert embedder.texts == ["a b", "c"]
    again = cache.vectors(["c", "a b", "d"], embedder.embed)
    assert embedder.texts == ["a b", "c", "d"]
    np.testing.assert_array_equal(first[1], again[0])
    np.testing.assert_array_equal(again[2], hashing_embedder.embed(["d"])[0])
    with pytest.raises(ValueError):
        again[0][0] = 1.0
    cache.clear()
    cache.vectors(["c"], embedder.embed)
    assert embedder.texts[-1] == "c"


def test_many_threads_keep_the_bound_and_the_right_vectors(hashing_embedder):
    cache = VectorCache(50)
    texts = [f"word{i} other{i % 7}" for i in range(200)]

    def ask(start: int) -> bool:
        window = texts[start : start + 20]
        got = cache.vectors(window, hashing_embedder.embed)
        want = hashing_embedder.embed(window)
        return all(np.array_equal(g, w) for g, w in zip(got, want, strict=True))

    with ThreadPoolExecutor(8) as pool:
        assert all(pool.map(ask, range(0, 180, 3)))
    assert len(cache._vectors) <= 50
