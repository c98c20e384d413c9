"""Reading records: every input format, sidecars and manifests, bad records with file:line."""

import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eval.ids import multihop_article_id
from index.loading import _json_values, iter_article_files, iter_sources, load_article
from index.records import RecordError, SourceArticle, prepare_article
from rag.errors import BadInput

MULTIHOP = Path(__file__).resolve().parents[1] / "eval" / "data" / "multihop_corpus.json"

PAGE = """<!doctype html><html><head>
<title>Council approves stadium | Metro Daily</title>
<meta name="author" content="Jane Doe">
<meta property="og:site_name" content="Metro Daily">
<meta property="article:published_time" content="2024-03-01T10:00:00Z">
<link rel="canonical" href="https://example.org/metro/stadium">
</head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a></nav>
<article><h1>Council approves stadium</h1>
<p>The council voted on Monday to approve the new stadium, officials said.</p>
<p>Advertisement</p>
<p>It will seat 40,000 fans and cost about 400 million dollars, the mayor said.</p>
</article>
<footer>Copyright 2024 Metro Daily. All rights reserved.</footer>
</body></html>"""


def prepared(paths, **kw):
    out = []
    for item in iter_sources(paths, **kw):
        try:
            out.append(item if isinstance(item, RecordError) else prepare_article(item))
        except RecordError as exc:
            out.append(exc)
    return out


def errors(items):
    return [str(i) for i in items if isinstance(i, RecordError)]


def articles(items):
    return {i.article.id: i.article for i in items if not isinstance(i, RecordError)}


