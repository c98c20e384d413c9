"""Title, source and publication date found in the text of a raw article.

Extraction is conservative: it returns None rather than guess. A date needs a year
(a weekday and a day of the month are not enough), a source needs an explicit
attribution ("(MENAFN - Ukrinform)", "This post appeared first on cnn.com",
", UNN reports"), and a title needs a short first line that is not a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from index.cleaning import is_boilerplate
from rag.terms import MONTH_NAME
from rag.terms import MONTHS as _MONTHS

_MONTH = f"(?P<month>{MONTH_NAME})" + r"\.?"

# Datelines near the top of a scraped page, most explicit first.
_DATELINES = [
    re.compile(r"\b(date|published|posted|updated)\s*:?\s*(?P<iso>\d{4}-\d{2}-\d{2})\b", re.I),
    re.compile(r"^\s*(?P<iso>\d{4}-\d{2}-\d{2})\b"),
    re.compile(
        r"\b(published|posted|updated)\s*(on)?\s*:?\s*" + _MONTH + r"\s+(?P<day>\d{1,2}),?\s+"
        r"(?P<year>\d{4})\b",
        re.I,
    ),
    re.compile(
        r"\b(published|posted|updated)\s*(on)?\s*:?\s*(?P<day>\d{1,2})\s+" + _MONTH + r",?\s+"
        r"(?P<year>\d{4})\b",
        re.I,
    ),
]
_DATELINE_WINDOW = 300
# A date in a URL's path, as news sites put one: /2023/01/05/, /2023-01-05/, /20230105/.
_URL_DATE = re.compile(
    r"/(?P<year>(?:19|20)\d\d)(?P<sep>[/-]?)(?P<month>[01]\d)(?P=sep)(?P<day>[0-3]\d)(?=[/_.-]|$)"
)

_SOURCE_PATTERNS = [
    re.compile(r"^\s*\(?MENAFN\s*[-–—]\s*(?P<source>[^)\n]{1,60})\)"),
    re.compile(
        r"^\s*this (post|article|story) (appeared|was (first |originally )?published)( first)? "
        r"on (?P<source>[\w.-]+\.[a-z]{2,})\s*$",
        re.I | re.M,
    ),
    re.compile(r"^[A-Z][\w .,'-]{0,40}\((?P<source>Reuters|AP|AFP|Bloomberg|UPI)\)\s*[-–—]", re.M),
]
# ", Ukrinform reports." / ", UNN reports citing ..." in the lead paragraph.
_REPORTS = re.compile(r",\s+(?P<source>[A-Z][\w&.-]*(?: [A-Z][\w&.-]*){0,3}) reports\b")
_LEAD_WINDOW = 600

_TITLE_MAX_CHARS = 160
_TITLE_MAX_WORDS = 25


@dataclass(frozen=True)
class ExtractedMeta:
    title: str | None = None
    source: str | None = None
    published_at: str | None = None


def extract_metadata(raw: str, clean: str) -> ExtractedMeta:
    """What the text itself says about the article (None where it does not say)."""
    return ExtractedMeta(
        title=extract_title(clean),
        source=extract_source(raw),
        published_at=extract_date(raw),
    )


def extract_date(raw: str) -> str | None:
    """An ISO date from a dateline near the top ("date 2025-02-05", "Published: May 3, 2024")."""
    head = raw[:_DATELINE_WINDOW]
    for pattern in _DATELINES:
        match = pattern.search(head)
        if match is None:
            continue
        found = _date_of(match)
        if found is not None:
            return found.isoformat()
    return None


def date_from_url(url: str | None) -> str | None:
    """The ISO date a news URL's path carries ("https://cnn.com/2022/12/31/europe/..."), or
    None when the path holds no valid date."""
    if not url:
        return None
    path = url.split("?", 1)[0].split("#", 1)[0]
    for match in _URL_DATE.finditer(path):
        try:
            found = date(int(match["year"]), int(match["month"]), int(match["day"]))
        except ValueError:
            continue
        return found.isoformat()
    return None


def _date_of(match: re.Match[str]) -> date | None:
    groups = match.groupdict()
    try:
        if groups.get("iso"):
            return date.fromisoformat(groups["iso"])
        month = _MONTHS[groups["month"].lower()]
        return date(int(groups["year"]), month, int(groups["day"]))
    except (ValueError, KeyError):
        return None


def extract_source(raw: str) -> str | None:
    """The outlet the text credits: a wire tag, an "appeared first on" line, "X reports"."""
    for pattern in _SOURCE_PATTERNS:
        match = pattern.search(raw)
        if match:
            return match.group("source").strip()
    match = _REPORTS.search(raw[:_LEAD_WINDOW])
    return match.group("source") if match else None


def extract_title(clean: str) -> str | None:
    """The first line when it reads as a headline: short, followed by a blank line, and
    not ending like a sentence (headlines rarely end with a full stop)."""
    first, sep, rest = clean.partition("\n")
    first = first.strip()
    if not sep or not rest.startswith("\n") or not rest.strip():
        return None
    if not first or len(first) > _TITLE_MAX_CHARS or len(first.split()) > _TITLE_MAX_WORDS:
        return None
    if len(first.split()) < 3 or first[-1] in ".,;:" or not first[0].isupper():
        return None
    if is_boilerplate(first):
        return None
    return first


def normalize_date(value: str) -> str:
    """An ISO 8601 date or datetime as given, validated; raises ValueError otherwise."""
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text).isoformat()
        return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO 8601 date (YYYY-MM-DD) or datetime") from None
