"""Read MultiHop-RAG query files into GoldQuestions, mapping evidence to corpus article ids."""

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from eval.gold import GoldQuestion
from eval.ids import multihop_article_id

UNANSWERABLE_ANSWER = "insufficient information"


class MultihopFormatError(ValueError):
    """A MultiHop-RAG query or corpus file that does not have the expected shape."""


def is_unanswerable(answer: str) -> bool:
    """True for MultiHop-RAG's "Insufficient information" answer (any case, trailing dot)."""
    return answer.strip().rstrip(".").strip().lower() == UNANSWERABLE_ANSWER


def corpus_article_map(records: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Map each corpus record's url and title to ``multihop_article_id(record)``."""
    mapping: dict[str, str] = {}
    for record in records:
        article_id = multihop_article_id(record)
        for key in (record.get("url"), record.get("title")):
            if isinstance(key, str) and key.strip():
                mapping.setdefault(key.strip(), article_id)
    return mapping


def load_corpus_map(path: Path) -> dict[str, str]:
    """Read a corpus JSON list (``[{title, source, url, body, ...}]``) into a url/title map."""
    records = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise MultihopFormatError(f"{path}: expected a JSON list of article objects")
    return corpus_article_map(records)


def evidence_article_id(evidence: Mapping[str, Any], article_ids: Mapping[str, str] | None) -> str:
    """Look the evidence up by url, then title; fall back to the derived id the ingester uses."""
    if article_ids:
        for key in (evidence.get("url"), evidence.get("title")):
            if isinstance(key, str) and key.strip() in article_ids:
                return article_ids[key.strip()]
    return multihop_article_id(evidence)


def _question(index: int, item: Any, article_ids: Mapping[str, str] | None) -> GoldQuestion:
    where = f"query #{index}"
    if not isinstance(item, dict):
        raise MultihopFormatError(f"{where}: expected an object")
    for name in ("query", "answer"):
        if not isinstance(item.get(name), str):
            raise MultihopFormatError(f"{where}: field {name!r} must be a string")
    evidence = item.get("evidence_list") or []
    if not isinstance(evidence, list) or not all(isinstance(e, dict) for e in evidence):
        raise MultihopFormatError(f"{where}: field 'evidence_list' must be a list of objects")
    articles = dict.fromkeys(evidence_article_id(e, article_ids) for e in evidence)
    quotes = [e["fact"].strip() for e in evidence if isinstance(e.get("fact"), str)]
    answer = item["answer"].strip()
    return GoldQuestion(
        id=f"mh-{index:04d}",
        question=item["query"].strip(),
        answers=() if is_unanswerable(answer) or not answer else (answer,),
        articles=tuple(articles),
        type=str(item.get("question_type") or "multihop"),
        quotes=tuple(q for q in quotes if q),
    )


def multihop_questions(
    items: list[Any], article_ids: Mapping[str, str] | None = None
) -> list[GoldQuestion]:
    """Convert parsed MultiHop-RAG query items into GoldQuestions with ids ``mh-0001``..."""
    return [_question(index, item, article_ids) for index, item in enumerate(items, start=1)]


def load_multihop(
    path: Path, article_ids: Mapping[str, str] | Path | None = None
) -> list[GoldQuestion]:
    """Load a MultiHop-RAG query file; ``article_ids`` is a url/title map or a corpus JSON path."""
    if isinstance(article_ids, Path):
        article_ids = load_corpus_map(article_ids)
    items = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(items, list):
        raise MultihopFormatError(f"{path}: expected a JSON list of queries")
    return multihop_questions(items, article_ids)
