"""Idempotent, versioned ingestion into a real Chroma store with the real embedding model."""

import json
import random
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from index.article_store import SqliteArticleStore
from index.chroma_store import ChromaChunkIndex
from index.ingest import Ingestor
from index.loading import iter_sources
from index.records import PreparedArticle, RecordError
from index.visibility import CurrentChunks
from rag.types import Article
from tests.conftest import CountingEmbedder

pytestmark = pytest.mark.integration

MULTIHOP = Path(__file__).resolve().parents[1] / "eval" / "data" / "multihop_corpus.json"

WORDS = [
    "council",
    "budget",
    "river",
    "bridge",
    "harbour",
    "election",
    "senator",
    "minister",
    "court",
    "ruling",
    "drought",
    "harvest",
    "factory",
    "strike",
    "union",
    "airline",
    "airport",
    "railway",
    "tunnel",
    "museum",
    "festival",
    "vaccine",
    "hospital",
    "school",
    "teacher",
    "police",
    "border",
    "refugee",
    "treaty",
    "summit",
    "tariff",
    "export",
    "shipping",
    "storm",
    "flood",
    "wildfire",
    "earthquake",
    "satellite",
    "rocket",
    "reactor",
    "pipeline",
    "mine",
    "copper",
    "wheat",
    "coffee",
    "bank",
    "inflation",
    "currency",
    "bond",
    "market",
    "startup",
    "software",
    "chip",
    "battery",
    "solar",
    "wind",
]


def make_corpus(n: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)

    def sentence() -> str:
        words = rng.sample(WORDS, rng.randint(7, 12))
        return f"{words[0].capitalize()} {' '.join(words[1:])} in {rng.randint(1990, 2030)}."

    return [
        {
            "id": f"gen-{i:04d}",
            "title": f"Story {i}",
            "source": rng.choice(["Wire A", "Wire B", "Daily C"]),
            "published_at": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "body": "\n\n".join(" ".join(sentence() for _ in range(2)) for _ in range(2)),
        }
        for i in range(n)
    ]


def stores(tmp_path, embedder, **kw):
    articles = SqliteArticleStore(tmp_path / "articles.sqlite3")
    chunks = ChromaChunkIndex(tmp_path / "chroma", "chunks", embedder.name, embedder.dimension)
    return Ingestor(embedder, articles, chunks, **kw), articles, chunks


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def test_a_thousand_articles_ingest_once_and_only_changes_are_embedded(tmp_path, real_embedder):
    embedder = CountingEmbedder(real_embedder)
    ingestor, articles, chunks = stores(tmp_path / "data", embedder)
    corpus = make_corpus(1000)
    path = write_jsonl(tmp_path / "corpus.jsonl", corpus)

    first = ingestor.ingest(iter_sources([path]))
    assert (first.added, first.skipped, first.duplicates) == (1000, 0, 0)
    assert first.embedded == first.chunks == chunks.count() == len(embedder.texts) >= 1000
    print(f"\n1000 articles: {first.describe()}")

    embedder.texts.clear()
    second = ingestor.ingest(iter_sources([path]))
    assert (second.unchanged, second.added, second.updated) == (1000, 0, 0)
    assert embedder.texts == [] and second.chunks == 0
    print(f"re-run: {second.describe()}")

    changed = {5: "A new first paragraph about the harbour strike.", 500: "Late update.", 999: ""}
    for i, extra in changed.items():
        corpus[i]["body"] = (
            (extra + "\n\n" + corpus[i]["body"]) if extra else corpus[i]["body"][:200]
        )
    third = ingestor.ingest(iter_sources([write_jsonl(path, corpus)]))
    assert (third.updated, third.unchanged, third.added) == (3, 997, 0)
    new_texts = [articles.get(f"gen-{i:04d}").text for i in changed]
    assert embedder.texts and all(any(t in new for new in new_texts) for t in embedder.texts)
    assert third.embedded == len(embedder.texts) <= third.chunks
    assert articles.count() == 1000
    assert chunks.count() == sum(r.chunks for r in articles.records())


