import json
from pathlib import Path

import pytest

from eval.ids import multihop_article_id
from eval.multihop import (
    MultihopFormatError,
    is_unanswerable,
    load_corpus_map,
    load_multihop,
    multihop_questions,
)

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "multihop_corpus.json"
QUERIES = DATA / "multihop_queries.json"


def _corpus_ids():
    records = json.loads(CORPUS.read_text())
    return [multihop_article_id(r) for r in records]


def test_article_id_is_stable_slug_of_url_then_title():
    record = {"url": "https://example.org/x", "title": "T"}
    assert multihop_article_id(record) == multihop_article_id({"url": "https://example.org/x"})
    assert multihop_article_id(record).startswith("mh_") and len(multihop_article_id(record)) == 19
    assert multihop_article_id({"url": "", "title": "T"}) == multihop_article_id({"title": "T"})
    assert multihop_article_id({"title": "T"}) != multihop_article_id(record)
    with pytest.raises(ValueError):
        multihop_article_id({"url": "", "title": " "})


def test_load_with_corpus_file_maps_evidence_by_url_then_title():
    chip, rival, stadium = _corpus_ids()
    questions = load_multihop(QUERIES, CORPUS)
    assert [q.id for q in questions] == ["mh-0001", "mh-0002", "mh-0003", "mh-0004"]
    first, second, third, fourth = questions
    assert first.articles == (chip, rival) and first.answers == ("Nvidia",)
    assert first.type == "inference_query"
    assert first.quotes[0].startswith("The chipmaker said on Tuesday")
    assert second.articles == (stadium,)
    assert third.articles == (stadium, rival)  # the stadium evidence has no url: found by title
    assert not fourth.answerable and fourth.articles == () and fourth.type == "null_query"


def test_load_with_mapping_dict_and_without_mapping():
    mapping = load_corpus_map(CORPUS)
    assert load_multihop(QUERIES, mapping) == load_multihop(QUERIES, CORPUS)
    derived = load_multihop(QUERIES)
    chip, rival, stadium = _corpus_ids()
    assert derived[0].articles == (chip, rival)
    title_only = multihop_article_id({"title": "City council approves new stadium"})
    assert derived[2].articles == (title_only, rival)


def test_insufficient_information_variants():
    assert is_unanswerable("Insufficient information.")
    assert is_unanswerable(" insufficient information ")
    assert not is_unanswerable("Insufficient")


def test_bad_query_items_are_rejected():
    with pytest.raises(MultihopFormatError, match="query #2: field 'answer'"):
        multihop_questions([{"query": "q", "answer": "a"}, {"query": "q"}])
    with pytest.raises(MultihopFormatError, match="evidence_list"):
        multihop_questions([{"query": "q", "answer": "a", "evidence_list": ["x"]}])
