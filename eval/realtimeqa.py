"""Read the RealTime QA news-quiz set (questions.jsonl, unanswerable.jsonl) into GoldQuestions.

A line is ``{"id", "question", "date", "answers", "articles"}``; an empty ``answers`` list marks
a question no article answers. The quiz date is kept out of the question's words: it is asked
as a reader would ask it ("Which former pope was laid to rest this week?"), on the quiz's day
(`as_of`, "2023/01/05" read as 2023-01-05), as a reader asks on the day they read the quiz."""

import json
from datetime import date
from pathlib import Path

from eval.gold import GoldFormatError, GoldQuestion

QUESTION_FILES = ("questions.jsonl", "unanswerable.jsonl")
TYPE = "realtimeqa"


def load_realtimeqa(path: Path) -> list[GoldQuestion]:
    """Questions from one RealTime QA file, or from both files of a set's folder."""
    files = [path / name for name in QUESTION_FILES] if path.is_dir() else [path]
    questions: list[GoldQuestion] = []
    for file in files:
        if file.is_file():
            questions.extend(_read(file))
    if not questions:
        expected = " or ".join(QUESTION_FILES)
        raise GoldFormatError(str(path), 0, f"no questions (expected {expected})")
    return questions


def _read(file: Path) -> list[GoldQuestion]:
    out: list[GoldQuestion] = []
    with file.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise GoldFormatError(str(file), number, f"invalid JSON ({exc.msg})") from None
            for name in ("id", "question", "answers", "articles"):
                if name not in obj:
                    raise GoldFormatError(str(file), number, "missing", name)
            out.append(
                GoldQuestion(
                    id=str(obj["id"]),
                    question=str(obj["question"]),
                    answers=tuple(str(a) for a in obj["answers"]),
                    articles=tuple(str(a) for a in obj["articles"]),
                    type=TYPE if obj["answers"] else f"{TYPE}_unanswerable",
                    as_of=_iso_day(obj.get("date")),
                )
            )
    return out


def _iso_day(value: object) -> str | None:
    """The quiz's day as ISO ("2023/01/05" -> "2023-01-05"); None when absent or not a day."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip().replace("/", "-")).isoformat()
    except ValueError:
        return None
