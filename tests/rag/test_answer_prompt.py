"""The answer prompt (`build_messages`): numbered evidence, then the question; a follow-up's
earlier question stands apart before it, so the model answers the question asked."""

from rag.prompting import SYSTEM_PROMPT, build_messages
from rag.types import ScoredSentence, Sentence


def _evidence(*texts: str) -> list[ScoredSentence]:
    return [ScoredSentence(Sentence("a1", text, 0, len(text)), 0.9, 0.8, 0.5, 0) for text in texts]


EVIDENCE = _evidence("Russia loses 31,000 soldiers each month.", "It lost 400,000 this year.")


def test_the_evidence_is_numbered_and_the_question_follows():
    messages = build_messages("How many each month?", EVIDENCE)
    assert messages[0] == {"role": "system", "content": SYSTEM_PROMPT}
    user = messages[-1]["content"]
    assert "[1] Russia loses 31,000" in user and "[2] It lost 400,000" in user
    assert user.endswith("\n\nQuestion: How many each month?\nAnswer as JSON.")


def test_a_follow_ups_earlier_question_is_context_not_the_question():
    earlier = "How many soldiers has Russia lost this year?"
    user = build_messages("And how many each month?", EVIDENCE, earlier)[-1]["content"]
    assert user.endswith(
        f"Earlier question (context only): {earlier}\n"
        "Question: And how many each month?\nAnswer as JSON."
    )
