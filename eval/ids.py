"""Stable article ids for the MultiHop-RAG corpus, shared by the ingester and the eval loader."""

import hashlib
from collections.abc import Mapping


def multihop_article_id(record: Mapping[str, object]) -> str:
    """Return ``"mh_" + sha1(url or title)[:16]`` for a corpus record or an evidence item."""
    key = str(record.get("url") or "").strip() or str(record.get("title") or "").strip()
    if not key:
        raise ValueError("a MultiHop-RAG record needs a url or a title to derive its article id")
    return "mh_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
