import pytest

from eval.gold import GoldQuestion
from eval.runner import run_eval
from tests.eval.conftest import FakeQAClient, chunk, citation, response

REQUIRED_KEYS = {
    "n", "answer_accuracy", "answer_f1", "citation_verbatim_rate", "citation_precision",
    "citation_recall", "refusal_rate", "false_refusal_rate", "hit@1", "hit@3", "hit@5",
    "mrr@10", "latency_p50_ms", "latency_p95_ms", "degraded_rate",
}  # fmt: skip


def _run(client, questions, **kwargs):
    return run_eval(client, questions, progress=False, clock=client.clock, **kwargs)


def test_report_values_computed_by_hand(fake_client, gold_questions):
    results, report = _run(fake_client, gold_questions, top_k=4, gold_file="g.jsonl")
    overall = report["overall"]
    assert set(overall) >= REQUIRED_KEYS
    expected = {
        "n": 5,
        "n_answerable": 3,
        "n_unanswerable": 2,
        "answer_accuracy": 2 / 5,  # q1 right, q3 refused correctly
        "answer_f1": (1 / 3 + 1.0) / 5,  # q1: 1 of 5 tokens; q3: refusal counts 1.0
        "cited_accuracy": 1 / 3,  # q1: right, and citing its gold article a1
        "citation_verbatim_rate": 3 / 4,  # q2's first citation has shifted offsets
        "citation_precision": 2 / 3,  # q1 1/1, q2 1/2 (micro); q4 is unanswerable
        "citation_recall": 2 / 3,  # q1, q2 cite gold; q5 refused without citations
        "refusal_rate": 1 / 2,  # q3 refused, q4 answered
        "false_refusal_rate": 1 / 3,  # q5
        "hit@1": 1 / 3,  # ranks: q1 2 (quote span overlap), q2 1, q5 none
        "hit@3": 2 / 3,
        "hit@5": 2 / 3,
        "mrr@10": (1 / 2 + 1) / 3,
        "latency_p50_ms": 300.0,
        "latency_p95_ms": 480.0,
        "degraded_rate": 1 / 5,
        "error_rate": 0.0,
    }
    assert overall == pytest.approx(expected)
    fact, null = report["by_type"]["fact"], report["by_type"]["null"]
    assert fact["n"] == 3 and fact["answer_accuracy"] == pytest.approx(1 / 3)
    assert fact["refusal_rate"] is None
    assert null["answer_accuracy"] == 0.5 and null["refusal_rate"] == 0.5
    for key in ("false_refusal_rate", "hit@1", "mrr@10", "citation_precision", "citation_recall"):
        assert null[key] is None
    meta = report["meta"]
    assert meta["gold_file"] == "g.jsonl" and meta["n"] == 5 and meta["top_k"] == 4
    assert meta["model"] == "fake-1" and meta["url"] == "in-process" and meta["date"]
    assert {q for q, _ in fake_client.asked} == {q.question for q in gold_questions}
    assert {k for _, k in fake_client.asked} == {4}


def test_per_question_verdicts(fake_client, gold_questions):
    results, _ = _run(fake_client, gold_questions)
    by_id = {r["id"]: r for r in results}
    q1, q2, q3, q4, q5 = (by_id[f"q{i}"] for i in range(1, 6))
    assert q1["correct"] and q1["hit_rank"] == 2 and q1["retrieval_source"] == "search"
    assert q1["retrieved_article_ids"] == ["a2", "a1"] and len(q1["retrieved_chunk_ids"]) == 2
    assert q1["latency_ms"] == pytest.approx(100.0) and q1["expected"] == ["$18.1 billion"]
    assert not q2["correct"] and q2["f1"] == 0.0 and q2["degraded"]
    assert [c["verbatim"] for c in q2["citations"]] == [False, True]
    assert [c["gold"] for c in q2["citations"]] == [True, False]
    assert q2["citation_precision"] == 0.5 and q2["citation_recall"] is True
    assert q3["correct"] and q3["refused"] and q3["f1"] == 1.0
    assert not q4["correct"] and q4["refused"] is False and q4["citation_precision"] is None
    assert q5["refused"] and q5["hit_rank"] is None and q5["retrieval_evaluated"]
    assert not q3["retrieval_evaluated"]


def test_falls_back_to_retrieved_from_ask_then_to_null(fake_client, gold_questions):
    fake_client.searches = None
    q2 = gold_questions[1].question
    fake_client.answers[q2] = {
        **fake_client.answers[q2],
        "retrieved": [{"chunk_id": "c9", "article_id": "a3", "text": "seat 40,000 fans",
                       "start": 0, "end": 16, "score": 0.5}],
    }  # fmt: skip
    results, report = _run(fake_client, gold_questions)
    assert report["overall"]["hit@1"] == 1.0  # only q2 has a retrieved list
    assert [r["retrieval_source"] for r in results] == [None, "ask", None, None, None]
    fake_client.answers[q2].pop("retrieved")
    _, report = _run(fake_client, gold_questions)
    assert report["overall"]["hit@1"] is None and report["overall"]["mrr@10"] is None


def test_a_failing_question_is_recorded_not_raised(fake_client, gold_questions):
    q1 = gold_questions[0].question
    fake_client.answers[q1] = RuntimeError("upstream down")
    results, report = _run(fake_client, gold_questions)
    assert results[0]["error"] == "RuntimeError: upstream down"
    assert not results[0]["correct"] and results[0]["refused"] is None
    overall = report["overall"]
    assert overall["error_rate"] == pytest.approx(1 / 5)
    assert overall["false_refusal_rate"] == pytest.approx(1 / 2)  # q2, q5 remain
    assert overall["latency_p50_ms"] == pytest.approx(350.0)  # errors excluded
    assert results[0]["hit_rank"] == 2  # search still scored


def test_empty_question_list_gives_null_metrics(fake_client):
    results, report = _run(fake_client, [])
    assert results == [] and report["overall"]["n"] == 0
    assert report["overall"]["answer_accuracy"] is None and report["by_type"] == {}


def test_a_follow_up_is_asked_with_its_history_and_searched_as_rewritten():
    first = "How much revenue did the chipmaker report?"
    follow_up = GoldQuestion(
        id="f1",
        question="And the rival's forecast?",
        answers=("$18.1 billion",),
        articles=("a2",),
        type="follow-up",
        history=(("user", first),),
    )
    rewritten = "How much revenue did the chipmaker report? And the rival's forecast?"
    answer = response("$18.1 billion", citations=[citation(1, "a2", "expected $18.1 billion")])
    client = FakeQAClient(
        answers={follow_up.question: {**answer, "query": rewritten}},
        searches={rewritten: [chunk("a2", "expected $18.1 billion")]},
    )
    results, report = _run(client, [follow_up])
    assert client.histories == {follow_up.question: [{"role": "user", "content": first}]}
    assert client.searched == [rewritten]  # not the elliptical question itself
    assert results[0]["hit_rank"] == 1 and results[0]["correct"]
    assert results[0]["history"] == follow_up.messages() and results[0]["query"] == rewritten
