from hypothesis import given, settings
from hypothesis import strategies as st

from index.chunking import chunk_article, embedded_text
from index.cleaning import clean_text
from rag.sentences import split_sentences
from rag.types import Article


def words(text: str) -> int:
    return len(text.split()) + 2


ARTICLE = Article(
    id="a1",
    text=(
        "Zelensky spoke on Friday. He said Russia lost 400,000 soldiers this year.\n\n"
        "Trump gave other numbers. He said 700,000 Ukrainians died. Nobody confirmed it.\n\n"
        "The talks continue."
    ),
)


def test_chunks_are_exact_spans_with_article_metadata():
    chunks = chunk_article(ARTICLE, words, max_tokens=14, overlap_sentences=1)
    assert len(chunks) > 1
    for c in chunks:
        assert c.article_id == "a1"
        assert ARTICLE.text[c.start : c.end] == c.text
        assert words(c.text) <= 14 + 2 * len(split_sentences(c.text))


def test_consecutive_chunks_overlap_by_one_sentence():
    chunks = chunk_article(ARTICLE, words, max_tokens=24, overlap_sentences=1)
    assert len(chunks) > 1
    for a, b in zip(chunks, chunks[1:], strict=False):
        last_sentence_start = split_sentences(a.text, offset=a.start)[-1][0]
        assert b.start == last_sentence_start


def test_chunk_boundaries_are_sentence_boundaries():
    spans = split_sentences(ARTICLE.text)
    starts, ends = {s for s, _ in spans}, {e for _, e in spans}
    for c in chunk_article(ARTICLE, words, max_tokens=10, overlap_sentences=0):
        assert c.start in starts and c.end in ends


sentence = st.from_regex(r"[A-Z][a-z]{1,8}( [a-z]{1,8}){0,12}[.!?]", fullmatch=True)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.lists(sentence, min_size=1, max_size=5).map(" ".join), min_size=1, max_size=6),
    st.integers(4, 40),
    st.integers(0, 2),
)
def test_chunks_cover_every_sentence_and_slice_back(paragraphs, max_tokens, overlap):
    article = Article(id="p", text="\n\n".join(paragraphs))
    chunks = chunk_article(article, words, max_tokens=max_tokens, overlap_sentences=overlap)
    for c in chunks:
        assert article.text[c.start : c.end] == c.text
    for s, e in split_sentences(article.text):
        assert any(c.start <= s and e <= c.end for c in chunks)
    assert [c.start for c in chunks] == sorted(c.start for c in chunks)


def test_cleaning_drops_boilerplate_lines_and_keeps_quotes():
    raw = (
        "Latest News\r\n\r\nHe said “yes”.\u00a0\n\nAdvertisment\n\n"
        "Also read: Other story\n\n\n\nEnd."
    )
    assert clean_text(raw) == "He said “yes”.\n\nEnd."


def test_a_first_chunk_is_embedded_without_its_headline_and_keeps_it_in_its_text():
    title = "Zelensky says Russia lost 400,000 soldiers"
    article = Article(id="h", text=f"{title}\n\n{ARTICLE.text}", title=title)
    chunks = chunk_article(article, words, max_tokens=30)
    first, later = chunks[0], chunks[1:]
    assert first.text.startswith(title) and first.text == article.text[first.start : first.end]
    assert embedded_text(first, title) == first.text[len(title) :].lstrip()
    assert later and all(embedded_text(c, title) == c.text for c in later)
    # Without a headline, or with one the chunk does not open with, the text is embedded.
    assert embedded_text(first, None) == first.text
    assert embedded_text(first, "Another headline") == first.text
