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
            for piece_start, piece_end in _pysbd_spans(line):
                start, end = _trim(line, piece_start, piece_end)
                if start < end:
                    spans.append((offset + pos + start, offset + pos + end))
        pos += len(line) + 1
    return _monotonic(spans)


def _pysbd_spans(line: str) -> list[tuple[int, int]]:
    """The spans `pysbd.Segmenter(char_span=True).segment(line)` gives, found in linear time.

    pysbd locates each sentence with a regex built from it (`escape(sentence)\\s*`, the
    first match ending after the previous span), which compiles a pattern per sentence,
    evicts its own rule patterns from `re`'s cache and rescans the line from its start
    for every sentence. The same rule with `str.find` gives the same spans.
    """
    segmenter = _segmenter()
    spans: list[tuple[int, int]] = []
    prior_end = 0
    for sentence in segmenter.processor(line).process():
        pos = 0
        while (start := line.find(sentence, pos)) >= 0:
            end = start + len(sentence)
            while end < len(line) and line[end].isspace():  # `\s*` is str.isspace
                end += 1
            if end > prior_end:
                spans.append((start, end))
                prior_end = end
                break
            pos = end if end > start else start + 1  # finditer steps past an empty match
    return spans


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
