"""Freshness for a question asked on a day, and what it does to a ranking."""

from datetime import date

import pytest

from index.metadata import date_from_url
from rag.recency import RecencyPolicy, fresh_articles, parse_day
from rag.retrieval import LexicalIndex, RankingPolicy, rerank
from rag.types import ArticleFields, Chunk

ASKED = date(2023, 1, 5)


@pytest.mark.parametrize(
    ("url", "day"),
    [
        (
            "https://www.cnn.com/2022/12/31/europe/pope-benedict-xvi-death-intl/index.html",
            "2022-12-31",
        ),
        ("https://www.usatoday.com/story/news/nation/2022/09/19/queen/10424087002/", "2022-09-19"),
        ("https://example.com/news/20230105/story", "2023-01-05"),
        ("https://example.com/news/2023-01-05-story", "2023-01-05"),
        ("https://example.com/2023/02/30/not-a-day", None),
        ("https://www.theweek.co.uk/news/politics/959109/kevin-mccarthy", None),
        ("https://example.com/story?date=2023/01/05", None),
        (None, None),
    ],
)
def test_a_news_url_gives_its_publication_day(url, day):
    assert date_from_url(url) == day


def test_freshness_is_full_in_the_window_fades_after_and_ignores_the_future():
    policy = RecencyPolicy(window_days=8, fade_days=24, grace_days=2)
    assert policy.freshness(date(2023, 1, 5), ASKED) == 1.0
    assert policy.freshness(date(2022, 12, 28), ASKED) == 1.0  # 8 days before
    assert policy.freshness(date(2023, 1, 7), ASKED) == 1.0  # published a day or two later
    assert policy.freshness(date(2023, 1, 8), ASKED) == 0.0
    assert policy.freshness(date(2022, 12, 16), ASKED) == pytest.approx(0.5)  # 20 days
    assert policy.freshness(date(2022, 1, 5), ASKED) == 0.0


def test_only_fresh_articles_are_scored():
    days = {"new": date(2023, 1, 3), "old": date(2021, 1, 3), "later": date(2023, 3, 1)}
    assert fresh_articles(days, ASKED, RecencyPolicy()) == {"new": 1.0}
    assert parse_day("2023-01-03T10:00:00+00:00") == date(2023, 1, 3)
    assert parse_day("03/01/2023") is None and parse_day(None) is None


def _chunk(article_id: str, text: str) -> Chunk:
    return Chunk(f"{article_id}#0", article_id, text, 0, len(text))


def test_the_index_scores_only_the_candidates_articles_when_told_them():
    fields = {
        "a": ArticleFields(year="2023", day=(1, 3)),
        "b": ArticleFields(year="2023", day=(1, 4)),
        "c": ArticleFields(year="2023"),  # no day: undated
    }
    index = LexicalIndex([_chunk(a, f"Story {a}.") for a in fields], fields)
    policy = RecencyPolicy()
    assert index.fresh_articles(ASKED, policy) == {"a": 1.0, "b": 1.0}
    assert index.fresh_articles(ASKED, policy, {"b", "c", "unknown"}) == {"b": 1.0}


def test_this_weeks_story_outranks_a_look_alike_from_an_earlier_year():
    query = "Which former archbishop was laid to rest at a state funeral?"
    old = _chunk("tutu-2022", "Desmond Tutu was laid to rest at a state funeral in Cape Town.")
    new = _chunk("benedict-2023", "Pope Benedict XVI was laid to rest after a funeral Mass.")
    similarities = {old.id: 0.62, new.id: 0.55}
    plain = rerank(query, [old, new], RankingPolicy(), similarities=similarities)
    assert plain[0].chunk is old
    asked = rerank(
        query, [old, new], RankingPolicy(), similarities=similarities, fresh={"benedict-2023": 1.0}
    )
    assert asked[0].chunk is new


@pytest.mark.integration
def test_a_question_asked_on_a_day_finds_that_weeks_story_in_a_real_store(tmp_path, real_embedder):
    from index.article_store import SqliteArticleStore
    from index.chroma_store import ChromaChunkIndex
    from index.ingest import Ingestor
    from index.records import SourceArticle, prepare_article
    from rag.retrieval import HybridRetriever

    articles = SqliteArticleStore(tmp_path / "a.sqlite3")
    chunks = ChromaChunkIndex(
        tmp_path / "chroma", "chunks", real_embedder.name, real_embedder.dimension
    )
    stories = {
        "final-2022": (
            "https://news.example/2022/02/14/sport/final-result/index.html",
            "The home side won the championship final 23-20 on Sunday night.",
        ),
        "final-2023": (
            "https://news.example/2023/02/13/sport/final-result/index.html",
            "The visitors won the championship final 38-35 on Sunday night.",
        ),
    }
    prepared = [
        prepare_article(SourceArticle(id=i, raw=text, meta={"url": url}, where=i))
        for i, (url, text) in stories.items()
    ]
    assert [p.article.published_at for p in prepared] == ["2022-02-14", "2023-02-13"]
    Ingestor(real_embedder, articles, chunks, max_tokens=128).ingest(p.article for p in prepared)
    retriever = HybridRetriever(real_embedder, chunks, fields=articles.index_fields)
    question = "Who won the championship final on Sunday?"
    for asked, expected in [(date(2022, 2, 16), "final-2022"), (date(2023, 2, 15), "final-2023")]:
        assert retriever.search(question, 2, as_of=asked)[0].chunk.article_id == expected