def test_a_folder_of_text_files_is_read_recursively_without_sidecars_or_hidden_files(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.txt").write_text("First article.\n")
    (tmp_path / "sub" / "b.md").write_text("Second article.\n")
    (tmp_path / "sub" / "b.meta.json").write_text('{"title": "Bee"}')
    (tmp_path / ".git" / "c.txt").write_text("not an article")
    (tmp_path / "notes.csv").write_text("not an article")
    found = articles(prepared([tmp_path]))
    assert set(found) == {"a", "b"}
    assert found["b"].title == "Bee" and found["a"].text == "First article."


def test_file_names_that_are_not_valid_ids_are_slugged(tmp_path):
    (tmp_path / "My Story (final).txt").write_text("Text.")
    assert set(articles(prepared([tmp_path]))) == {"My-Story-final"}


def test_html_gives_the_main_text_and_the_page_metadata(tmp_path):
    (tmp_path / "page.html").write_text(PAGE)
    [item] = prepared([tmp_path])
    a = item.article
    assert a.id == "page" and "40,000 fans" in a.text
    assert "Home" not in a.text and "Advertisement" not in a.text and "Copyright" not in a.text
    assert (a.title, a.source, a.author) == ("Council approves stadium", "Metro Daily", "Jane Doe")
    assert a.published_at == "2024-03-01" and a.url == "https://example.org/metro/stadium"
    assert item.raw_text == PAGE  # the page itself is kept for audit


def test_an_html_page_without_article_text_is_a_bad_record(tmp_path):
    (tmp_path / "empty.html").write_text("<html><body><nav></nav></body></html>")
    assert errors(prepared([tmp_path])) == [
        f"{tmp_path / 'empty.html'}: no article text found in the HTML"
    ]


def test_json_holds_one_record_or_a_list(tmp_path):
    (tmp_path / "one.json").write_text(json.dumps({"id": "j1", "text": "Body one."}))
    (tmp_path / "many.json").write_text(
        json.dumps([{"id": "j2", "body": "Body two."}, {"id": 3, "body": "Body three."}], indent=1)
    )
    assert set(articles(prepared([tmp_path]))) == {"j1", "j2", "3"}


def test_a_multihop_rag_corpus_ingests_with_the_eval_ids_and_its_headlines_quotable():
    records = json.loads(MULTIHOP.read_text())
    found = articles(prepared([MULTIHOP]))
    assert list(found) == [multihop_article_id(r) for r in records]
    first = found[multihop_article_id(records[0])]
    assert (first.title, first.source, first.author) == (
        records[0]["title"],
        records[0]["source"],
        records[0]["author"],
    )
    assert first.published_at == records[0]["published_at"]
    # The body lacks its headline, so the headline becomes the text's first paragraph.
    assert first.text == f"{records[0]['title']}\n\n{records[0]['body']}"


def test_a_malformed_jsonl_line_is_reported_with_its_line_and_the_others_ingest(tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_text(
        '{"id": "l1", "body": "One."}\n'
        "\n"
        '{"id": "l3", "body": "Three."\n'
        '{"id": "l4", "title": "No body"}\n'
        '{"id": "l5", "body": "Five.", "published_at": "yesterday"}\n'
        '["not", "an", "object"]\n'
        '{"id": "l7", "body": "Seven."}\n'
    )
    items = prepared([path])
    assert set(articles(items)) == {"l1", "l7"}
    reported = errors(items)
    assert [e.split(": ")[0] for e in reported] == [f"{path}:{n}" for n in (3, 4, 5, 6)]
    assert "invalid JSON" in reported[0] and "'body' or 'text'" in reported[1]
    assert "published_at" in reported[2] and "expected a JSON object" in reported[3]


def test_a_bad_element_of_a_json_list_is_reported_with_its_line(tmp_path):
    path = tmp_path / "list.json"
    path.write_text('[\n  {"id": "ok", "body": "Fine."},\n  {"id": "bad id!", "body": "x"}\n]\n')
    items = prepared([path])
    assert set(articles(items)) == {"ok"}
    assert errors(items)[0].startswith(f"{path}:3: id:")


def test_a_truncated_json_file_keeps_the_records_before_the_error(tmp_path):
    path = tmp_path / "cut.json"
    path.write_text('[\n{"id": "a", "body": "A."},\n{"id": "b", "bo')
    items = prepared([path])
    assert set(articles(items)) == {"a"} and errors(items)[0].startswith(
        f"{path}:3: record: invalid JSON"
    )


def test_stdin_is_read_as_jsonl():
    stdin = io.StringIO('{"id": "s1", "body": "From a pipe."}\nnot json\n')
    items = prepared(["-"], stdin=stdin)
    assert set(articles(items)) == {"s1"} and errors(items)[0].startswith("<stdin>:2:")


def test_sidecar_beats_manifest_beats_what_the_text_says(tmp_path):
    (tmp_path / "x.txt").write_text(
        " date 2025-02-05 Officials said the bridge reopened, UNN reports.\n\nMore text."
    )
    (tmp_path / "y.txt").write_text(" date 2025-02-05 The dam held, UNN reports.")
    (tmp_path / "manifest.jsonl").write_text(
        '{"file": "x.txt", "source": "Manifest Wire", "title": "From the manifest"}\n'
        '{"id": "y", "published_at": "2025-02-06", "url": "https://example.org/y"}\n'
    )
    (tmp_path / "x.meta.json").write_text('{"title": "From the sidecar", "published_at": null}')
    found = articles(prepared([tmp_path]))
    x, y = found["x"], found["y"]
    assert (x.title, x.source, x.published_at) == (
        "From the sidecar",
        "Manifest Wire",
        "2025-02-05",
    )
    assert (y.source, y.published_at, y.url) == ("UNN", "2025-02-06", "https://example.org/y")


def test_bad_sidecars_and_manifest_lines_are_reported(tmp_path):
    (tmp_path / "a.txt").write_text("Text.")
    (tmp_path / "a.meta.json").write_text('{"published_at": "soon"}')
    (tmp_path / "b.txt").write_text("Text.")
    (tmp_path / "manifest.jsonl").write_text('{"file": "b.txt"}\n{broken\n')
    items = prepared([tmp_path])
    assert set(articles(items)) == {"b"}
    reported = errors(items)
    assert any(
        e.startswith(f"{tmp_path / 'manifest.jsonl'}:2: record: invalid JSON") for e in reported
    )
    assert any(e.startswith(f"{tmp_path / 'a.meta.json'}: published_at") for e in reported)


def test_non_utf8_files_are_bad_records(tmp_path):
    (tmp_path / "latin.txt").write_bytes("caf\xe9".encode("latin-1"))
    assert "not UTF-8" in errors(prepared([tmp_path]))[0]


def test_a_missing_path_fails_before_anything_is_read(tmp_path):
    with pytest.raises(BadInput, match="no such file"):
        list(iter_sources([tmp_path / "missing.jsonl"]))
    with pytest.raises(BadInput):
        list(iter_article_files([tmp_path / "missing"]))


def test_a_text_that_is_all_boilerplate_is_a_bad_record():
    source = SourceArticle(id="ad", raw="Advertisement\n\nLatest News", where="ads.txt")
    with pytest.raises(RecordError, match="ads.txt: no article text left"):
        prepare_article(source)


def test_load_article_reads_one_file_with_its_sidecar(seeds_dir):
    article = load_article(seeds_dir / "002_c788a5a7159858c4.txt")
    assert article.source == "CNN" and article.title.startswith("Zelensky wants to")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries({"id": st.from_regex(r"[a-z]{1,8}", fullmatch=True)}).map(
            lambda r: {**r, "body": "Text.\nMore."}
        ),
        min_size=1,
        max_size=6,
    ),
    st.sampled_from([None, 0, 1, 2]),
)
def test_json_list_elements_are_reported_at_the_line_they_start(records, indent):
    text = json.dumps(records, indent=indent)
    lines = [line for line, _ in _json_values(text)]
    if indent is None:  # all on one line
        starts = [1] * len(records)
    else:  # each element's "{" opens a line of its own at the indentation
        starts = [n for n, line in enumerate(text.split("\n"), 1) if line == " " * indent + "{"]
    assert lines == starts and [v for _, v in _json_values(text)] == records


def test_a_stated_headline_the_body_lacks_opens_the_text_once():
    body = "He said this in an interview with Fox News, Ukrinform reports."
    title = "Zelensky: I Do Not Trust Putin"
    source = SourceArticle(id="z", raw=body, meta={"title": title}, where="z.txt")
    article = prepare_article(source).article
    assert article.text == f"{title}\n\n{body}"
    assert article.text[: len(title)] == title == article.title
    # A body that already opens with it (or with a dateline, then it) is left as it is.
    for held in (f"{title}\n\n{body}", f"KYIV, Feb 5 (Reuters)\n\n{title}\n\n{body}"):
        again = SourceArticle(id="z", raw=held, meta={"title": title}, where="z.txt")
        assert prepare_article(again).article.text == held
    # Without a headline the text is the cleaned body.
    bare = SourceArticle(id="z", raw=body, where="z.txt")
    assert prepare_article(bare).article.text == body
