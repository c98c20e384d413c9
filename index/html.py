"""trafilatura adapter: the main text and metadata of an HTML page, offline."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class HtmlArticle:
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published_at: str | None = None
    author: str | None = None


@lru_cache(maxsize=1)
def _config():
    from trafilatura.settings import use_config

    config = use_config()
    # Keep short articles, and never use signal-based timeouts (they fail off the main thread).
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


def extract_html(html: str) -> HtmlArticle | None:
    """The article text (paragraphs separated by blank lines) and page metadata, or None
    when the page holds no main text. Navigation, comments and footers are left out."""
    import trafilatura

    text = trafilatura.extract(
        html,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        deduplicate=False,
        config=_config(),
    )
    if not text or not text.strip():
        return None
    meta = trafilatura.extract_metadata(html, extensive=False)
    return HtmlArticle(
        text="\n\n".join(line for line in text.split("\n") if line.strip()),
        title=_clean(getattr(meta, "title", None)),
        source=_clean(getattr(meta, "sitename", None)),
        url=_clean(getattr(meta, "url", None)),
        published_at=_clean(getattr(meta, "date", None)),
        author=_clean(getattr(meta, "author", None)),
    )


def _clean(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
