"""The ONNX backend: exported offline from the bundled model, same vectors and tokens as torch."""

from __future__ import annotations

import json

import numpy as np
import pytest

from rag.errors import ConfigError

pytestmark = pytest.mark.integration

TEXTS = [
    "Zelensky said he does not see any sign that Putin wants peace.",
    "Russia has lost 400,000 of its soldiers this year, he noted.",
    "Short.",
    "A much longer passage about the budget, the port strike and rail fares. " * 30,
]


@pytest.fixture(scope="module")
def onnx_embedder(tmp_path_factory):
    from index.onnx_embedding import OnnxEmbedder

    return OnnxEmbedder("all-MiniLM-L6-v2", tmp_path_factory.mktemp("models"), batch_size=2)


def test_vectors_match_sentence_transformers(onnx_embedder, torch_embedder):
    ours = onnx_embedder.embed(TEXTS)
    theirs = torch_embedder.embed(TEXTS)
    assert ours.shape == theirs.shape == (len(TEXTS), 384)
    assert ours.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert float(np.sum(ours * theirs, axis=1).min()) >= 0.999
    assert onnx_embedder.embed([]).shape == (0, 384)


def test_same_name_window_and_token_counts(onnx_embedder, torch_embedder):
    assert onnx_embedder.name == torch_embedder.name
    assert onnx_embedder.max_tokens == torch_embedder.max_tokens == 256
    for text in TEXTS:  # chunking depends on these, so both backends cut the same chunks
        assert onnx_embedder.count_tokens(text) == torch_embedder.count_tokens(text)


def test_word_piece_vectors_match_sentence_transformers(onnx_embedder, torch_embedder):
    ours, our_pieces = onnx_embedder.embed_with_tokens(TEXTS)
    theirs, their_pieces = torch_embedder.embed_with_tokens(TEXTS)
    np.testing.assert_allclose(ours, onnx_embedder.embed(TEXTS), atol=1e-5)
    assert float(np.sum(ours * theirs, axis=1).min()) >= 0.999
    for mine, other, pieces in zip(
        our_pieces, their_pieces, onnx_embedder.word_pieces(TEXTS), strict=True
    ):
        assert mine.pieces == other.pieces
        assert mine.pieces == tuple(p for p in pieces if p.removeprefix("##").isalnum())
        assert float(np.sum(mine.vectors * other.vectors, axis=1).min()) >= 0.999
    assert len(our_pieces[-1].pieces) < onnx_embedder.count_tokens(TEXTS[-1]) > 256
    assert onnx_embedder.embed_with_tokens([])[0].shape == (0, 384)


def test_order_of_texts_does_not_change_vectors(onnx_embedder):
    forward = onnx_embedder.embed(TEXTS)
    backward = onnx_embedder.embed(TEXTS[::-1])[::-1]
    np.testing.assert_allclose(forward, backward, atol=1e-5)


def test_an_export_without_a_parity_check_is_refused(onnx_embedder, tmp_path):
    from index.onnx_embedding import MANIFEST, OnnxEmbedder, export_dir

    source = onnx_embedder.folder
    target = export_dir(tmp_path, "all-MiniLM-L6-v2")
    target.mkdir()
    for name in ("model.onnx", "tokenizer.json"):
        (target / name).symlink_to(source / name)
    manifest = json.loads((source / MANIFEST).read_text())
    manifest.pop("min_cosine_vs_torch")
    (target / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(ConfigError, match="not checked"):
        OnnxEmbedder("all-MiniLM-L6-v2", tmp_path)


def test_onnx_is_the_default_and_torch_a_setting(tmp_path, onnx_embedder):
    from index.embedding import SentenceTransformerEmbedder
    from index.onnx_embedding import OnnxEmbedder
    from rag.assembly import EMBEDDERS
    from rag.settings import Settings

    default = Settings(data_dir=tmp_path, model_cache_dir=onnx_embedder.folder.parent)
    assert isinstance(EMBEDDERS[default.embedding_backend](default), OnnxEmbedder)
    torch = default.model_copy(update={"embedding_backend": "sentence-transformers"})
    assert isinstance(EMBEDDERS[torch.embedding_backend](torch), SentenceTransformerEmbedder)
