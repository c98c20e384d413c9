"""`rag ingest` killed with SIGKILL part-way, then re-run, ends exactly where a clean run does."""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from index.article_store import SqliteArticleStore
from index.chroma_store import ChromaChunkIndex
from index.ingest import Ingestor
from index.loading import iter_sources

pytestmark = pytest.mark.integration

RAG = str(Path(sys.executable).parent / "rag")
ARTICLES = 90


def corpus(path: Path) -> Path:
    lines = []
    for i in range(ARTICLES):
        body = (
            f"Report {i} from the river district: the bridge number {i} was inspected on day "
            f"{i % 28 + 1} and {i * 7 % 13} cracks were found.\n\nEngineers said repairs to span "
            f"{i} would take {i % 9 + 2} weeks and cost {i * 13 % 97 + 3} thousand dollars."
        )
        lines.append(json.dumps({"id": f"crash-{i:03d}", "title": f"Bridge {i}", "body": body}))
    path.write_text("\n".join(lines) + "\n")
    return path


def ingest(data_dir: Path, source: Path) -> subprocess.Popen:
    env = os.environ | {
        "RAG_DATA_DIR": str(data_dir),
        "RAG_INGEST_BATCH_CHUNKS": "4",
        "HF_HUB_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
    }
    return subprocess.Popen(
        [RAG, "ingest", str(source), "--no-progress"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stored_count(data_dir: Path) -> int:
    path = data_dir / "articles.sqlite3"
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as db:
            return db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def snapshot(data_dir: Path):
    articles = SqliteArticleStore(data_dir / "articles.sqlite3")
    rows = [(r.article, r.content_hash, r.chunks) for r in articles.records()]
    pending = articles.pending()
    articles.close()
    index = ChromaChunkIndex(data_dir / "chroma", "newsdesk_chunks", "all-MiniLM-L6-v2", 384)
    got = index._collection.get(include=["documents", "metadatas", "embeddings"])
    order = np.argsort(got["ids"])
    chunks = [(got["ids"][i], got["documents"][i], got["metadatas"][i]) for i in order]
    vectors = np.asarray(got["embeddings"])[order]
    return rows, pending, chunks, vectors


def test_a_killed_ingest_leaves_nothing_half_done_and_a_rerun_completes_it(tmp_path, real_embedder):
    source = corpus(tmp_path / "corpus.jsonl")
    killed, clean = tmp_path / "killed", tmp_path / "clean"

    proc = ingest(killed, source)
    deadline = time.monotonic() + 240
    while stored_count(killed) < ARTICLES // 3:
        assert proc.poll() is None, f"ingest ended before it could be killed:\n{proc.stdout.read()}"
        assert time.monotonic() < deadline, "ingest made no progress"
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    at_kill = stored_count(killed)
    assert proc.returncode == -signal.SIGKILL and at_kill < ARTICLES

    # every article a reader can see has all the chunks of its version, cut from its text
    # (read from a copy: a Chroma client caches its files, so this process opens each dir once)
    shutil.copytree(killed, tmp_path / "at-kill")
    rows, _, chunks, _ = snapshot(tmp_path / "at-kill")
    for article, content_hash, n in rows:
        mine = [(d, m) for _, d, m in chunks if m.get("content_hash") == content_hash]
        assert len(mine) == n >= 1
        assert all(article.text[m["start"] : m["end"]] == d for d, m in mine)

    rerun = ingest(killed, source)
    out, _ = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, out
    assert f"unchanged {at_kill}" in out

    # the uninterrupted run, in this process (same settings as the CLI's defaults)
    Ingestor(
        real_embedder,
        SqliteArticleStore(clean / "articles.sqlite3"),
        ChromaChunkIndex(clean / "chroma", "newsdesk_chunks", real_embedder.name, 384),
    ).ingest(iter_sources([source]))

    rows, pending, chunks, vectors = snapshot(killed)
    clean_rows, clean_pending, clean_chunks, clean_vectors = snapshot(clean)
    assert len(rows) == len(clean_rows) == ARTICLES and pending == clean_pending == []
    assert rows == clean_rows
    assert chunks == clean_chunks and len(chunks) == sum(r[2] for r in rows)
    assert np.allclose(vectors, clean_vectors, atol=1e-5)
