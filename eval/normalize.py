"""Answer normalization: case, punctuation, articles and number forms made comparable."""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from text_to_num import alpha2digit

_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-",
    }
)  # fmt: skip
_SCALE_WORDS = {
    "thousand": 10**3,
    "million": 10**6,
    "mn": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "trillion": 10**12,
    "tn": 10**12,
}
_SCALE_POWERS = {str(value) for value in _SCALE_WORDS.values()}
_ARTICLES = frozenset({"a", "an", "the"})

_THOUSANDS_SEPARATOR = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_POSSESSIVE = re.compile(r"'s\b")
_BARE_DECIMAL = re.compile(r"(?<![\w.])\.(?=\d)")
_ABBREVIATION = re.compile(r"\b(?:[^\W\d_]\.){2,}")
_NUMBER_THEN_SCALE_WORD = re.compile(
    r"(?<![\d.])(\d+(?:\.\d+)?) ?(" + "|".join(_SCALE_WORDS) + r")\b"
)
_DECIMAL_THEN_POWER = re.compile(r"(?<![\d.])(\d+\.\d+) (\d+)(?![\d.])")
_NUMBER_TOKEN = re.compile(r"\d+(?:\.\d+)?")


def _format_decimal(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def _scale(number: str, factor: int) -> str:
    try:
        return _format_decimal(Decimal(number) * factor)
    except InvalidOperation:
        return f"{number} {factor}"


def _scale_word(match: re.Match[str]) -> str:
    return _scale(match.group(1), _SCALE_WORDS[match.group(2)])


def _decimal_then_power(match: re.Match[str]) -> str:
    number, power = match.group(1), match.group(2)
    if power not in _SCALE_POWERS:
        return match.group(0)
    return _scale(number, int(power))


def _strip_punctuation(text: str) -> str:
    """Replace punctuation and symbols by spaces, keeping a decimal point between digits."""
    out = []
    for i, char in enumerate(text):
        if unicodedata.category(char)[0] in "PS":
            between_digits = 0 < i < len(text) - 1 and text[i - 1].isdigit()
            if char == "." and between_digits and text[i + 1].isdigit():
                out.append(char)
            else:
                out.append(" ")
        else:
            out.append(char)
    return "".join(out)


def _canonical_token(token: str) -> str:
    if _NUMBER_TOKEN.fullmatch(token) and "." in token:
        return _format_decimal(Decimal(token))
    return token


def _normalize_once(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY).lower()
    text = text.replace("%", " percent ")
    text = _THOUSANDS_SEPARATOR.sub("", text)
    text = _POSSESSIVE.sub("", text)
    text = _BARE_DECIMAL.sub("0.", text)
    text = _ABBREVIATION.sub(lambda m: m.group(0).replace(".", ""), text)
    text = " ".join(_strip_punctuation(text).split())
    text = _NUMBER_THEN_SCALE_WORD.sub(_scale_word, text)
    text = alpha2digit(text, "en", threshold=0)
    text = _DECIMAL_THEN_POWER.sub(_decimal_then_power, text)
    tokens = (_canonical_token(t) for t in text.split() if t not in _ARTICLES)
    return " ".join(tokens)


def normalize_answer(text: str) -> str:
    """Lowercase, ASCII-fy quotes/dashes, drop punctuation and articles, canonicalize numbers.

    "400,000", "400 thousand", "four hundred thousand" and "0.4 million" all become "400000";
    currency signs are dropped, so "$64.1 billion" becomes "64100000000".
    """
    current = _normalize_once(text)
    # A pass can expose new number words (after dropping articles, or a chain of scale words
    # such as "billion bn"); each pass consumes at least one word, so this reaches a fixed point.
    for _ in range(len(current.split()) + 1):
        following = _normalize_once(current)
        if following == current:
            break
        current = following
    return current


def answer_tokens(text: str) -> list[str]:
    """Tokens of the normalized text."""
    return normalize_answer(text).split()
