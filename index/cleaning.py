"""Turn raw article text into the clean text we store and cite into.

Cleaning only ever drops whole lines (page furniture) and a few fragments glued to the
start of the text (wire-service tags); what remains of a line is kept as written, so a
quote from the source survives verbatim in the clean text.
"""

from __future__ import annotations

import re
import unicodedata

_SOCIAL = (
    r"(facebook|twitter|x|linkedin|pinterest|tumblr|whatsapp|telegram|reddit|email|e-mail"
    r"|print|copy link|flipboard)"
)

# Page furniture that scrapers leave in news text; a whole line matching one is dropped.
# Credit lines ("Maria Kostenko contributed to this report.", "(Reporting by ...)") are not
# furniture: they say who reported the story, a reader may ask, and they stay citable.
_BOILERPLATE_LINES = [
    r"advertis(e)?ments?(\s*[-–—:|].*)?",  # "Advertisment" (sic) included
    r"(sponsored( content)?|promoted( content)?)",
    r"(also read|read also|read more|see also|related|recommended|more on this)\s*:.*",
    r"(latest|breaking|top|trending) (news|stories)( now)?",
    r"((share|follow us)( this| on)?( article| story)?\s*:?\s*)?(" + _SOCIAL + r"[\s,|/·•]*){2,}",
    r"(share|follow us)( this| on)?( article| story)?\s*:?",
    r"this (post|article|story) (appeared|was (first |originally )?published)( first)? on \S+",
    r"\(?(photo|image|photograph|picture|file photo|video)( credit)?\s*:.*",
    r"(subscribe|sign up)\b.*\bnewsletters?\b.*",
    r"click here\b.*",
    r"(©|copyright|\(c\))\s.*",
    r"all rights reserved\.?",
]
_BOILERPLATE = re.compile(r"^(" + "|".join(_BOILERPLATE_LINES) + r")$", re.IGNORECASE)

# Wire-service tags scrapers glue to the first line: "(MENAFN - UkrinForm) He said ...".
_LEADING_TAG = re.compile(r"^\(?MENAFN\s*[-–—]\s*[^)\n]{1,60}\)\s*")

# Characters that are invisible but break matching of quotes and terms.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def is_boilerplate(line: str) -> bool:
    """Whether a whole (stripped) line is page furniture rather than article text."""
    return bool(_BOILERPLATE.match(line))


def clean_text(raw: str) -> str:
    """Normalise unicode and whitespace and drop boilerplate lines and wire-service tags.

    Paragraphs stay separated by one blank line; text inside a line is kept as is
    (apart from non-breaking spaces and invisible characters), so quotes from the
    source survive verbatim.
    """
    text = unicodedata.normalize("NFC", raw).translate(_INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\t", " ")
    lines = [line.strip() for line in text.split("\n")]
    kept = [line for line in lines if not is_boilerplate(line)]
    cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return _LEADING_TAG.sub("", cleaned, count=1)
