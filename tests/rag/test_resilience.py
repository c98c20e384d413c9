import random
import threading

import pytest

from rag.errors import Overloaded, UpstreamError
from rag.resilience import CircuitBreaker, GenerationGate, ResilientChatModel, backoff_delays


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class ScriptedChat:
    name = "scripted"

    def __init__(self, *outcomes):
        self.outcomes = list(outcomes)
        self.calls = 0

    def complete_json(self, messages, schema, max_tokens):
        self.calls += 1
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome, 5


def resilient(chat, retries=2, breaker=None):
    sleeps = []
    model = ResilientChatModel(
        chat, retries=retries, breaker=breaker, sleep=sleeps.append, rng=random.Random(0)
    )
    return model, sleeps


def test_retryable_failures_are_retried_with_bounded_backoff():
    chat = ScriptedChat(
        UpstreamError("429", retryable=True), UpstreamError("500", retryable=True), {"answer": "ok"}
    )
    model, sleeps = resilient(chat, retries=2)
    assert model.complete_json([], {}, 10) == ({"answer": "ok"}, 5)
    assert chat.calls == 3 and len(sleeps) == 2
    assert all(0 <= s <= 2.0 for s in sleeps)


def test_non_retryable_failure_is_not_retried():
    chat = ScriptedChat(UpstreamError("bad json"), {"answer": "never"})
    model, sleeps = resilient(chat)
    with pytest.raises(UpstreamError):
        model.complete_json([], {}, 10)
    assert chat.calls == 1 and sleeps == []


def test_retries_are_bounded():
    chat = ScriptedChat(*[UpstreamError("503", retryable=True)] * 5)
    model, _ = resilient(chat, retries=2)
    with pytest.raises(UpstreamError):
        model.complete_json([], {}, 10)
    assert chat.calls == 3


def test_malformed_output_does_not_open_the_circuit():
    breaker = CircuitBreaker(threshold=2, reset_s=30, clock=Clock())
    chat = ScriptedChat(*[UpstreamError("invalid JSON")] * 3)
    model, _ = resilient(chat, retries=0, breaker=breaker)
    for _ in range(3):
        with pytest.raises(UpstreamError, match="invalid JSON"):
            model.complete_json([], {}, 10)
    assert breaker.state == "closed" and chat.calls == 3


def test_circuit_opens_fails_fast_and_probes_after_reset():
    clock = Clock()
    breaker = CircuitBreaker(threshold=2, reset_s=30, clock=clock)
    chat = ScriptedChat(
        UpstreamError("x", retryable=True), UpstreamError("x", retryable=True), {"answer": "back"}
    )
    model, _ = resilient(chat, retries=0, breaker=breaker)
    for _ in range(2):
        with pytest.raises(UpstreamError):
            model.complete_json([], {}, 10)
    assert breaker.state == "open"
    with pytest.raises(UpstreamError, match="circuit open"):
        model.complete_json([], {}, 10)
    assert chat.calls == 2  # the open circuit did not call the model
    clock.now = 31
    assert breaker.state == "half-open"
    assert model.complete_json([], {}, 10)[0] == {"answer": "back"}
    assert breaker.state == "closed"


def test_backoff_grows_and_is_capped():
    delays = backoff_delays(6, base_s=0.1, cap_s=1.0, rng=random.Random(1))
    assert len(delays) == 6
    assert all(0 <= d <= min(1.0, 0.1 * 2**i) for i, d in enumerate(delays))


def test_gate_rejects_beyond_the_queue_limit():
    gate = GenerationGate(concurrency=1, queue=0, retry_after_s=3)
    inside, release = threading.Event(), threading.Event()

    def hold():
        with gate:
            inside.set()
            release.wait(5)

    worker = threading.Thread(target=hold)
    worker.start()
    inside.wait(5)
    with pytest.raises(Overloaded) as info, gate:
        pass
    assert info.value.retry_after_s == 3
    release.set()
    worker.join()
    with gate:  # free again
        pass
