"""Sanity checks for the general news-QA retrieval set (eval/gold/general).

240 hand-written news passages in ``corpus/`` and questions in ``questions.jsonl``.
No project code is imported.
"""

import json
from collections import Counter
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
GENERAL_DIR = REPO_ROOT / "eval" / "gold" / "general"
QUESTIONS_PATH = GENERAL_DIR / "questions.jsonl"
CORPUS_DIR = GENERAL_DIR / "corpus"

EXPECTED_KEYS = {"id", "question", "answers", "articles", "quotes", "type"}
VALID_TYPES = {"factoid", "numeric", "temporal", "paraphrase", "distractor"}

MIN_PASSAGES = 200
MIN_QUESTIONS = 100
MIN_DISTRACTOR = 30
MIN_PARAPHRASE = 20


@pytest.fixture(scope="module")
def records():
    assert QUESTIONS_PATH.is_file(), f"questions file missing: {QUESTIONS_PATH}"
    out = []
    for lineno, line in enumerate(QUESTIONS_PATH.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:  # pragma: no cover - failure path
            pytest.fail(f"line {lineno} is not valid JSON: {exc}")
        assert isinstance(rec, dict), f"line {lineno} is not a JSON object"
        out.append(rec)
    return out


@pytest.fixture(scope="module")
def articles():
    assert CORPUS_DIR.is_dir(), f"corpus directory missing: {CORPUS_DIR}"
    found = {p.stem: p.read_text(encoding="utf-8") for p in sorted(CORPUS_DIR.glob("*.txt"))}
    assert found, f"no passages (*.txt) in {CORPUS_DIR}"
    return found


def test_keys_and_value_types(records):
    for rec in records:
        rid = rec.get("id")
        assert set(rec) == EXPECTED_KEYS, f"{rid}: keys {sorted(rec)}"
        assert isinstance(rid, str) and rid.strip(), f"{rid!r}: bad id"
        assert isinstance(rec["question"], str) and rec["question"].strip(), f"{rid}: bad question"
        assert rec["type"] in VALID_TYPES, f"{rid}: unknown type {rec['type']!r}"
        for key in ("answers", "articles", "quotes"):
            value = rec[key]
            assert isinstance(value, list) and value, f"{rid}: {key} must be a non-empty list"
            for item in value:
                assert isinstance(item, str) and item.strip(), f"{rid}: bad item in {key}"


def test_ids_unique(records):
    dupes = sorted(i for i, n in Counter(r["id"] for r in records).items() if n > 1)
    assert not dupes, f"duplicate ids: {dupes}"


def test_article_ids_exist(records, articles):
    for rec in records:
        for aid in rec["articles"]:
            assert aid in articles, f"{rec['id']}: unknown article {aid!r} (no corpus/{aid}.txt)"


def test_quotes_are_verbatim(records, articles):
    for rec in records:
        texts = [articles[a] for a in rec["articles"] if a in articles]
        for quote in rec["quotes"]:
            assert any(quote in t for t in texts), f"{rec['id']}: quote not verbatim: {quote!r}"


def test_an_answer_occurs_in_an_article(records, articles):
    for rec in records:
        texts = [articles[a].lower() for a in rec["articles"] if a in articles]
        found = any(ans.lower() in t for ans in rec["answers"] for t in texts)
        assert found, f"{rec['id']}: none of {rec['answers']!r} occurs in its articles"


def test_counts(records, articles):
    types = Counter(r["type"] for r in records)
    assert len(articles) >= MIN_PASSAGES, f"only {len(articles)} passages"
    assert len(records) >= MIN_QUESTIONS, f"only {len(records)} questions"
    assert types["distractor"] >= MIN_DISTRACTOR, f"types: {dict(types)}"
    assert types["paraphrase"] >= MIN_PARAPHRASE, f"types: {dict(types)}"
