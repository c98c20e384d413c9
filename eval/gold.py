"""Gold question sets: one JSON object per line, validated with errors naming line and field."""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REQUIRED_FIELDS = ("id", "question", "answers", "articles", "type")
OPTIONAL_FIELDS = ("quotes", "history")
ROLES = ("user", "assistant")


@dataclass(frozen=True)
class GoldQuestion:
    """One gold question; empty ``answers`` means the corpus cannot answer it."""

    id: str
    question: str
    answers: tuple[str, ...]
    articles: tuple[str, ...]
    type: str
    quotes: tuple[str, ...] = field(default=())
    # The conversation before a follow-up question: (role, content) turns, oldest first.
    history: tuple[tuple[str, str], ...] = field(default=())
    # The ISO day the question was asked on ("this week" is the week before it), when known.
    as_of: str | None = None

    @property
    def answerable(self) -> bool:
        """True when at least one accepted answer exists."""
        return bool(self.answers)

    def messages(self) -> list[dict[str, str]]:
        """The history as ``/ask`` takes it: ``[{"role", "content"}]``."""
        return [{"role": role, "content": content} for role, content in self.history]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON line shape (lists, not tuples); ``history`` only when there is one."""
        line: dict[str, Any] = {
            "id": self.id,
            "question": self.question,
            "answers": list(self.answers),
            "articles": list(self.articles),
            "quotes": list(self.quotes),
            "type": self.type,
        }
        if self.history:
            line["history"] = self.messages()
        return line


class GoldFormatError(ValueError):
    """A gold line that does not match the format; names the file, line and field."""

    def __init__(self, source: str, line: int, message: str, field_name: str | None = None):
        self.source = source
        self.line = line
        self.field = field_name
        where = f"{source}:{line}"
        what = f"field {field_name!r}: {message}" if field_name else message
        super().__init__(f"{where}: {what}")


def _string(obj: dict[str, Any], name: str, source: str, line: int) -> str:
    value = obj[name]
    if not isinstance(value, str) or not value.strip():
        raise GoldFormatError(source, line, "expected a non-empty string", name)
    return value


def _string_list(obj: dict[str, Any], name: str, source: str, line: int) -> tuple[str, ...]:
    value = obj.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise GoldFormatError(source, line, "expected a list of non-empty strings", name)
    return tuple(value)


def _history(obj: dict[str, Any], source: str, line: int) -> tuple[tuple[str, str], ...]:
    value = obj.get("history", [])
    turns = value if isinstance(value, list) else None
    if turns is None or not all(
        isinstance(t, dict)
        and set(t) == {"role", "content"}
        and t["role"] in ROLES
        and isinstance(t["content"], str)
        and t["content"].strip()
        for t in turns
    ):
        message = 'expected a list of {"role": "user"|"assistant", "content": non-empty string}'
        raise GoldFormatError(source, line, message, "history")
    return tuple((t["role"], t["content"]) for t in turns)


def parse_gold_line(text: str, line: int = 1, source: str = "<gold>") -> GoldQuestion:
    """Parse and validate one JSON line into a GoldQuestion."""
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GoldFormatError(source, line, f"invalid JSON ({exc.msg})") from None
    if not isinstance(obj, dict):
        raise GoldFormatError(source, line, "expected a JSON object")
    for name in REQUIRED_FIELDS:
        if name not in obj:
            raise GoldFormatError(source, line, "missing", name)
    unknown = sorted(set(obj) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS))
    if unknown:
        raise GoldFormatError(source, line, "unknown field", unknown[0])
    return GoldQuestion(
        id=_string(obj, "id", source, line),
        question=_string(obj, "question", source, line),
        answers=_string_list(obj, "answers", source, line),
        articles=_string_list(obj, "articles", source, line),
        type=_string(obj, "type", source, line),
        quotes=_string_list(obj, "quotes", source, line),
        history=_history(obj, source, line),
    )


def parse_gold_lines(lines: Iterable[str], source: str = "<gold>") -> Iterator[GoldQuestion]:
    """Parse gold lines, skipping blank ones and rejecting duplicate ids."""
    seen: dict[str, int] = {}
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        question = parse_gold_line(text, number, source)
        if question.id in seen:
            message = f"duplicate id {question.id!r} (first on line {seen[question.id]})"
            raise GoldFormatError(source, number, message, "id")
        seen[question.id] = number
        yield question


def load_gold(path: Path) -> list[GoldQuestion]:
    """Load and validate a gold JSONL file."""
    with path.open(encoding="utf-8") as handle:
        return list(parse_gold_lines(handle, source=str(path)))


def dump_gold(questions: Iterable[GoldQuestion], path: Path) -> None:
    """Write questions as gold JSONL (one object per line, UTF-8, unescaped)."""
    with path.open("w", encoding="utf-8") as handle:
        for question in questions:
            handle.write(json.dumps(question.to_dict(), ensure_ascii=False) + "\n")
