from rag.errors import UpstreamError
from rag.rewriting import QueryRewriter, keeps_question, names_added, needs_context, rule_rewrite

HISTORY = [
    {
        "role": "user",
        "content": "How many soldiers has Russia lost this year, according to Zelensky?",
    },
    {"role": "assistant", "content": "400,000 [1]"},
]


class ScriptedChat:
    """Deterministic ChatModel: returns queued outputs, or raises a queued error."""

    name = "scripted"

    def __init__(self, *outputs):
        self.outputs = list(outputs)
        self.calls = 0

    def complete_json(self, messages, schema, max_tokens):
        self.calls += 1
        out = self.outputs.pop(0)
        if isinstance(out, Exception):
            raise out
        return out, 10


def test_follow_ups_borrow_the_previous_question():
    assert needs_context("And Ukraine's?")
    assert needs_context("What did he say about it?")
    assert not needs_context("Which TV network interviewed Zelensky about Russian losses?")
    rewritten = rule_rewrite("And Ukraine's?", HISTORY)
    assert "soldiers" in rewritten and "Ukraine's" in rewritten


def test_standalone_questions_are_left_alone():
    q = "Which TV network interviewed Zelensky about Russian losses?"
    assert rule_rewrite(q, HISTORY) == q
    assert QueryRewriter(ScriptedChat()).rewrite(q, HISTORY).query == q


def test_llm_rewrite_is_used_when_it_keeps_the_question():
    chat = ScriptedChat({"query": "How many soldiers has Ukraine lost, according to Zelensky?"})
    out = QueryRewriter(chat).rewrite("And Ukraine's?", HISTORY).query
    assert out == "How many soldiers has Ukraine lost, according to Zelensky?"


def test_llm_rewrite_that_drops_the_topic_or_fails_falls_back_to_rules():
    fallback = rule_rewrite("And Ukraine's?", HISTORY)
    dropped = ScriptedChat({"query": "How many soldiers has Russia lost?"})
    assert QueryRewriter(dropped).rewrite("And Ukraine's?", HISTORY).query == fallback
    broken = ScriptedChat(UpstreamError("timeout"))
    assert QueryRewriter(broken).rewrite("And Ukraine's?", HISTORY).query == fallback
    garbage = ScriptedChat({"query": 7})
    assert QueryRewriter(garbage).rewrite("And Ukraine's?", HISTORY).query == fallback


def test_keeps_question_tolerates_spelling_variants():
    assert keeps_question("And Zelenskyy's view?", "What is Zelensky's view of Putin?")
    assert not keeps_question("And Zelenskyy's view?", "")


def test_a_follow_up_adds_the_names_the_previous_question_lacks():
    history = [{"role": "user", "content": "How many soldiers has Russia lost, per Zelensky?"}]
    assert names_added("And how many did Ukraine lose?", history) == {"ukraine"}
    assert names_added("What about Zelenskyy himself?", history) == set()  # a spelling of his
    assert names_added("And how many were wounded?", history) == set()
    assert names_added("And Ukraine?", []) == set()


def test_a_rewrite_keeps_the_users_words_and_what_the_follow_up_adds():
    history = [{"role": "user", "content": "How many soldiers has Russia lost, per Zelensky?"}]
    follow_up = QueryRewriter().rewrite("And how many did Ukraine lose?", history)
    assert follow_up.is_follow_up
    assert follow_up.asked == "And how many did Ukraine lose?"
    assert follow_up.query.startswith("How many soldiers has Russia lost")
    assert follow_up.added == {"ukraine"}
    standalone = "Which TV network interviewed Zelensky about Russian losses?"
    for turns in (history, []):
        kept = QueryRewriter().rewrite(standalone, turns)
        assert (kept.query, kept.asked, kept.added) == (standalone, standalone, frozenset())
        assert not kept.is_follow_up


def test_a_model_is_asked_the_users_question_beside_the_earlier_one_the_rules_joined():
    previous = HISTORY[0]["content"]
    by_rules = QueryRewriter().rewrite("And how many each month?", HISTORY)
    assert by_rules.query == f"{previous} And how many each month?"  # retrieval: both
    assert by_rules.earlier == previous and by_rules.for_model == "And how many each month?"
    standalone = "How many soldiers has Ukraine lost, according to Zelensky?"
    by_llm = QueryRewriter(ScriptedChat({"query": standalone})).rewrite("And Ukraine's?", HISTORY)
    assert by_llm.earlier == "" and by_llm.for_model == standalone
    alone = QueryRewriter().rewrite("Which TV network interviewed Zelensky?", HISTORY)
    assert alone.earlier == "" and alone.for_model == alone.query == alone.asked
