"""RAG_CHROMA_URL: a real `chroma run` on loopback gives the same answers as the embedded store."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from eval.gold import load_gold
from rag.assembly import runtime, seed_if_empty
from rag.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]


def _chroma_cli() -> str | None:
    beside = Path(sys.executable).parent / "chroma"
    return str(beside) if beside.exists() else shutil.which("chroma")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    cli = _chroma_cli()
    if cli is None:
        pytest.skip("the chroma CLI (from the chromadb package) is not installed")
    import httpx

    port = _free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    log = (path / "server.log").open("w")
    process = subprocess.Popen(
        [cli, "run", "--path", str(path / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/api/v2/heartbeat", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"chroma run did not start; see {path / 'server.log'}")
        time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=30)


def _answers(settings, embedder, questions):
    with runtime(settings, embedder) as rt:
        seed_if_empty(rt.newsdesk, settings)
        out = []
        for q in questions:
            answer = rt.newsdesk.ask(q, 5)
            hits = rt.newsdesk.search(q, 5)
            out.append(
                (
                    answer.answer,
                    answer.answered,
                    [(c.article.id, c.start, c.end, c.quote) for c in answer.citations],
                    [(h.chunk.id, round(h.score, 4)) for h in hits],
                )
            )
        return out, rt.newsdesk.articles.count()


def test_server_store_answers_like_the_embedded_store(
    tmp_path, chroma_url, hashing_embedder, make_settings
):
    questions = [g.question for g in load_gold(ROOT / "eval/gold/seeds.jsonl")[:12]]
    embedded = make_settings(tmp_path / "embedded", answer_mode="extractive")
    served = make_settings(tmp_path / "served", answer_mode="extractive", chroma_url=chroma_url)
    local_answers, local_count = _answers(embedded, hashing_embedder, questions)
    server_answers, server_count = _answers(served, hashing_embedder, questions)
    assert local_count == server_count > 0
    assert not (tmp_path / "served" / "chroma").exists()  # chunks went to the server
    assert server_answers == local_answers
    assert any(answered for _, answered, _, _ in server_answers)


def test_server_store_refuses_another_embedding_model(chroma_url, hashing_embedder):
    from index.chroma_store import ChromaChunkIndex

    ChromaChunkIndex(Path("unused"), "model_guard", hashing_embedder.name, 64, url=chroma_url)
    with pytest.raises(ConfigError, match="built with embedding model"):
        ChromaChunkIndex(Path("unused"), "model_guard", "another-model", 64, url=chroma_url)
