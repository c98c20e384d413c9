"""Turn raw article text into the clean text we store and cite into."""

from __future__ import annotations

import re
import unicodedata

# Page furniture that scrapers leave in news text; a whole line matching is dropped.
_BOILERPLATE = re.compile(
    r"^(advertis(e)?ment|also read:.*|pinterest linkedin tumblr|latest news"
    r"|this post appeared first on \S+|photo:.*)$",
    re.IGNORECASE,
)


def clean_text(raw: str) -> str:
    """Normalise unicode and whitespace and drop boilerplate lines.

    Paragraphs stay separated by one blank line; text inside a line is kept as is
    (apart from non-breaking spaces), so quotes from the source survive verbatim.
    """
    text = unicodedata.normalize("NFC", raw).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\t", " ")
    lines = [line.strip() for line in text.split("\n")]
    kept = [line for line in lines if not _BOILERPLATE.match(line)]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
