"""The BM25 side of retrieval: chunks are indexed with their article's headline in front, and
the vocabulary knows each article's publication year and source."""

from index.article_store import SqliteArticleStore
from rag.retrieval import LexicalIndex
from rag.types import Article, ArticleFields, Chunk

LEDE = "Zelensky wants to work directly with Trump."
FACT = "Russia launched its full-scale invasion in February 2022."
OTHER = "Zelensky said Russia started attacks in March."


def chunks() -> list[Chunk]:
    return [
        Chunk("a:0", "a", LEDE, 0, len(LEDE)),
        Chunk("a:1", "a", FACT, len(LEDE) + 1, len(LEDE) + 1 + len(FACT)),
        Chunk("b:0", "b", OTHER, 0, len(OTHER)),
    ]


def test_a_question_naming_the_headline_finds_chunks_that_do_not_repeat_it():
    query = "What month did Russia start the war, per the article on Zelensky and Trump?"
    titles = {"a": ArticleFields(title="Zelensky wants to work directly with Trump")}
    without = [c.id for c, _ in LexicalIndex(chunks()).search(query, 3)]
    assert without.index("b:0") < without.index("a:1")  # b:0 shares Zelensky and Russia
    with_titles = [c.id for c, _ in LexicalIndex(chunks(), titles).search(query, 3)]
    assert with_titles.index("a:1") < with_titles.index("b:0")


def test_a_chunk_that_starts_with_its_headline_is_not_given_it_twice():
    lede, other = chunks()[0], chunks()[2]
    once = LexicalIndex([lede, other], {"a": ArticleFields(title=LEDE)}).search(
        "Zelensky directly", 2
    )
    plain = LexicalIndex([lede, other]).search("Zelensky directly", 2)
    assert once == plain


def test_the_vocabulary_is_the_chunks_own_words():
    index = LexicalIndex(chunks(), {"b": ArticleFields(title="Headline about Kharkiv")})
    assert "kharkiv" not in index.vocabulary
    assert "attacks" in index.vocabulary


def test_the_article_store_lists_what_the_index_reads(tmp_path):
    store = SqliteArticleStore(tmp_path / "a.sqlite3")
    store.put(Article("a", "Text one.", title="Headline A", source="CNN"))
    store.put(Article("b", "Text two.", title="", source="", published_at="Feb 5"))
    store.put(Article("c", "Text three.", published_at="2025-02-05T10:00:00+00:00"))
    store.put(Article("d", "Text four.", published_at="2014-07-13"))
    assert store.index_fields() == {
        "a": ArticleFields(title="Headline A", source="CNN"),
        "b": ArticleFields(),  # no year at the start of the date: none is guessed
        "c": ArticleFields(year="2025", day=(2, 5)),
        "d": ArticleFields(year="2014", day=(7, 13)),
    }
    store.close()


def test_publication_years_join_the_vocabulary_and_the_dated_text():
    index = LexicalIndex(chunks(), {"a": ArticleFields(year="2014")})
    assert "2014" in index.vocabulary  # a question naming 2014 is not about an absent year
    assert "2015" not in index.vocabulary
    lede, _, other = chunks()
    assert index.dated(lede) == f"{LEDE}\n2014"
    assert index.dated(other) == OTHER
    # BM25 is unchanged by dates: the year is not a word of the text.
    assert index.search("Zelensky 2014", 3) == LexicalIndex(chunks()).search("Zelensky 2014", 3)


def test_sources_join_the_vocabulary_and_are_found_as_written():
    fields = {"a": ArticleFields(source="CNN"), "b": ArticleFields(source="Time")}
    index = LexicalIndex(chunks(), fields)
    assert "cnn" in index.vocabulary  # "according to CNN" names nothing absent
    assert index.sources.articles_named_in("What did Putin say, according to CNN?") == {"a"}
    assert index.sources.articles_named_in("CNN’s report") == {"a"}
    # A source called by a common word is named only as written, capital and all.
    assert index.sources.articles_named_in("At what time did Zelensky speak?") == set()
    assert index.sources.articles_named_in("Time magazine's interview") == {"b"}
    # BM25 is unchanged by sources: a source is metadata, not a word of the text.
    assert index.search("Zelensky CNN", 3) == LexicalIndex(chunks()).search("Zelensky CNN", 3)


def test_an_article_is_dated_by_the_days_its_text_names_and_its_publication_day():
    said = "Zelensky said on Tuesday (Feb 4) that he would talk to Putin."
    more = "Other participants would need to be involved, he added."
    parts = [
        Chunk("a:0", "a", said, 0, len(said)),
        Chunk("a:1", "a", more, len(said) + 1, len(said) + 1 + len(more)),
        Chunk("b:0", "b", more, 0, len(more)),
        Chunk("c:0", "c", more, 0, len(more)),
    ]
    index = LexicalIndex(parts, {"b": ArticleFields(day=(2, 4)), "c": ArticleFields(day=(2, 5))})
    # Every chunk of the article gains, not only the one that names the day.
    assert index.articles_dated("Who else did he want at the talks on February 4th?") == {
        "a": 1.0,
        "b": 1.0,
    }
    assert index.articles_dated("What did he say on Feb 4 and on Feb 5?") == {
        "a": 0.5,
        "b": 0.5,
        "c": 0.5,
    }
    assert index.articles_dated("What did he say in February 2025?") == {}
    # A publication day's month names no absent word ("on July 13" of a story dated so).
    assert {"february", "feb", "4"} <= index.vocabulary
    assert "march" not in index.vocabulary
    fields = {"a": ArticleFields(year="2025", day=(2, 4)), "b": ArticleFields(year="2014")}
    dated = LexicalIndex(parts, fields)
    assert dated.published_words("a") == "2025 february feb 4"
    assert dated.published_words("b") == "2014"
    assert dated.published_words("c") is None
