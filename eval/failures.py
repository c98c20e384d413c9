"""Pick the questions a report lists as failures, with what was expected and what came back."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Failure:
    """One wrong question as the reports show it."""

    id: str
    type: str
    question: str
    reason: str
    expected: str
    got: str
    quotes: tuple[str, ...]


def _reason(result: Mapping[str, Any]) -> str:
    if result.get("error"):
        return "error"
    if not result["answerable"]:
        return "answered an unanswerable question"
    if not result["answered"]:
        return "refused an answerable question"
    return "wrong answer"


def collect_failures(results: Sequence[Mapping[str, Any]]) -> list[Failure]:
    """Every result whose answer verdict is not correct, in run order."""
    return [
        Failure(
            id=str(r["id"]),
            type=str(r["type"]),
            question=str(r["question"]),
            reason=_reason(r),
            expected=" | ".join(r["expected"]) or "(unanswerable: should refuse)",
            got=str(r.get("error") or r["answer"] or "(empty)"),
            quotes=tuple(str(c.get("quote", "")) for c in r.get("citations", [])),
        )
        for r in results
        if not r["correct"]
    ]
