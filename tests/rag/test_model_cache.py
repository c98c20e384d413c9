"""Derived model files live in one per-user cache that every data dir shares."""

from pathlib import Path

from rag.settings import Settings


def test_the_model_cache_is_per_user_not_per_data_dir(monkeypatch, tmp_path):
    monkeypatch.delenv("RAG_MODEL_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    first, second = Settings(data_dir=tmp_path / "a"), Settings(data_dir=tmp_path / "b")
    assert first.model_cache_path == second.model_cache_path == tmp_path / "xdg" / "newsdesk"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert Settings().model_cache_path == Path.home() / ".cache" / "newsdesk"


def test_rag_model_cache_dir_overrides_it(monkeypatch, tmp_path):
    monkeypatch.setenv("RAG_MODEL_CACHE_DIR", str(tmp_path / "models"))
    assert Settings(data_dir=tmp_path / "a").model_cache_path == tmp_path / "models"
