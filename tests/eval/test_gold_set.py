"""Sanity checks for the hand-checked gold question sets about the seeds: the development set
(eval/gold/seeds.jsonl), the check set (eval/gold/seeds_check.jsonl) and the blind set written
by someone who saw only the articles (eval/gold/seeds_blind.jsonl), a second one written the
same way later (eval/gold/seeds_blind2.jsonl) and a third (eval/gold/seeds_blind3.jsonl), and
the follow-up set written the same way
(eval/gold/seeds_followups.jsonl: each question comes after a `history`).

The gold set is validated against the seed articles in ``<repo root>/seeds``.
No project code is imported.
"""

import json
import re
from collections import Counter
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
GOLD_PATH = REPO_ROOT / "eval" / "gold" / "seeds.jsonl"
CHECK_PATH = REPO_ROOT / "eval" / "gold" / "seeds_check.jsonl"
BLIND_PATH = REPO_ROOT / "eval" / "gold" / "seeds_blind.jsonl"
BLIND2_PATH = REPO_ROOT / "eval" / "gold" / "seeds_blind2.jsonl"
BLIND3_PATH = REPO_ROOT / "eval" / "gold" / "seeds_blind3.jsonl"
FOLLOWUP_PATH = REPO_ROOT / "eval" / "gold" / "seeds_followups.jsonl"
SEEDS_DIR = REPO_ROOT / "seeds"

EXPECTED_KEYS = {"id", "question", "answers", "articles", "quotes", "type"}
VALID_TYPES = {
    "numeric",
    "factoid",
    "multi-article",
    "comparison",
    "paraphrase",
    "temporal",
    "variant-name",
    "said",
    "follow-up",
    "unanswerable",
}

MIN_TOTAL = 60
MIN_UNANSWERABLE = 10
MIN_MULTI_OR_COMPARISON = 8
MIN_PARAPHRASE = 8


def _collapse(text):
    return re.sub(r"\s+", " ", text).strip().lower()


def _load_records(path=GOLD_PATH):
    assert path.is_file(), f"gold file missing: {path}"
    records = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:  # pragma: no cover - failure path
            pytest.fail(f"line {lineno} is not valid JSON: {exc}")
        assert isinstance(rec, dict), f"line {lineno} is not a JSON object"
        records.append(rec)
    return records


def _load_articles():
    assert SEEDS_DIR.is_dir(), f"seed articles directory missing: {SEEDS_DIR}"
    articles = {p.stem: p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))}
    assert articles, f"no seed articles (*.txt) found in {SEEDS_DIR}"
    return articles


@pytest.fixture(
    scope="module",
    params=[GOLD_PATH, CHECK_PATH, BLIND_PATH, BLIND2_PATH, BLIND3_PATH, FOLLOWUP_PATH],
    ids=["seeds", "check", "blind", "blind2", "blind3", "followups"],
)
def records(request):
    return _load_records(request.param)


@pytest.fixture(scope="module")
def articles():
    return _load_articles()


def _answerable(records):
    return [r for r in records if r["type"] != "unanswerable"]


def test_file_parses(records):
    assert records, "gold file contains no questions"


def test_keys_and_types(records):
    for rec in records:
        rid = rec.get("id")
        assert set(rec) - {"history"} == EXPECTED_KEYS, f"{rid}: keys {sorted(rec)}"
        if "history" in rec:
            assert rec["type"] in ("follow-up", "unanswerable"), (
                f"{rid}: history on a non-follow-up"
            )
            assert rec["history"] and all(
                t.get("role") in ("user", "assistant") and t.get("content", "").strip()
                for t in rec["history"]
            ), f"{rid}: bad history"
        assert isinstance(rec["id"], str) and rec["id"].strip(), f"{rid}: bad id"
        assert isinstance(rec["question"], str) and rec["question"].strip(), f"{rid}: bad question"
        assert isinstance(rec["type"], str), f"{rid}: type must be a string"
        assert rec["type"] in VALID_TYPES, f"{rid}: unknown type {rec['type']!r}"
        for key in ("answers", "articles", "quotes"):
            value = rec[key]
            assert isinstance(value, list), f"{rid}: {key} must be a list"
            for item in value:
                assert isinstance(item, str) and item.strip(), (
                    f"{rid}: {key} has a non-string or empty item"
                )


def test_ids_unique(records):
    counts = Counter(r["id"] for r in records)
    dupes = sorted(i for i, n in counts.items() if n > 1)
    assert not dupes, f"duplicate ids: {dupes}"


def test_article_ids_exist(records, articles):
    for rec in records:
        for aid in rec["articles"]:
            assert aid in articles, f"{rec['id']}: unknown article {aid!r} (no seeds/{aid}.txt)"
        assert len(set(rec["articles"])) == len(rec["articles"]), (
            f"{rec['id']}: repeated article id"
        )


def test_quotes_are_verbatim(records, articles):
    for rec in records:
        texts = [articles[a] for a in rec["articles"] if a in articles]
        for quote in rec["quotes"]:
            assert any(quote in t for t in texts), (
                f"{rec['id']}: quote not found verbatim in its articles: {quote!r}"
            )


def test_answerable_have_support(records):
    for rec in _answerable(records):
        rid = rec["id"]
        assert rec["answers"], f"{rid}: answerable question without answers"
        assert rec["articles"], f"{rid}: answerable question without articles"
        assert rec["quotes"], f"{rid}: answerable question without quotes"


def test_unanswerable_are_empty(records):
    for rec in records:
        if rec["type"] == "unanswerable":
            rid = rec["id"]
            assert rec["answers"] == [], f"{rid}: unanswerable question has answers"
            assert rec["articles"] == [], f"{rid}: unanswerable question has articles"
            assert rec["quotes"] == [], f"{rid}: unanswerable question has quotes"
        else:
            assert rec["answers"], f"{rec['id']}: empty answers but type is {rec['type']!r}"


def test_multi_article_questions_cite_two_articles(records):
    for rec in records:
        if rec["type"] in ("multi-article", "comparison"):
            assert len(rec["articles"]) >= 2, f"{rec['id']}: {rec['type']} needs >= 2 articles"


def test_answer_occurs_in_an_article(records, articles):
    for rec in _answerable(records):
        texts = [_collapse(articles[a]) for a in rec["articles"] if a in articles]
        found = any(_collapse(ans) in t for ans in rec["answers"] for t in texts)
        assert found, f"{rec['id']}: none of the answers {rec['answers']!r} occurs in its articles"


def test_counts():
    records = _load_records(GOLD_PATH)
    types = Counter(r["type"] for r in records)
    assert len(records) >= MIN_TOTAL, f"only {len(records)} questions"
    assert types["unanswerable"] >= MIN_UNANSWERABLE, f"types: {dict(types)}"
    multi = types["multi-article"] + types["comparison"]
    assert multi >= MIN_MULTI_OR_COMPARISON, f"types: {dict(types)}"
    assert types["paraphrase"] >= MIN_PARAPHRASE, f"types: {dict(types)}"
