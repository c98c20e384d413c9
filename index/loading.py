"""Read article records from files, folders and stdin into `SourceArticle`s.

Formats: `.txt`/`.md` (one article, id = file name), `.html`/`.htm` (main text extracted),
`.json` (one record or a list), `.jsonl` (one record a line), and `-` for JSONL on stdin.
A text or HTML file's metadata comes from a `NAME.meta.json` sidecar or a `manifest.jsonl`
in its folder (the sidecar wins); what neither states is extracted from the text later.

Bad records are yielded as `RecordError`s ("file:line: message") so a run can report them
and go on with the rest.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from index.metadata import normalize_date
from index.records import (
    ID_PATTERN,
    META_FIELDS,
    RecordError,
    SourceArticle,
    parse_record,
    prepare_article,
    record_error,
    slug_id,
)
from rag.errors import BadInput
from rag.types import Article

TEXT_SUFFIXES = {".txt", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
RECORD_SUFFIXES = {".json", ".jsonl"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | RECORD_SUFFIXES
SIDECAR_SUFFIX = ".meta.json"
MANIFEST = "manifest.jsonl"
STDIN = "-"

Loaded = SourceArticle | RecordError


class SidecarFields(BaseModel):
    """Metadata for a text or HTML file, from its sidecar or its folder's manifest."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True, str_strip_whitespace=True)

    file: str | None = None
    id: str | None = Field(None, pattern=ID_PATTERN)
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published_at: str | None = None
    author: str | None = None

    @field_validator("published_at")
    @classmethod
    def _iso_date(cls, value: str | None) -> str | None:
        return normalize_date(value) if value else None


def check_paths(paths: Iterable[str | Path]) -> list[str | Path]:
    """The paths, or `BadInput` for the first that does not exist (before any work starts)."""
    checked = list(paths)
    for path in checked:
        if str(path) != STDIN and not Path(path).exists():
            raise BadInput(f"no such file or directory: {path}", field="path")
    return checked


