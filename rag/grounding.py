"""What an answer rests on: the evidence sentences that hold its content, found by the system
whatever sentence the model named.

An answer's *anchors* are its numbers and names (words written with a capital or a digit);
its *terms* are all its content words. The cited sentences are chosen greedily: first the one
holding most of the answer, then, while an anchor is still missing, the one holding most of
what is missing. The answer is grounded only when every anchor stands in the cited sentences
and most of its terms do; otherwise nothing is cited and the answer is not returned."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rag.quotes import extract_numbers, unsupported_numbers
from rag.terms import STOPWORDS, content_terms, tokens

_NAME = re.compile(r"\b[A-Z0-9][\w'’.-]*")


@dataclass(frozen=True)
class Grounding:
    cited: tuple[int, ...]  # 0-based indices into the evidence, in the order chosen
    missing: tuple[str, ...]  # anchors or terms no cited sentence holds

    @property
    def ok(self) -> bool:
        return bool(self.cited) and not self.missing


def answer_anchors(answer: str) -> set[str]:
    """Tokens of the answer's names and numbers ("Benedict XVI" -> {"benedict", "xvi"})."""
    anchors: set[str] = set()
    for match in _NAME.finditer(answer):
        anchors.update(t for t in tokens(match.group()) if t not in STOPWORDS)
    return anchors


# A place's people or language: "North Korea" for "North Korean", "Ukraine" for "Ukrainian".
_DEMONYM = ("n", "an", "ian", "ese", "i")


def _held(term: str, words: set[str]) -> bool:
    """Copied, not paraphrased: the exact token, a plural "s" aside, or a place for its
    demonym (and back). A near spelling is not copied: "Zelenskaya" is not "Zelensky"."""
    if term in words or term.rstrip("s") in words or f"{term}s" in words:
        return True
    if term[0].isdigit():
        return False
    stems = {term, term[:-1]} if term.endswith(("a", "e")) else {term}
    if any(f"{stem}{end}" in words for stem in stems for end in _DEMONYM):
        return True
    bases = [term[: -len(end)] for end in _DEMONYM if term.endswith(end)]
    return any(base + tail in words for base in bases for tail in ("", "a", "e"))


def ground_answer(
    answer: str,
    evidence: Sequence[str],
    min_share: float = 0.75,
    max_cited: int = 3,
) -> Grounding:
    """The evidence sentences `answer` rests on, and what of it none of them holds."""
    terms = list(dict.fromkeys(content_terms(answer)))
    # A word in a script of its own ("乌克兰" in an English answer) is no paraphrase either.
    anchors = answer_anchors(answer) & set(terms) | {t for t in terms if not t.isascii()}
    if not terms:
        return _ground_verbatim(answer, evidence)
    words = [set(tokens(text)) for text in evidence]
    numbers = extract_numbers(answer)

    def gain(i: int, wanted: Sequence[str]) -> tuple[int, int]:
        held = sum(_held(t, words[i]) for t in wanted)
        figures = len(numbers) - len(unsupported_numbers(answer, evidence[i])) if numbers else 0
        return held + figures, -i  # more held first, then the better-ranked sentence

    cited: list[int] = []
    wanted = terms
    while len(cited) < max_cited:
        options = [i for i in range(len(evidence)) if i not in cited]
        if not options:
            break
        best = max(options, key=lambda i: gain(i, wanted))
        if gain(best, wanted)[0] == 0:
            break
        cited.append(best)
        missing = _missing_anchors(answer, anchors, cited, evidence, words)
        if not missing:
            break
        wanted = [t for t in missing if t in anchors] or terms
    covered = set().union(*(words[i] for i in cited)) if cited else set()
    missing = _missing_anchors(answer, anchors, cited, evidence, words)
    held_share = sum(_held(t, covered) for t in terms) / len(terms)
    if held_share < min_share:
        missing += [t for t in terms if not _held(t, covered) and t not in missing]
    return Grounding(tuple(cited), tuple(dict.fromkeys(missing)))


def _ground_verbatim(answer: str, evidence: Sequence[str]) -> Grounding:
    """An answer with no word of two letters or more ("M&M's", "X") rests only on a sentence
    that holds it as written (case aside), on word boundaries: one letter is no paraphrase."""
    wanted = answer.strip()
    if wanted and any(c.isalnum() for c in wanted):
        pattern = re.compile(rf"(?<!\w){re.escape(wanted)}(?!\w)", re.IGNORECASE)
        for i, text in enumerate(evidence):
            if pattern.search(text):
                return Grounding((i,), ())
    return Grounding((), ("<no content>",))


def _missing_anchors(
    answer: str,
    anchors: set[str],
    cited: Sequence[int],
    evidence: Sequence[str],
    words: Sequence[set[str]],
) -> list[str]:
    """The answer's names no cited sentence holds (`words`: each sentence's tokens), and its
    numbers none states."""
    covered = set().union(*(words[i] for i in cited)) if cited else set()
    missing = [t for t in anchors if not _held(t, covered)]
    cited_text = " ".join(evidence[i] for i in cited)
    return missing + [f"{n:g}" for n in sorted(unsupported_numbers(answer, cited_text))]
