"""Quote verification: a quote is returned only as an exact span of the article text."""

from __future__ import annotations

import re
from decimal import Decimal

_QUOTE_MARKS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
    }
)


def _normalise_with_map(text: str) -> tuple[str, list[int]]:
    """Fold quote marks and dashes, collapse whitespace; keep each char's source index."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text.translate(_QUOTE_MARKS)):
        if ch.isspace():
            if out and out[-1] == " ":
                continue
            ch = " "
        out.append(ch)
        index.append(i)
    return "".join(out), index


def normalise_quote(text: str) -> str:
    return _normalise_with_map(text)[0].strip()


def verify_quote(
    text: str, quote: str, lo: int = 0, hi: int | None = None
) -> tuple[int, int] | None:
    """Find `quote` in `text[lo:hi]`, tolerant of whitespace and typographic marks.

    Returns the exact `(start, end)` span of the article text, so the caller returns
    `text[start:end]` and never the model's spelling; None when it is not there.
    """
    hi = len(text) if hi is None else hi
    needle = normalise_quote(quote)
    if not needle:
        return None
    window, index = _normalise_with_map(text[lo:hi])
    pos = window.find(needle)
    if pos < 0:
        return None
    return lo + index[pos], lo + index[pos + len(needle) - 1] + 1


_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(thousand|million|billion|trillion)\b)?",
    re.IGNORECASE,
)


def extract_numbers(text: str) -> set[float]:
    """Numeric values written with digits, scaled by a following thousand/million/....

    "400,000" -> 400000, "$64.1 billion" -> 64.1e9 (and 64.1, the bare figure).
    """
    values: set[float] = set()
    for digits, scale in _NUMBER.findall(text):
        value = Decimal(digits.replace(",", ""))
        values.add(float(value))
        if scale:
            values.add(float(value * _SCALES[scale.lower()]))
    return values


def unsupported_numbers(claim: str, evidence: str) -> set[float]:
    """Numbers stated in `claim` that the evidence does not contain."""
    have = extract_numbers(evidence)
    return {n for n in extract_numbers(claim) if n not in have}
