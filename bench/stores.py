"""Large stores for the search benchmark, written straight through the stores' own classes.

Embedding 100,000 chunks would take longer on two cores than the whole benchmark may, so
these stores hold the synthetic corpus's paragraphs as chunks with random (seeded,
unit-length) vectors. Nearest-neighbour search over structureless vectors is no easier
than over real ones, and the lexical index sees real text; only the answers are meaningless.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from bench import corpus
from index.article_store import ArticleRow, SqliteArticleStore
from index.chroma_store import ChromaChunkIndex
from rag.settings import Settings
from rag.types import Article, Chunk

MODEL = "all-MiniLM-L6-v2"
DIMENSION = 384


def paragraph_chunks(article: Article, content_hash: str) -> list[Chunk]:
    """One chunk per paragraph, with offsets into the article text."""
    chunks, start = [], 0
    for n, paragraph in enumerate(article.text.split("\n\n")):
        start = article.text.index(paragraph, start)
        end = start + len(paragraph)
        chunks.append(
            Chunk(
                f"{article.id}:{content_hash[:12]}:{n}",
                article.id,
                paragraph,
                start,
                end,
                content_hash,
            )  # fmt: skip
        )
        start = end
    return chunks


def build_vector_store(
    data_dir: Path,
    n_chunks: int,
    seed: int = 0,
    collection: str = "newsdesk_chunks",
    flush_every: int = 5000,
) -> dict[str, int]:
    """Fill `data_dir` with `n_chunks` paragraph chunks of synthetic articles (random vectors)."""
    rng = np.random.default_rng(seed)
    articles = SqliteArticleStore(data_dir / "articles.sqlite3")
    index = ChromaChunkIndex(data_dir / "chroma", collection, MODEL, DIMENSION)
    rows: list[ArticleRow] = []
    chunks: list[Chunk] = []
    made = written_articles = i = 0

    def flush() -> None:
        nonlocal rows, chunks
        vectors = rng.standard_normal((len(chunks), DIMENSION)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        meta = {r.article.id: r.article.meta() | {"author": r.article.author} for r in rows}
        index.add(chunks, vectors, meta)
        articles.save(rows)
        rows, chunks = [], []

    while made < n_chunks:
        item = corpus.article(i, seed)
        i += 1
        article = Article(
            item.id, item.text, item.title, item.source, None, item.published_at, item.author
        )
        content_hash = hashlib.sha256(f"bench:{item.id}".encode()).hexdigest()
        mine = paragraph_chunks(article, content_hash)[: n_chunks - made]
        rows.append(ArticleRow(article, article.text, content_hash, None, len(mine)))
        chunks += mine
        made += len(mine)
        written_articles += 1
        if len(chunks) >= flush_every:
            flush()
    if chunks:
        flush()
    articles.close()
    return {"chunks": index.count(), "articles": written_articles}


def stored_chunk_texts(settings: Settings, name: str, dimension: int) -> list[str]:
    """The text of every chunk in a store, in article order, read back from Chroma."""
    index = ChromaChunkIndex(settings.data_dir / "chroma", settings.collection, name, dimension)
    return [c.text for c in index.all_chunks()]
