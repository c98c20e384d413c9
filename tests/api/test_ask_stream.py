"""`POST /ask` with `"stream": true`: answer deltas, one citations event, then done."""

from __future__ import annotations

import json

import httpx
import pytest

pytestmark = pytest.mark.integration

QUESTION = "How many soldiers has Russia lost this year, according to Zelensky?"


@pytest.fixture(scope="module")
def http(live_url):
    with httpx.Client(base_url=live_url, timeout=120) as c:
        yield c


def stream_ask(http, question: str) -> list[tuple[str, dict]]:
    events = []
    with http.stream("POST", "/ask", json={"question": question, "stream": True}) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        event = None
        for line in r.iter_lines():
            if line.startswith("event: "):
                event = line.removeprefix("event: ")
            elif line.startswith("data: "):
                events.append((event, json.loads(line.removeprefix("data: "))))
    return events


def test_streamed_ask_sends_deltas_then_citations_then_done(http):
    events = stream_ask(http, QUESTION)
    kinds = [kind for kind, _ in events]
    assert kinds[-2:] == ["citations", "done"] and set(kinds[:-2]) == {"delta"}
    assert len(kinds) > 5
    answer = "".join(data["text"] for kind, data in events if kind == "delta")
    assert "400,000" in answer and "[1]" in answer
    citations = events[-2][1]["citations"]
    cite = next(c for c in citations if "400,000" in c["quote"])
    text = http.get(f"/articles/{cite['article_id']}").json()["text"]
    assert text[cite["start"] : cite["end"]] == cite["quote"]
    done = events[-1][1]
    assert done["answered"] is True and done["model"]
    timings = done["timings_ms"]
    assert set(timings) == {"retrieve", "generate", "first_token", "total"}
    assert 0 < timings["first_token"] <= timings["total"]


def test_streamed_decline_says_so_without_citations(http):
    events = stream_ask(http, "What is the capital of Australia?")
    assert "".join(d["text"] for k, d in events if k == "delta") == "The articles do not say."
    assert events[-2] == ("citations", {"citations": []})
    assert events[-1][1]["answered"] is False


def test_bad_streamed_request_is_still_a_json_422(http):
    r = http.post("/ask", json={"question": "", "stream": True})
    assert r.status_code == 422 and r.json()["field"] == "question"
