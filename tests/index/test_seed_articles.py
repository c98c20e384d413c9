"""The five seeds as stored: no page furniture, titles and sources, quotes still verbatim."""

import json
from pathlib import Path

import pytest

from index.loading import iter_sources
from index.records import prepare_article

GOLD = Path(__file__).resolve().parents[2] / "eval" / "gold" / "seeds.jsonl"
JUNK = ("Advertisment", "Also read", "Pinterest LinkedIn Tumblr", "Photo:", "MENAFN", "Latest News")


@pytest.fixture(scope="module")
def seeds(seeds_dir):
    return {a.id: a for a in (prepare_article(s).article for s in iter_sources([seeds_dir]))}


def test_stored_seed_texts_carry_no_page_furniture(seeds):
    assert len(seeds) == 5
    for article in seeds.values():
        for junk in JUNK:
            assert junk not in article.text, (article.id, junk)


def test_every_seed_has_a_title_and_a_source_and_001_its_date(seeds):
    for article in seeds.values():
        assert article.title and article.source, article.id
    assert seeds["001_422b58984ffd6ea4"].published_at == "2025-02-05"
    # no date is invented where the text gives none (003 says "Saturday (Feb 8)", no year)
    assert seeds["003_6393df299b93704f"].published_at is None


def test_every_gold_quote_is_verbatim_in_the_clean_text(seeds):
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        for quote in record["quotes"]:
            texts = [seeds[a].text for a in record["articles"]]
            assert any(quote in t for t in texts), (record["id"], quote)
