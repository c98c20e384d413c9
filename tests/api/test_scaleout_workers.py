"""Two API workers (`uvicorn --workers 2`) on one `chroma run` server stay consistent after an
ingest made by another process: every response finds the new article, lexically and densely."""

from __future__ import annotations

import threading

import httpx
import pytest

from bench.server import ApiServer, ChromaServer
from rag.assembly import runtime, seed_if_empty
from rag.types import Article

pytestmark = pytest.mark.integration

NEW = Article(
    id="quokka_001",
    text=(
        "The Rottnest quokka census counted 12,400 quokkas this spring, rangers said. "
        "Quokkas are small marsupials found on Rottnest Island off Western Australia."
    ),
    title="Quokka census",
)


QUESTION = "How many quokkas did the Rottnest quokka census count?"


def _search_all(url: str, query: str, clients: int = 4, each: int = 4) -> list[list[str]]:
    found: list[list[str]] = []
    lock = threading.Lock()

    def client() -> None:
        with httpx.Client(base_url=url, timeout=60) as http:
            for _ in range(each):
                hits = http.post("/search", json={"query": query, "top_k": 3}).json()["results"]
                with lock:
                    found.append([h["article_id"] for h in hits])

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return found


def test_workers_see_an_ingest_from_another_process(tmp_path, real_embedder, make_settings):
    with ChromaServer(tmp_path / "chroma-db", tmp_path / "chroma.log") as chroma:
        settings = make_settings(tmp_path / "data", answer_mode="extractive", chroma_url=chroma.url)
        with runtime(settings, real_embedder) as rt:
            seed_if_empty(rt.newsdesk, settings)
        env = {
            "RAG_DATA_DIR": str(settings.data_dir),
            "RAG_CHROMA_URL": chroma.url,
            "RAG_ANSWER_MODE": "extractive",
        }
        with ApiServer(env, tmp_path / "api.log", workers=2, timeout=300) as api:
            before = _search_all(api.url, "quokka census Rottnest")
            assert all(NEW.id not in ids for ids in before)

            with runtime(settings, real_embedder) as rt:  # another process's `rag ingest`
                assert rt.newsdesk.ingest([NEW]).added == 1

            after = _search_all(api.url, "quokka census Rottnest")
            assert len(after) == 16
            assert all(ids and ids[0] == NEW.id for ids in after), after
            # The words only the new article has must be known to every worker's lexical
            # index too: a stale one counts them as unknown terms and declines to answer.
            with httpx.Client(base_url=api.url, timeout=60) as http:
                for _ in range(8):
                    body = http.post("/ask", json={"question": QUESTION}).json()
                    assert body["answered"], body
                    assert body["citations"][0]["article_id"] == NEW.id


def test_lexical_index_follows_an_ingest_by_another_process(
    tmp_path, hashing_embedder, make_settings
):
    with ChromaServer(tmp_path / "chroma-db", tmp_path / "chroma.log") as chroma:
        settings = make_settings(tmp_path / "data", answer_mode="extractive", chroma_url=chroma.url)
        with runtime(settings, hashing_embedder) as worker:
            seed_if_empty(worker.newsdesk, settings)
            assert "quokka" not in worker.newsdesk.retriever.vocabulary()
            with runtime(settings, hashing_embedder) as other:  # its own store connections
                other.newsdesk.ingest([NEW])
            assert "quokka" in worker.newsdesk.retriever.vocabulary()
