"""Deterministic fakes for the eval harness: a QAClient answering from dicts, and a clock."""

from dataclasses import dataclass, field
from typing import Any

import pytest

from eval.gold import GoldQuestion

ARTICLES = {
    "a1": "The chipmaker said revenue rose to $18.1 billion in its third quarter.",
    "a2": "A rival chip firm cut its forecast; analysts had expected $18.1 billion.",
    "a3": "The city council voted on Monday to approve a stadium that will seat 40,000 fans.",
}


@dataclass
class FakeClock:
    """Seconds that only move when the fake client says a call took time."""

    now: float = 0.0

    def __call__(self) -> float:
        return self.now


@dataclass
class FakeQAClient:
    """Answers, search results and latencies looked up by question text."""

    answers: dict[str, dict[str, Any]]
    searches: dict[str, list[dict[str, Any]]] | None = None
    latency_s: dict[str, float] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=lambda: dict(ARTICLES))
    clock: FakeClock = field(default_factory=FakeClock)
    asked: list[tuple[str, int]] = field(default_factory=list)
    histories: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    searched: list[str] = field(default_factory=list)
    days: dict[str, str] = field(default_factory=dict)

    def ask(self, question: str, top_k: int, history=(), as_of=None) -> dict[str, Any]:
        self.asked.append((question, top_k))
        if as_of:
            self.days[question] = as_of
        if history:
            self.histories[question] = list(history)
        self.clock.now += self.latency_s.get(question, 0.0)
        answer = self.answers[question]
        if isinstance(answer, Exception):
            raise answer
        return answer

    def search(self, query: str, top_k: int, as_of=None) -> list[dict[str, Any]] | None:
        self.searched.append(query)
        if as_of:
            self.days[f"search:{query}"] = as_of
        if self.searches is None:
            return None
        return self.searches.get(query, [])[:top_k]

    def article_text(self, article_id: str) -> str | None:
        return self.texts.get(article_id)


def chunk(article_id: str, needle: str, chunk_id: str | None = None) -> dict[str, Any]:
    """A search result whose text is the span of ``needle`` in the fake article."""
    text = ARTICLES[article_id]
    start = text.index(needle)
    return {
        "chunk_id": chunk_id or f"{article_id}#{start}",
        "article_id": article_id,
        "text": needle,
        "start": start,
        "end": start + len(needle),
        "score": 1.0,
    }


def citation(n: int, article_id: str, quote: str, shift: int = 0) -> dict[str, Any]:
    """A citation of ``quote`` in the fake article; ``shift`` moves the offsets off the quote."""
    start = ARTICLES[article_id].index(quote) + shift
    return {
        "n": n,
        "article_id": article_id,
        "title": None,
        "source": None,
        "url": None,
        "published_at": None,
        "quote": quote,
        "start": start,
        "end": start + len(quote),
    }


def response(answer: str, answered: bool = True, citations=(), degraded: bool = False) -> dict:
    """An ``/ask`` response in the service's shape."""
    return {
        "answer": answer,
        "answered": answered,
        "citations": list(citations),
        "model": "fake-1",
        "degraded": degraded,
        "timings_ms": {"retrieve": 1.0, "generate": 2.0, "total": 3.0},
    }


QUESTIONS = [
    GoldQuestion(
        id="q1",
        question="How much revenue did the chipmaker report?",
        answers=("$18.1 billion",),
        articles=("a1",),
        type="fact",
        quotes=("revenue rose to $18.1 billion",),
    ),
    GoldQuestion(
        id="q2",
        question="How many fans will the stadium seat?",
        answers=("40,000",),
        articles=("a3",),
        type="fact",
    ),
    GoldQuestion(
        id="q3",
        question="When will the chipmaker open a Moon factory?",
        answers=(),
        articles=(),
        type="null",
    ),
    GoldQuestion(
        id="q4",
        question="Who designed the stadium roof?",
        answers=(),
        articles=(),
        type="null",
    ),
    GoldQuestion(
        id="q5",
        question="On which day did the council vote?",
        answers=("Monday",),
        articles=("a3",),
        type="fact",
    ),
]


def make_fake_client() -> FakeQAClient:
    """Five canned outcomes: right, wrong, refused, answered-unanswerable, false refusal."""
    q1, q2, q3, q4, q5 = (q.question for q in QUESTIONS)
    return FakeQAClient(
        answers={
            q1: response(
                "Revenue rose to 18.1 billion dollars.",
                citations=[citation(1, "a1", "revenue rose to $18.1 billion")],
            ),
            q2: response(
                "It will seat 400,000 fans.",
                citations=[
                    citation(1, "a3", "seat 40,000 fans", shift=1),
                    citation(2, "a2", "cut its forecast"),
                ],
                degraded=True,
            ),
            q3: response("I could not find this in the articles.", answered=False),
            q4: response(
                "The roof was designed in 2030.", citations=[citation(1, "a1", "third quarter")]
            ),
            q5: response("", answered=False),
        },
        searches={
            q1: [chunk("a2", "expected $18.1 billion"), chunk("a1", "revenue rose to $18.1")],
            q2: [chunk("a3", "seat 40,000 fans")],
            q5: [],
        },
        latency_s={q1: 0.1, q2: 0.3, q3: 0.2, q4: 0.4, q5: 0.5},
    )


@pytest.fixture
def fake_client() -> FakeQAClient:
    return make_fake_client()


@pytest.fixture
def gold_questions() -> list[GoldQuestion]:
    return list(QUESTIONS)
