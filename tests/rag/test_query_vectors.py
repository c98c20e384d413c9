"""Query embeddings are reused for a repeated query, bounded, and cannot be altered."""

from __future__ import annotations

import numpy as np
import pytest

import rag.retrieval as retrieval
from rag.retrieval import HybridRetriever
from tests.conftest import CountingEmbedder


def test_a_repeated_query_is_embedded_once(hashing_embedder):
    embedder = CountingEmbedder(hashing_embedder)
    retriever = HybridRetriever(embedder, index=None)
    first = retriever.embed_query("Zelensky losses")
    again = retriever.embed_query("Zelensky losses")
    assert embedder.texts == ["Zelensky losses"]
    np.testing.assert_array_equal(first, again)
    np.testing.assert_array_equal(first, hashing_embedder.embed(["Zelensky losses"])[0])
    with pytest.raises(ValueError):
        first[0] = 1.0  # a cached vector shared by later queries must stay as it was


def test_the_oldest_query_vectors_are_dropped_past_the_limit(hashing_embedder, monkeypatch):
    monkeypatch.setattr(retrieval, "_QUERY_VECTORS", 2)
    embedder = CountingEmbedder(hashing_embedder)
    retriever = HybridRetriever(embedder, index=None)
    for query in ("one", "two", "one", "three", "one", "two"):
        retriever.embed_query(query)
    # "one" stayed recent; "two" was evicted by "three" and embedded again.
    assert embedder.texts == ["one", "two", "three", "two"]
