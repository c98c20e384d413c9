"""ONNX Runtime adapter for the `Embedder` protocol: the bundled MiniLM without torch at run time.

The model is exported once, offline, from the same local folder the sentence-transformers
backend loads (`export_onnx`), with mean pooling and normalisation inside the graph and
ONNX Runtime's fused transformer kernels (fp32: no quantisation, so no loss). The export
is checked against sentence-transformers on probe texts and refused below
`MIN_PARITY_COSINE`; because its vectors are the same, the embedder keeps the model's
name, so a store built with either backend can be queried and extended with the other.
"""

from __future__ import annotations

import json
import logging
import os
import time
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index.embedding import resolve_model_path
from rag.errors import ConfigError
from rag.late_interaction import TokenVectors, as_token_vectors

log = logging.getLogger(__name__)

MIN_PARITY_COSINE = 0.999
MANIFEST = "manifest.json"
# Bump when the export changes; older exports are then redone on first use.
EXPORT_VERSION = 3
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
_PROBES = (
    "Zelensky said Ukraine would not be able to protect the sky without American support.",
    "The central bank raised interest rates by 50 basis points on Thursday.",
    "Floods displaced 12,000 people in the northern provinces, officials said.",
    "short",
    "A long passage about elections. " * 60,  # beyond the 256 word-piece window
)


def export_dir(cache_dir: Path, model_name: str) -> Path:
    """Where the export of `model_name` lives under a cache folder."""
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in model_name)
    return cache_dir / f"{safe}.onnx"


def export_onnx(model_name: str, target: Path) -> dict:
    """Export `model_name` (a bundled name or a local folder) to `target`; needs torch + onnx.

    Writes `model.onnx`, `tokenizer.json` and a manifest with the parity measured against
    sentence-transformers on probe texts; raises `ConfigError` when parity is too low.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from sentence_transformers import SentenceTransformer

    try:
        import onnx  # noqa: F401  (torch's exporter needs it)
    except ImportError as exc:
        raise ConfigError(
            "the ONNX backend needs the `onnx` package to export the model once: "
            "pip install 'onnx>=1.17'"
        ) from exc

    from transformers import AutoModel

    source = resolve_model_path(model_name)
    st = SentenceTransformer(source, device="cpu")
    max_tokens = int(st.max_seq_length)
    # Eager attention traces to plain MatMul/Softmax, which ORT's BERT optimizer fuses into
    # its Attention kernel (SDPA traces to a graph it cannot fuse: half the speed).
    transformer = AutoModel.from_pretrained(source, attn_implementation="eager").eval()

    class Pooled(torch.nn.Module):
        """The transformer with sentence-transformers' mean pooling and L2 normalisation."""

        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1), hidden

    tmp = target.with_name(target.name + f".tmp{os.getpid()}")
    tmp.mkdir(parents=True, exist_ok=True)
    example = st.tokenizer(["hello world", "a second, longer example"], padding=True)
    args = tuple(torch.tensor(example[name]) for name in _INPUTS)
    axes = {name: {0: "batch", 1: "tokens"} for name in _INPUTS} | {
        "embedding": {0: "batch"},
        "tokens": {0: "batch", 1: "tokens"},
    }
    started = time.perf_counter()
    with warnings.catch_warnings():  # tracer chatter about shapes we declare dynamic anyway
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Pooled(transformer),
            args,
            str(tmp / "model.onnx"),
            input_names=list(_INPUTS),
            output_names=["embedding", "tokens"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )
    _fuse_for_cpu(tmp / "model.onnx", transformer.config)
    (tmp / "tokenizer.json").write_bytes((Path(source) / "tokenizer.json").read_bytes())
    manifest = {
        "model": model_name,
        "export_version": EXPORT_VERSION,
        "source": source,
        "dimension": int(st.get_embedding_dimension()),
        "max_tokens": max_tokens,
        "export_seconds": round(time.perf_counter() - started, 2),
    }
    (tmp / MANIFEST).write_text(json.dumps(manifest))
    reference = st.encode(list(_PROBES), normalize_embeddings=True, convert_to_numpy=True)
    ours, our_pieces = _OnnxSession(tmp, threads=None).embed(list(_PROBES), 8, tokens=True)
    states = st.encode(list(_PROBES), output_value="token_embeddings", convert_to_numpy=False)
    piece_cosines = [
        (mine.vectors * as_token_vectors(theirs, state[1:].float().numpy()).vectors).sum(axis=1)
        for mine, theirs, state in zip(
            our_pieces,
            [st.tokenizer.tokenize(p)[: max_tokens - 2] for p in _PROBES],
            states,
            strict=True,
        )
    ]
    manifest["min_cosine_vs_torch"] = round(
        min(float((reference * ours).sum(axis=1).min()), *(float(c.min()) for c in piece_cosines)),
        6,
    )
    if manifest["min_cosine_vs_torch"] < MIN_PARITY_COSINE:
        raise ConfigError(
            f"ONNX export of {model_name!r} differs from sentence-transformers "
            f"(min cosine {manifest['min_cosine_vs_torch']:.4f} < {MIN_PARITY_COSINE})"
        )
    (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2))
    if _is_current(target):  # another process finished first; theirs is as good
        _remove_tree(tmp)
    else:
        if target.exists():
            _remove_tree(target)
        tmp.rename(target)
    log.info("exported %s to %s (%s)", model_name, target, manifest)
    return manifest


