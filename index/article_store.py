"""SQLite adapter for the `ArticleStore` protocol: the article texts offsets point into."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from rag.types import Article

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    title TEXT, source TEXT, url TEXT, published_at TEXT
)
"""
_COLUMNS = "id, text, title, source, url, published_at"


class SqliteArticleStore:
    """Articles in one SQLite file; every write is a single transaction."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False)
        with self._lock, self._db:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(_SCHEMA)

    def put(self, article: Article) -> None:
        with self._lock, self._db:
            self._db.execute(
                f"INSERT OR REPLACE INTO articles ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    article.id,
                    article.text,
                    article.title,
                    article.source,
                    article.url,
                    article.published_at,
                ),
            )

    def get(self, article_id: str) -> Article | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT {_COLUMNS} FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
        return Article(*row) if row else None

    def list(self) -> list[Article]:
        with self._lock:
            rows = self._db.execute(f"SELECT {_COLUMNS} FROM articles ORDER BY id").fetchall()
        return [Article(*row) for row in rows]

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def close(self) -> None:
        self._db.close()
