"""A judging model's second look at its own grounded answer (`Answerer._second_look`): the
share of "yes" it gives decides, a failure or a server without log-probabilities leaves the
decision to the term check, and the request never fails. Real MiniLM and Chroma; a scripted
OpenAI-compatible server plays the model."""

from __future__ import annotations

import json
import math
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from rag.answering import NOT_FOUND_ANSWER
from rag.assembly import seed_if_empty, start_runtime
from rag.llm import yes_share

pytestmark = pytest.mark.integration

QUESTION = "How many soldiers has Russia lost this year, according to Zelensky?"


def _completion(content: str, logprobs: list[tuple[str, float]] | None) -> dict:
    choice: dict = {
        "index": 0,
        "finish_reason": "stop",
        "message": {"role": "assistant", "content": content},
    }
    if logprobs is not None:
        choice["logprobs"] = {
            "content": [
                {
                    "token": logprobs[0][0],
                    "logprob": logprobs[0][1],
                    "bytes": None,
                    "top_logprobs": [
                        {"token": t, "logprob": lp, "bytes": None} for t, lp in logprobs
                    ],
                }
            ]
        }
    usage = {"prompt_tokens": 20, "completion_tokens": 1, "total_tokens": 21}
    return {
        "id": "x",
        "object": "chat.completion",
        "created": 0,
        "model": "m",
        "choices": [choice],
        "usage": usage,
    }


def scripted_server(check: str, seen: list[dict]):
    """Answers "400,000" to the question; the second look (a request asking for
    log-probabilities) gets `check`: a yes share ("0.9"), "none" (no log-probabilities) or
    "500"."""

    class Scripted(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["content-length"])))
            seen.append(body)
            status = 200
            if not body.get("logprobs"):
                reply = _completion(json.dumps({"answer": "400,000"}), None)
            elif check == "500":
                status, reply = 500, {"error": {"message": "boom"}}
            elif check == "none":
                reply = _completion("yes", None)
            else:
                yes = float(check)
                reply = _completion("yes", [("yes", math.log(yes)), ("no", math.log(1 - yes))])
            data = json.dumps(reply).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Scripted)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


@pytest.fixture
def ask(tmp_path, make_settings, real_embedder):
    servers = []

    def _ask(check: str, seen: list[dict], question: str = QUESTION):
        httpd = scripted_server(check, seen)
        servers.append(httpd)
        url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
        settings = make_settings(tmp_path, openai_base_url=url, llm_max_retries=0)
        rt = start_runtime(settings, embedder=real_embedder)
        try:
            seed_if_empty(rt.newsdesk, settings)
            return rt.newsdesk.ask(question, 5)
        finally:
            rt.close()

    yield _ask
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


def test_a_confirmed_answer_is_returned_and_the_check_sees_only_its_quotes(ask):
    seen: list[dict] = []
    answer = ask("0.9", seen)
    assert answer.answered and not answer.degraded and "400,000" in answer.answer
    check = [body for body in seen if body.get("logprobs")]
    assert len(check) == 1 and check[0]["max_tokens"] == 1
    prompt = check[0]["messages"][-1]["content"]
    assert QUESTION in prompt and "Proposed answer: 400,000" in prompt
    for citation in answer.citations:
        assert citation.quote in prompt  # the cited sentences, with their headline
        assert citation.article.title in prompt


def test_an_answer_the_model_does_not_confirm_is_declined(ask):
    answer = ask("0.2", [])
    assert not answer.answered and answer.answer == NOT_FOUND_ANSWER
    assert not answer.citations


@pytest.mark.parametrize("check", ["none", "500"])
def test_without_a_second_look_the_term_check_decides_and_the_request_stands(ask, check):
    seen: list[dict] = []
    answer = ask(check, seen)
    assert any(body.get("logprobs") for body in seen)  # it was asked
    assert answer.answered and "400,000" in answer.answer and answer.citations


def test_yes_share_reads_every_spelling_of_yes_and_no():
    lp = math.log
    assert yes_share([("Yes", lp(0.6)), (" yes", lp(0.2)), ("No", lp(0.2))]) == pytest.approx(0.8)
    assert yes_share([("no", lp(0.9)), ("maybe", lp(0.1))]) == pytest.approx(0.0)
    assert yes_share([("Maybe", lp(0.9))]) is None


class ScriptedJudge:
    """A judge beside a model that cannot judge: a fixed yes share, or a failure; it records
    what it was shown."""

    name = "judge"

    def __init__(self, yes: float | None = None, fail: bool = False):
        self.yes, self.fail = yes, fail
        self.shown: list[str] = []

    def complete_json(self, messages, schema, max_tokens):
        raise AssertionError("a judge only says yes or no")

    def yes_probability(self, messages):
        from rag.errors import UpstreamError

        self.shown.append(messages[-1]["content"])
        if self.fail:
            raise UpstreamError("judge down", retryable=True)
        return self.yes


def _judged_answerer(newsdesk, embedder, judge, scope="all", gates=True):
    from rag.answering import Answerer, AnswerPolicy

    chat = newsdesk.answerer._chat  # the embedded SmolLM2 of the seeded runtime
    policy = AnswerPolicy(llm_typed_only=True, judge_scope=scope, rule_gates=gates)
    return Answerer(newsdesk.retriever, embedder, newsdesk.articles.get, chat, policy, judge=judge)


