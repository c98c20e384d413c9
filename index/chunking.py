"""Pack sentences into overlapping chunks that fit the embedding window."""

from __future__ import annotations

from collections.abc import Callable

from rag.sentences import split_sentences
from rag.types import Article, Chunk


def chunk_article(
    article: Article,
    count_tokens: Callable[[str], int],
    max_tokens: int = 128,
    overlap_sentences: int = 1,
    content_hash: str | None = None,
) -> list[Chunk]:
    """Split an article into chunks on sentence boundaries.

    Each chunk holds whole sentences whose token count stays within `max_tokens`
    (a single longer sentence becomes a chunk of its own), consecutive chunks share
    `overlap_sentences` sentences, and `chunk.text == article.text[start:end]`.
    With `content_hash`, chunk ids name the article version (`id:hash12:n`), so a new
    version's chunks never overwrite the chunks readers may still be using.
    """
    prefix = f"{article.id}:{content_hash[:12]}" if content_hash else article.id
    spans = split_sentences(article.text)
    sizes = [count_tokens(article.text[s:e]) for s, e in spans]
    chunks: list[Chunk] = []
    i = 0
    while i < len(spans):
        j, total = i, 0
        while j < len(spans) and (j == i or total + sizes[j] <= max_tokens):
            total += sizes[j]
            j += 1
        start, end = spans[i][0], spans[j - 1][1]
        chunks.append(
            Chunk(
                id=f"{prefix}:{len(chunks)}",
                article_id=article.id,
                text=article.text[start:end],
                start=start,
                end=end,
                content_hash=content_hash,
            )
        )
        if j >= len(spans):
            break
        i = max(j - overlap_sentences, i + 1)
    return chunks


def embedded_text(chunk: Chunk, title: str | None) -> str:
    """What a chunk's vector is computed from: its text, less its article's headline when the
    chunk opens with it (an article's first chunk, `index.records.headed`).

    The headline stays in the stored text (citable) and in BM25, which indexes it with every
    chunk (`rag.retrieval.LexicalIndex`); in the dense vectors it lets an article's first
    chunk outrank the passage that answers. Measured on the seeds (first chunks embedded with
    and without it): accuracy 0.781 -> 0.802 and hit@1 0.937 -> 0.962 without; on RealTime QA
    128 against 132 answered right with it, so the seeds decided."""
    title = (title or "").strip()
    if chunk.start == 0 and title and chunk.text.startswith(title):
        rest = chunk.text[len(title) :].lstrip()
        if rest:
            return rest
    return chunk.text