def test_readers_see_the_old_version_until_the_switch_and_then_only_the_new_one(
    tmp_path, real_embedder
):
    seen: list[set[str]] = []

    class ObservedStore(SqliteArticleStore):
        def save(self, rows):
            seen.append(visible_versions())
            super().save(rows)
            seen.append(visible_versions())

    articles = ObservedStore(tmp_path / "articles.sqlite3")
    index = ChromaChunkIndex(
        tmp_path / "chroma", "observed", real_embedder.name, real_embedder.dimension
    )
    view = CurrentChunks(index, articles.current_versions)

    def visible_versions():
        return {c.content_hash for c in view.all_chunks() if c.article_id == "x"}

    ingestor = Ingestor(real_embedder, articles, index)
    ingestor.ingest([Article("x", "The first version says the bridge is open. " * 8)])
    old = articles.record("x").content_hash
    seen.clear()
    ingestor.ingest([Article("x", "The second version says the bridge is closed. " * 8)])
    new = articles.record("x").content_hash
    assert seen == [{old}, {new}]
    assert {c.content_hash for c in index.all_chunks()} == {new}  # old chunks deleted after


def test_metadata_only_changes_reuse_every_embedding(tmp_path, real_embedder):
    embedder = CountingEmbedder(real_embedder)
    ingestor, articles, chunks = stores(tmp_path, embedder)
    article = Article("m", "The harbour reopened on Monday. Ships queued for days. " * 5)
    ingestor.ingest([article])
    embedder.texts.clear()
    summary = ingestor.ingest([replace(article, title="Harbour reopens", source="Port Daily")])
    assert summary.updated == 1 and summary.embedded == 0 and embedder.texts == []
    assert {c.content_hash for c in chunks.all_chunks()} == {articles.record("m").content_hash}


def test_a_headline_stated_on_update_re_embeds_only_the_first_chunk_without_it(
    tmp_path, real_embedder
):
    """The text already opens with the headline, so no chunk text changes, but the first
    chunk's vector must now be computed without the headline (`embedded_text`)."""
    embedder = CountingEmbedder(real_embedder)
    ingestor, articles, chunks = stores(tmp_path, embedder)
    body = "The harbour reopened on Monday after the storm. Ships queued for days. " * 12
    article = Article("h", "Harbour reopens\n\n" + body)
    ingestor.ingest([article])
    assert articles.record("h").chunks > 1
    embedder.texts.clear()

    summary = ingestor.ingest([replace(article, title="Harbour reopens")])

    assert summary.updated == 1 and summary.embedded == 1
    first = embedder.texts[0]
    assert embedder.texts == [first] and not first.startswith("Harbour reopens")
    assert body.startswith(first)
    stored = chunks.vectors("h", articles.record("h").content_hash)
    first_chunk = next(text for text in stored if text.startswith("Harbour reopens"))
    fresh = real_embedder.embed([first])[0]
    assert float(stored[first_chunk] @ fresh) > 0.9999


def test_near_duplicates_are_stored_but_not_indexed_until_their_original_goes(
    tmp_path, real_embedder
):
    ingestor, articles, chunks = stores(tmp_path, real_embedder)
    story = " ".join(make_corpus(1, seed=3)[0]["body"].split())
    summary = ingestor.ingest(
        [Article("wire", story), Article("copy", "By Metro staff. " + story, source="Metro")]
    )
    assert summary.added == 2 and summary.duplicates == 1
    assert articles.get("copy").duplicate_of == "wire" and articles.record("copy").chunks == 0
    visible = CurrentChunks(chunks, articles.current_versions).all_chunks()
    assert {c.article_id for c in visible} == {"wire"}

    assert ingestor.delete("wire")
    assert articles.get("copy").duplicate_of is None and articles.record("copy").chunks > 0
    assert {c.article_id for c in chunks.all_chunks()} == {"copy"}


def test_a_duplicate_whose_original_changes_into_another_story_is_indexed(tmp_path, real_embedder):
    ingestor, articles, chunks = stores(tmp_path, real_embedder)
    first, second = (" ".join(r["body"].split()) for r in make_corpus(2, seed=4))
    ingestor.ingest([Article("a", first), Article("b", first)])
    assert articles.get("b").duplicate_of == "a"
    summary = ingestor.ingest([Article("a", second)])
    assert summary.updated == 1 and summary.reindexed == 1
    assert articles.get("b").duplicate_of is None
    assert {c.article_id for c in chunks.all_chunks()} == {"a", "b"}


def test_deleting_removes_row_and_chunks_and_unknown_ids_are_reported(tmp_path, real_embedder):
    ingestor, articles, chunks = stores(tmp_path, real_embedder)
    ingestor.ingest([Article("d", "Delete me. " * 10), Article("k", "Keep me. " * 10)])
    assert ingestor.delete("d") and not ingestor.delete("d")
    assert articles.get("d") is None and {c.article_id for c in chunks.all_chunks()} == {"k"}