def iter_article_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Article files named directly, or found recursively under folders, in name order.

    Sidecars, manifests and hidden files are not articles and are skipped in folders.
    """
    for path in map(Path, check_paths(p for p in paths if str(p) != STDIN)):
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if _is_article_file(p, path))
        else:
            yield path


def _is_article_file(path: Path, root: Path) -> bool:
    relative = path.relative_to(root)
    return (
        path.is_file()
        and path.suffix.lower() in SUFFIXES
        and not path.name.endswith(SIDECAR_SUFFIX)
        and path.name != MANIFEST
        and not any(part.startswith(".") for part in relative.parts)
    )


def iter_sources(paths: Iterable[str | Path], stdin: TextIO | None = None) -> Iterator[Loaded]:
    """Every record under `paths`, in order; `-` reads JSONL from `stdin`."""
    paths = check_paths(paths)
    manifests: dict[Path, dict[str, SidecarFields]] = {}
    for path in paths:
        if str(path) == STDIN:
            yield from _jsonl_lines(stdin or sys.stdin, "<stdin>")
            continue
        for file in iter_article_files([path]):
            yield from _read_file(file, manifests)


def load_article(path: Path) -> Article:
    """One text or HTML file as a clean `Article` (with sidecar and extracted metadata)."""
    loaded = list(_read_file(path, {}))
    for item in loaded:
        if isinstance(item, RecordError):
            raise BadInput(str(item), field="path")
    return prepare_article(loaded[-1]).article


def _read_file(path: Path, manifests: dict[Path, dict[str, SidecarFields]]) -> Iterator[Loaded]:
    suffix = path.suffix.lower()
    try:
        if suffix == ".jsonl":
            with path.open(encoding="utf-8") as lines:
                yield from _jsonl_lines(lines, str(path))
        elif suffix == ".json":
            yield from _json_records(path)
        else:
            yield from _document(path, suffix in HTML_SUFFIXES, manifests)
    except UnicodeDecodeError as exc:
        yield RecordError(str(path), f"not UTF-8 text ({exc.reason} at byte {exc.start})")
    except OSError as exc:
        yield RecordError(str(path), f"cannot read: {exc.strerror or exc}")


def _jsonl_lines(lines: Iterable[str], name: str) -> Iterator[Loaded]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield RecordError(where, f"record: invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        yield from _record(data, where)


def _json_records(path: Path) -> Iterator[Loaded]:
    try:
        for line, data in _json_values(path.read_text(encoding="utf-8")):
            yield from _record(data, f"{path}:{line}")
    except json.JSONDecodeError as exc:
        yield RecordError(
            f"{path}:{exc.lineno}", f"record: invalid JSON: {exc.msg} (column {exc.colno})"
        )


def _record(data: Any, where: str) -> Iterator[Loaded]:
    try:
        yield parse_record(data, where)
    except RecordError as exc:
        yield exc


def _json_values(text: str) -> Iterator[tuple[int, Any]]:
    """The top-level object, or each element of a top-level array, with its line number.

    Elements before a syntax error are still yielded; the error then raises
    `JSONDecodeError` with the line it is on.
    """
    decoder = json.JSONDecoder()
    pos = _skip_space(text, 0)
    if not text.startswith("[", pos):
        value, end = decoder.raw_decode(text, pos)
        if _skip_space(text, end) != len(text):
            raise json.JSONDecodeError("extra data after the JSON value", text, end)
        yield _line_of(text, pos), value
        return
    pos = _skip_space(text, pos + 1)
    if text.startswith("]", pos):
        return
    while True:
        value, end = decoder.raw_decode(text, pos)
        yield _line_of(text, pos), value
        pos = _skip_space(text, end)
        if text.startswith(",", pos):
            pos = _skip_space(text, pos + 1)
        elif text.startswith("]", pos):
            if _skip_space(text, pos + 1) != len(text):
                raise json.JSONDecodeError("extra data after the JSON array", text, pos + 1)
            return
        else:
            raise json.JSONDecodeError("expected ',' or ']' between array elements", text, pos)


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n\ufeff":
        pos += 1
    return pos


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _document(
    path: Path, is_html: bool, manifests: dict[Path, dict[str, SidecarFields]]
) -> Iterator[Loaded]:
    folder = path.parent
    if folder not in manifests:
        entries: dict[str, SidecarFields] = {}
        yield from _read_manifest(folder / MANIFEST, entries)
        manifests[folder] = entries
    stated: dict[str, str | None] = {}
    article_id = slug_id(path.stem)
    listed = manifests[folder].get(path.name) or manifests[folder].get(path.stem)
    sidecar_path = path.with_name(path.stem + SIDECAR_SUFFIX)
    layers = [listed]
    if sidecar_path.is_file():
        try:
            layers.append(_sidecar(sidecar_path))
        except RecordError as exc:
            yield exc
            return
    for layer in layers:
        if layer is None:
            continue
        article_id = layer.id or article_id
        stated |= {k: v for k, v in layer.model_dump(include=set(META_FIELDS)).items() if v}
    yield SourceArticle(
        id=article_id,
        raw=path.read_text(encoding="utf-8"),
        meta=stated,
        format="html" if is_html else "text",
        where=str(path),
    )


def _sidecar(path: Path) -> SidecarFields:
    try:
        return SidecarFields.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except json.JSONDecodeError as exc:
        raise RecordError(f"{path}:{exc.lineno}", f"record: invalid JSON: {exc.msg}") from None
    except ValidationError as exc:
        raise record_error(exc, str(path)) from None


def _read_manifest(path: Path, entries: dict[str, SidecarFields]) -> Iterator[RecordError]:
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                entry = SidecarFields.model_validate(json.loads(line))
            except json.JSONDecodeError as exc:
                yield RecordError(where, f"record: invalid JSON: {exc.msg} (column {exc.colno})")
                continue
            except ValidationError as exc:
                yield record_error(exc, where)
                continue
            key = entry.file or entry.id
            if not key:
                yield RecordError(where, "a manifest entry needs a 'file' or an 'id'")
                continue
            entries[key] = entry
