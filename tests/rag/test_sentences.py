from hypothesis import given, settings
from hypothesis import strategies as st

from rag.sentences import split_sentences


def test_sentences_are_exact_spans_and_respect_lines():
    text = "First one. Second one!\n\nA new paragraph? Yes.\n"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "First one.",
        "Second one!",
        "A new paragraph?",
        "Yes.",
    ]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab .!?\n\"'"), max_size=120))
def test_spans_are_ordered_disjoint_trimmed_and_cover_all_words(text):
    spans = split_sentences(text)
    for (_s1, e1), (s2, _) in zip(spans, spans[1:], strict=False):
        assert e1 <= s2
    for s, e in spans:
        assert text[s:e] == text[s:e].strip() and s < e
        assert "\n" not in text[s:e]
    covered = "".join(text[s:e] for s, e in spans)
    assert sum(ch.isalpha() for ch in covered) == sum(ch.isalpha() for ch in text)
