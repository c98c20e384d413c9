"""`split_sentences` must give exactly the spans of pysbd's own char_span segmentation."""

from pathlib import Path

import pysbd
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.corpus import articles
from rag.sentences import split_sentences

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
_REFERENCE = pysbd.Segmenter(language="en", clean=False, char_span=True)


def reference_spans(text: str) -> list[tuple[int, int]]:
    """pysbd's `segment(char_span=True)` spans, line by line, trimmed, overlaps clipped."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            for piece in _REFERENCE.segment(line):
                start, end = piece.start, piece.end
                while start < end and line[start].isspace():
                    start += 1
                while end > start and line[end - 1].isspace():
                    end -= 1
                if spans and pos + start < spans[-1][1]:  # pysbd spans may overlap: clip
                    start = spans[-1][1] - pos
                if start < end:
                    spans.append((pos + start, pos + end))
        pos += len(line) + 1
    return spans


def test_same_spans_as_pysbd_on_seeds_and_bench_corpus():
    texts = [p.read_text() for p in sorted(SEEDS.glob("*.txt"))]
    texts += [a.text for a in articles(120)]
    assert len(texts) > 100
    for text in texts:
        assert split_sentences(text) == reference_spans(text)


PIECES = (
    "Mr.", "Dr.", "U.S.", "No.", "St.", "a.m.", "Inc.", "e.g.", "1.5", "3.", "Jan.", "he",
    "said", "The", '"Yes."', "(see 2.)", "...", "?!", "Wow!", "it's", "A.", "1)", "  ", "\n",
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map(" ".join))
def test_same_spans_as_pysbd_on_abbreviations_and_repeats(text):
    assert split_sentences(text) == reference_spans(text)
    assert split_sentences(text, offset=7) == [(s + 7, e + 7) for s, e in reference_spans(text)]