def test_bad_records_are_counted_and_the_rest_ingest(tmp_path, real_embedder):
    ingestor, articles, _ = stores(tmp_path, real_embedder)
    seen = []
    summary = ingestor.ingest(
        [RecordError("f.jsonl:2", "invalid JSON"), Article("ok", "Fine text.")], seen.append
    )
    assert (summary.skipped, summary.added) == (1, 1)
    assert summary.errors == ["f.jsonl:2: invalid JSON"] and len(seen) == 2


def test_an_interrupted_run_is_finished_by_the_next_one(tmp_path, real_embedder):
    corpus = [Article(f"r{i}", f"Report {i} on the dam. " * 12) for i in range(6)]
    updated = [replace(a, text=a.text + " Updated.") for a in corpus]

    class Crash(Exception):
        pass

    class CrashingStore(SqliteArticleStore):
        saves = 0

        def save(self, rows):
            CrashingStore.saves += 1
            if CrashingStore.saves == 2:  # dies between writing chunks and switching rows
                raise Crash

    data = tmp_path / "crashed"
    crashed_rows = CrashingStore(data / "articles.sqlite3")
    index = ChromaChunkIndex(data / "chroma", "chunks", real_embedder.name, real_embedder.dimension)
    with pytest.raises(Crash):
        Ingestor(real_embedder, crashed_rows, index, batch_chunks=1).ingest(corpus)
    crashed_rows.close()
    assert SqliteArticleStore(data / "articles.sqlite3").pending()  # journal left behind

    ingestor, articles, chunks = stores(data, real_embedder)
    ingestor.ingest(updated)
    clean, clean_articles, clean_chunks = stores(tmp_path / "clean", real_embedder)
    clean.ingest(updated)
    assert articles.pending() == []
    assert snapshot(articles, chunks) == snapshot(clean_articles, clean_chunks)


def snapshot(articles, chunks):
    rows = [(r.article, r.content_hash, r.chunks) for r in articles.records()]
    return rows, [(c.id, c.text, c.start, c.end) for c in chunks.all_chunks()]


def test_an_old_store_file_is_migrated_in_place(tmp_path):
    db = sqlite3.connect(tmp_path / "articles.sqlite3")
    db.execute(
        "CREATE TABLE articles (id TEXT PRIMARY KEY, text TEXT NOT NULL,"
        " title TEXT, source TEXT, url TEXT, published_at TEXT)"
    )
    db.execute("INSERT INTO articles VALUES ('old', 'Old text.', 'T', 'S', NULL, NULL)")
    db.commit()
    db.close()
    store = SqliteArticleStore(tmp_path / "articles.sqlite3")
    assert store.get("old") == Article("old", "Old text.", "T", "S")
    assert store.record("old").content_hash is None and store.current_versions() == {"old": None}


def test_a_record_prepared_elsewhere_is_ingested_as_given(tmp_path, real_embedder):
    ingestor, articles, _ = stores(tmp_path, real_embedder)
    raw = "Advertisement\n\nThe clean text."
    ingestor.ingest([PreparedArticle(Article("p", "The clean text."), raw)])
    assert articles.record("p").raw_text == raw and articles.get("p").text == "The clean text."


def test_every_input_format_ingests_and_a_bad_line_is_reported(tmp_path, real_embedder):
    folder = tmp_path / "in"
    (folder / "texts").mkdir(parents=True)
    for i in range(3):
        (folder / "texts" / f"t{i}.txt").write_text(f"Text article {i} about the river port.")
    (folder / "page.html").write_text(
        "<html><head><title>Port reopens</title></head><body><article>"
        "<p>The port reopened on Monday after the storm, the authority said.</p>"
        "</article></body></html>"
    )
    (folder / "one.json").write_text(json.dumps({"id": "j1", "body": "A JSON article."}))
    (folder / "corpus.json").write_text(MULTIHOP.read_text())
    (folder / "lines.jsonl").write_text(
        '{"id": "l1", "body": "First line article."}\n{"id": "l2", "body": \n'
        '{"id": "l3", "body": "Third line article."}\n'
    )
    ingestor, articles, _ = stores(tmp_path / "data", real_embedder)
    summary = ingestor.ingest(iter_sources([folder]))
    assert summary.errors == [
        f"{folder / 'lines.jsonl'}:2: record: invalid JSON: Expecting value (column 1)"
    ]
    multihop = len(json.loads(MULTIHOP.read_text()))
    assert summary.added == 3 + 1 + 1 + multihop + 2 == articles.count()
    assert articles.get("page").title == "Port reopens"