def _is_current(folder: Path) -> bool:
    manifest = folder / MANIFEST
    return manifest.is_file() and (
        json.loads(manifest.read_text()).get("export_version") == EXPORT_VERSION
    )


def _fuse_for_cpu(model_path: Path, config) -> None:
    """Rewrite the graph with ORT's fused transformer ops (attention, layer norm, GELU), fp32."""
    from onnxruntime.transformers import optimizer

    fused = optimizer.optimize_model(
        str(model_path),
        model_type="bert",
        num_heads=int(config.num_attention_heads),
        hidden_size=int(config.hidden_size),
    )
    fused.save_model_to_file(str(model_path))


def _remove_tree(path: Path) -> None:
    for child in path.iterdir():
        child.unlink()
    path.rmdir()


class _OnnxSession:
    """An exported folder loaded into onnxruntime with a `tokenizers` tokenizer."""

    def __init__(self, folder: Path, threads: int | None):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        manifest = json.loads((folder / MANIFEST).read_text())
        self.dimension = int(manifest["dimension"])
        self.max_tokens = int(manifest["max_tokens"])
        # tokenizer.json ships with fixed 128 padding/truncation; sentence-transformers uses
        # the model's window (256) and pads each batch to its longest text.
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.batch_tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.batch_tokenizer.enable_truncation(self.max_tokens)
        self.batch_tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or os.cpu_count() or 1
        options.inter_op_num_threads = 1
        # No busy-waiting between runs: the CPU is shared with the LLM, Chroma and the API.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(
            str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"]
        )
        self.manifest = manifest

    def embed(
        self, texts: list[str], batch_size: int, tokens: bool = False
    ) -> tuple[np.ndarray, list[TokenVectors]]:
        """Sentence vectors and, when `tokens`, each text's word-piece vectors (one run)."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        pieces: list[TokenVectors | None] = [None] * len(texts)
        outputs = ["embedding", "tokens"] if tokens else ["embedding"]
        # Longest first, like sentence-transformers: batches of similar length pad little.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            encodings = self.batch_tokenizer.encode_batch([texts[i] for i in rows])
            feed = {
                "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
            }
            results = self.session.run(outputs, feed)
            out[rows] = results[0]
            if tokens:
                for row, encoding, states in zip(rows, encodings, results[1], strict=True):
                    length = sum(encoding.attention_mask)
                    pieces[row] = as_token_vectors(
                        encoding.tokens[1 : length - 1], states[1 : length - 1]
                    )
        return out, [p for p in pieces if p is not None]


class OnnxEmbedder:
    """Embeds with an ONNX export of a sentence-transformers model (exported on first use)."""

    def __init__(
        self,
        name: str,
        cache_dir: Path,
        batch_size: int = 32,
        threads: int | None = None,
    ):
        self.name = name
        self.batch_size = batch_size
        folder = self.folder = export_dir(cache_dir, name)
        if not _is_current(folder):
            log.info("exporting %s to ONNX in %s (once)", name, folder)
            export_onnx(name, folder)
        self._session = _OnnxSession(folder, threads)
        parity = self._session.manifest.get("min_cosine_vs_torch", 0.0)
        if parity < MIN_PARITY_COSINE:
            raise ConfigError(f"the ONNX export in {folder} was not checked against torch")
        self.dimension = self._session.dimension
        self.max_tokens = self._session.max_tokens

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return self._session.embed(list(texts), self.batch_size)[0]

    def embed_with_tokens(self, texts: Sequence[str]) -> tuple[np.ndarray, list[TokenVectors]]:
        """`embed(texts)` and each text's contextual word-piece vectors, from one run."""
        if not texts:
            return self.embed(texts), []
        return self._session.embed(list(texts), self.batch_size, tokens=True)

    def word_pieces(self, texts: Sequence[str]) -> list[list[str]]:
        """Each text's word pieces within the model's window, without [CLS] and [SEP]."""
        room = self.max_tokens - 2  # the model's window less [CLS] and [SEP]
        return [e.tokens[1:-1][:room] for e in self._session.tokenizer.encode_batch(list(texts))]

    def count_tokens(self, text: str) -> int:
        return len(self._session.tokenizer.encode(text, add_special_tokens=True).ids)


def main() -> None:
    """`python -m index.onnx_embedding [CACHE_DIR]`: export the configured model ahead of use."""
    import sys

    from rag.settings import get_settings

    settings = get_settings()
    cache = Path(sys.argv[1]) if len(sys.argv) > 1 else settings.model_cache_path
    folder = export_dir(cache, settings.embedding_model)
    if _is_current(folder):
        print(f"{folder} already exported")
        return
    print(json.dumps(export_onnx(settings.embedding_model, folder), indent=2))


if __name__ == "__main__":
    main()