@pytest.mark.parametrize("yes", [0.9, 0.2])
def test_a_judge_beside_a_model_that_cannot_judge_confirms_or_declines(
    seeded_runtime, real_embedder, yes
):
    judge = ScriptedJudge(yes)
    answerer = _judged_answerer(seeded_runtime.newsdesk, real_embedder, judge)
    unjudged = _judged_answerer(seeded_runtime.newsdesk, real_embedder, None).answer(QUESTION, 5)
    answer = answerer.answer(QUESTION, 5)
    assert unjudged.answered and "400,000" in unjudged.answer
    assert len(judge.shown) == 1
    shown = judge.shown[0]
    assert QUESTION in shown and "[1]" not in shown.split("Quoted text:")[1]
    assert all(shown.count(c.quote) == 1 for c in unjudged.citations)  # extractive: once
    if yes >= 0.5:
        assert answer.answer == unjudged.answer and answer.citations
    else:
        assert not answer.answered and answer.answer == NOT_FOUND_ANSWER and not answer.citations


def test_a_judge_in_doubt_only_sees_answers_whose_articles_lack_the_question(
    seeded_runtime, real_embedder
):
    # "Poutine" stands in no seeds article: that answer is in doubt; the 400,000 answer's
    # article holds every term of its question, so it stands without a second look.
    judge = ScriptedJudge(0.2)
    answerer = _judged_answerer(seeded_runtime.newsdesk, real_embedder, judge, scope="doubt")
    doubted = (
        "How does Zelenskiy regard Vladimir Poutine, according to the interview published on "
        "YouTube?"
    )
    unjudged = _judged_answerer(seeded_runtime.newsdesk, real_embedder, None).answer(doubted, 5)
    assert unjudged.answered

    held = answerer.answer(QUESTION, 5)
    assert held.answered and "400,000" in held.answer and judge.shown == []
    declined = answerer.answer(doubted, 5)
    assert len(judge.shown) == 1 and "Poutine" in judge.shown[0]
    assert not declined.answered and declined.answer == NOT_FOUND_ANSWER


def test_a_failing_judge_leaves_the_answer_standing(seeded_runtime, real_embedder):
    judge = ScriptedJudge(fail=True)
    answer = _judged_answerer(seeded_runtime.newsdesk, real_embedder, judge).answer(QUESTION, 5)
    assert judge.shown and answer.answered and "400,000" in answer.answer


def test_no_answer_no_judge_call(seeded_runtime, real_embedder):
    # Evidence under even the judged floor (0.30) is declined without a second look.
    judge = ScriptedJudge(0.9)
    answerer = _judged_answerer(seeded_runtime.newsdesk, real_embedder, judge)
    answer = answerer.answer("What is the weather forecast for Kyiv this weekend?", 5)
    assert not answer.answered and judge.shown == []


BELOW_FLOOR = (
    "How many combatants did Pyongyang dispatch to help the Kremlin during the previous year?"
)


@pytest.mark.parametrize(("yes", "fail"), [(0.9, False), (0.6, False), (None, True)])
def test_the_judge_may_answer_what_the_support_floor_declined(
    seeded_runtime, real_embedder, yes, fail
):
    # "Pyongyang" and "Kremlin" are matched in other words ("North Korea", "Moscow") and
    # "dispatch" is peripheral, but "combatants", what is counted, is absent: the evidence's
    # support falls between the judged floor and the floor; only a sure yes (0.75) answers
    # it, and no second look declines.
    unjudged = _judged_answerer(seeded_runtime.newsdesk, real_embedder, None)
    assert not unjudged.answer(BELOW_FLOOR, 5).answered
    judge = ScriptedJudge(yes, fail=fail)
    answer = _judged_answerer(seeded_runtime.newsdesk, real_embedder, judge).answer(BELOW_FLOOR, 5)
    assert len(judge.shown) == 1 and BELOW_FLOOR in judge.shown[0]
    if yes is not None and yes >= 0.75:
        assert answer.answered and "10,000" in answer.answer and not answer.degraded
        get = seeded_runtime.newsdesk.articles.get
        assert all(get(c.article.id).text[c.start : c.end] == c.quote for c in answer.citations)
    else:
        assert not answer.answered and answer.answer == NOT_FOUND_ANSWER


def test_what_the_judge_reads_under_the_floor_meets_the_rule_gates_first(
    seeded_runtime, real_embedder
):
    # The same evidence as above, for a count of tanks no seeds article gives: the rule gates
    # (what a how-many question counts) decline it before the judge is asked, as they would
    # above the floor; without them the judge would be asked, and would answer it.
    question = BELOW_FLOOR.replace("combatants", "tanks")
    newsdesk = seeded_runtime.newsdesk
    ungated = ScriptedJudge(0.99)
    assert (
        _judged_answerer(newsdesk, real_embedder, ungated, gates=False).answer(question, 5).answered
    )
    assert len(ungated.shown) == 1
    gated = ScriptedJudge(0.99)
    answer = _judged_answerer(newsdesk, real_embedder, gated).answer(question, 5)
    assert not answer.answered and answer.answer == NOT_FOUND_ANSWER and gated.shown == []


def test_a_middling_yes_stands_where_the_cited_article_holds_the_question(ask):
    # 0.6: under the bar for an article lacking the question's terms, over the plain one.
    answer = ask("0.6", [])
    assert answer.answered and "400,000" in answer.answer
