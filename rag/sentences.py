"""Sentence spans with character offsets, via pysbd; lines are hard boundaries."""

from __future__ import annotations

from functools import lru_cache

import pysbd


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Return `(start, end)` spans of the sentences in `text`, shifted by `offset`.

    Spans are trimmed of surrounding whitespace, never cross a line break and never
    overlap; `text[start:end]` is the sentence exactly.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            for piece in _segmenter().segment(line):
                start, end = _trim(line, piece.start, piece.end)
                if start < end:
                    spans.append((offset + pos + start, offset + pos + end))
        pos += len(line) + 1
    return _monotonic(spans)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _monotonic(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Guard against a segmenter that returns overlapping spans."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and start < out[-1][1]:
            start = out[-1][1]
        if start < end:
            out.append((start, end))
    return out
