"""A store that cannot be opened, or whose two halves lost each other, fails loudly at start
with a `ConfigError` naming it, instead of serving an empty corpus in silence."""

from __future__ import annotations

import shutil

import pytest

from rag.assembly import check_stores_agree, seed_if_empty, start_runtime
from rag.errors import ConfigError
from rag.settings import Settings
from tests.conftest import HashingEmbedder


@pytest.fixture(scope="module")
def seeded_dir(tmp_path_factory, seeds_dir):
    """A data dir with the seeds ingested (hashing embedder, real Chroma and SQLite)."""
    data = tmp_path_factory.mktemp("stores") / "data"
    settings = Settings(data_dir=data, seed_dir=seeds_dir, answer_mode="extractive")
    rt = start_runtime(settings, HashingEmbedder())
    assert seed_if_empty(rt.newsdesk, settings) == 5
    rt.close()
    return data


def _start(data_dir, hashing_embedder):
    settings = Settings(data_dir=data_dir, seed_dir=None, answer_mode="extractive")
    rt = start_runtime(settings, hashing_embedder)
    rt.close()


def _copy(seeded_dir, tmp_path):
    target = tmp_path / "data"
    shutil.copytree(seeded_dir, target)
    return target


def test_an_intact_store_opens(seeded_dir, tmp_path, hashing_embedder):
    _start(_copy(seeded_dir, tmp_path), hashing_embedder)


def test_a_corrupt_article_database_is_a_config_error(seeded_dir, tmp_path, hashing_embedder):
    data = _copy(seeded_dir, tmp_path)
    (data / "articles.sqlite3").write_bytes(b"not a database " * 500)
    with pytest.raises(ConfigError, match="cannot open the article store .*articles.sqlite3"):
        _start(data, hashing_embedder)


def test_a_corrupt_chunk_index_is_a_config_error(seeded_dir, tmp_path, hashing_embedder):
    data = _copy(seeded_dir, tmp_path)
    (data / "chroma" / "chroma.sqlite3").write_bytes(b"not a database " * 500)
    with pytest.raises(ConfigError, match="cannot open the chunk index"):
        _start(data, hashing_embedder)


def test_a_deleted_chunk_index_is_not_an_empty_corpus(seeded_dir, tmp_path, hashing_embedder):
    data = _copy(seeded_dir, tmp_path)
    shutil.rmtree(data / "chroma")
    with pytest.raises(ConfigError, match="holds 5 articles but the chunk index .* is empty"):
        _start(data, hashing_embedder)


def test_a_missing_article_database_is_not_a_fresh_start(seeded_dir, tmp_path, hashing_embedder):
    data = _copy(seeded_dir, tmp_path)
    for name in ("articles.sqlite3", "articles.sqlite3-wal", "articles.sqlite3-shm"):
        (data / name).unlink(missing_ok=True)
    with pytest.raises(ConfigError, match="article database is missing"):
        _start(data, hashing_embedder)


def test_a_data_dir_that_is_a_file_is_a_config_error(tmp_path, hashing_embedder):
    (tmp_path / "data").write_text("oops")
    with pytest.raises(ConfigError, match="cannot open the article store"):
        _start(tmp_path / "data", hashing_embedder)


def test_fresh_and_consistent_stores_pass_the_check():
    check_stores_agree(0, 0, catalogue_existed=False, where="x")
    check_stores_agree(5, 26, catalogue_existed=True, where="x")
    check_stores_agree(0, 3, catalogue_existed=True, where="x")  # a crashed first ingest
