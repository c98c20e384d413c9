"""Read article files from disk into `Article`s (id = file name without extension)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from index.cleaning import clean_text
from rag.errors import BadInput
from rag.types import Article

TEXT_SUFFIXES = {".txt", ".md"}
_META_FIELDS = ("title", "source", "url", "published_at")


def iter_article_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Text files named directly, or found recursively under directories, in name order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.suffix in TEXT_SUFFIXES and p.is_file()
            )
        elif path.is_file():
            yield path
        else:
            raise BadInput(f"no such file or directory: {path}", field="path")


def load_article(path: Path) -> Article:
    """An article from a text file, with metadata from a `NAME.meta.json` sidecar if present."""
    meta: dict[str, str | None] = {}
    sidecar = path.with_suffix(".meta.json")
    if sidecar.is_file():
        data = json.loads(sidecar.read_text(encoding="utf-8"))
        meta = {k: data.get(k) for k in _META_FIELDS}
    return Article(id=path.stem, text=clean_text(path.read_text(encoding="utf-8")), **meta)
