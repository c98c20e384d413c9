"""SSE formatting for `/ask` and OpenAI chunks: pure functions over a finished Answer."""

from __future__ import annotations

import json
import time

from hypothesis import given
from hypothesis import strategies as st

from api.chat import completion_chunks
from api.schemas import CitationOut
from api.streaming import ask_events, sse_event, word_deltas
from rag.types import Answer, Article, Citation

ARTICLE = Article("a1", "Alpha said 400,000 soldiers were lost.", source="Wire")


def answered() -> Answer:
    quote = ARTICLE.text
    citation = Citation(1, ARTICLE, quote, 0, len(quote))
    timings = {"retrieve": 1.0, "generate": 2.0, "total": 3.0}
    return Answer("Alpha said 400,000. [1]", True, [citation], "m", False, timings)


def parse(stream: str) -> list[tuple[str | None, str]]:
    """(event, data) pairs of an SSE text."""
    events = []
    for block in stream.split("\n\n"):
        if not block:
            continue
        fields = dict(line.split(": ", 1) for line in block.split("\n"))
        events.append((fields.get("event"), fields["data"]))
    return events


@given(st.text())
def test_word_deltas_join_back_to_the_text(text):
    assert "".join(word_deltas(text)) == text


def test_word_deltas_are_words_with_their_leading_space():
    assert word_deltas("He said  400,000. [1]") == ["He", " said", "  400,000.", " [1]"]


def test_sse_event_is_one_json_data_line():
    assert sse_event({"text": "a\nb"}, "delta") == 'event: delta\ndata: {"text":"a\\nb"}\n\n'
    assert sse_event({"x": "é"}) == 'data: {"x":"é"}\n\n'


def test_ask_events_are_deltas_then_citations_then_done():
    events = parse("".join(ask_events(answered(), time.perf_counter())))
    kinds = [e for e, _ in events]
    assert kinds == ["delta"] * (len(kinds) - 2) + ["citations", "done"]
    text = "".join(json.loads(d)["text"] for e, d in events if e == "delta")
    assert text == "Alpha said 400,000. [1]"
    citations = json.loads(events[-2][1])["citations"]
    assert citations == [CitationOut.of(answered().citations[0]).model_dump()]
    done = json.loads(events[-1][1])
    assert done["answered"] is True and done["model"] == "m" and done["degraded"] is False
    timings = done["timings_ms"]
    assert set(timings) == {"retrieve", "generate", "first_token", "total"}
    assert 0 <= timings["first_token"] <= timings["total"]


def test_a_declined_answer_streams_its_text_and_no_citations():
    declined = Answer("The articles do not say.", False, [], "m", False, {})
    events = parse("".join(ask_events(declined, time.perf_counter())))
    assert json.loads(events[-2][1]) == {"citations": []}
    assert json.loads(events[-1][1])["answered"] is False


def test_completion_chunks_follow_openai_and_end_with_citations_then_done():
    citations = [CitationOut.of(c) for c in answered().citations]
    raw = "".join(completion_chunks("chatcmpl-1", 7, "Alpha said 400,000. [1]", citations))
    assert raw.endswith("data: [DONE]\n\n")
    chunks = [json.loads(d) for _, d in parse(raw)[:-1]]
    assert {c["object"] for c in chunks} == {"chat.completion.chunk"}
    assert {(c["id"], c["created"], c["model"]) for c in chunks} == {("chatcmpl-1", 7, "newsdesk")}
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert text == "Alpha said 400,000. [1]"
    assert all("citations" not in c for c in chunks[:-1])
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    assert chunks[-1]["citations"] == [c.model_dump() for c in citations]
