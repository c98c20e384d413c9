"""Word-level text features: tokens, content terms and fuzzy term matching."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache

from rapidfuzz import fuzz, process

from rag.sentences import split_sentences

# A number swallows an ordinal or plural suffix ("4th", "1990s" -> "4", "1990"), so the
# suffix is not taken for a word of its own.
_WORD = re.compile(
    r"[0-9]+(?:[.,][0-9]+)*(?:(?:st|nd|rd|th|s)\b)?|[^\W\d_]+(?:['\u2019][^\W\d_]+)*",
    re.UNICODE,
)
_SUFFIX = re.compile(r"[a-z]+$")

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "according",
        "said",
        "say",
        "says",
        "tell",
        "told",
        "according",
        "many",
        "much",
        "per",
        "did",
        "does",
        "s",
        "t",
        "don",
        "according",
        "whose",
        "let",
        "us",
    ]
)


# Words that frame a question rather than name what it is about.
QUESTION_FRAMING = frozenset(
    [
        "besides",
        "figure",
        "figures",
        "name",
        "named",
        "article",
        "articles",
        "report",
        "reports",
        "reported",
        "type",
        "kind",
        "gave",
        "give",
        "hold",
        "held",
        "mention",
        "mentioned",
        "explicitly",
        "cite",
        "cited",
        "cites",
        "remarks",
        "claims",
        "claim",
        "instead",
        "compare",
        "compared",
        "comparison",
        "roughly",
        "two",
        "both",
        "appears",
        "appear",
        "describe",
        "described",
        "call",
        "called",
        "word",
        "words",
        "far",  # "so far this year", "how far"
        "exact",
        "exactly",
    ]
)


def tokens(text: str) -> list[str]:
    """Lower-cased word and number tokens; thousands separators removed from numbers."""
    return list(_tokens(text))


# Chunk texts come back query after query (reranking tokenizes ~30 per search, ~1.5 ms);
# an entry is ~5 KB for a 128-token chunk, so 2048 of them stay near 10 MB.
@lru_cache(maxsize=2048)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_normal(tok) for tok in _WORD.findall(text.lower().replace("\u2019", "'")))


def _normal(word: str) -> str:
    """A matched word (lower-cased, straight apostrophes) as a token."""
    if word[0].isdigit():
        return _SUFFIX.sub("", word).replace(",", "")
    return word[:-2] if word.endswith("'s") else word


def _words(text: str) -> Iterator[tuple[re.Match[str], str]]:
    """Each word of `text` with its token."""
    for match in _WORD.finditer(text):
        yield match, _normal(match.group().lower().replace("\u2019", "'"))


def without_term(text: str, term: str) -> str:
    """`text` with every word whose token is `term` cut out."""
    parts, last = [], 0
    for match, token in _words(text):
        if token == term:
            parts.append(text[last : match.start()])
            last = match.end()
    return "".join(parts) + text[last:]


def named_terms(question: str) -> set[str]:
    """Tokens of the words a question writes as names or numbers: capitalised after its first
    word ("Germany", "European Union") or starting with a digit ("F-16")."""
    return {
        token
        for i, (match, token) in enumerate(_words(question))
        if i > 0 and (match.group()[0].isupper() or match.group()[0].isdigit())
    }


# A year stands alone: not part of a longer number ("2,018 people", "12018").
_YEAR = re.compile(r"(?<![\d,.])(?:1[89]|20)\d\d(?!\d|[,.]\d)")


def asked_years(text: str) -> frozenset[str]:
    """The years (1800-2099) a query names: "the 2018 Wimbledon final" -> {"2018"}."""
    return frozenset(_YEAR.findall(text))


# Month names and their usual abbreviations, lower case, to the month's number.
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
# Any month's name, the longest first ("september" before "sep"), for a regular expression.
MONTH_NAME = "|".join(sorted(MONTHS, key=len, reverse=True))
_MONTH = f"({MONTH_NAME})" + r"\.?"
# "February 4th", "Feb. 4", "(Feb 4)", "July 30, 2023"; "4 February", "4th of February".
# A day is a run of one or two digits standing alone, so "February 2022", "1,4 March" and
# "2.5 May" name no day. The digit runs are found first: scanning every position of a text
# for a month name costs about five times as much, and the index reads every chunk.
_DIGITS = re.compile(r"[0-9]+(?:st|nd|rd|th)?")
_MONTH_BEFORE = re.compile(rf"(?<![\w.]){_MONTH}\s+$", re.IGNORECASE)
_MONTH_AFTER = re.compile(rf"\s+(?:of\s+)?{_MONTH}(?!\w)", re.IGNORECASE)
# Longest "<month>. " before a day: "September. " plus a space to spare.
_BEFORE_SPAN = 12


def day_words(day: tuple[int, int]) -> list[str]:
    """The words that name a (month, day): the month's names and the day's number."""
    month, number = day
    return [name for name, m in MONTHS.items() if m == month] + [str(number)]


def may_name_a_day(words: Collection[str]) -> bool:
    """Whether a text with these `tokens` can name a day: it has a month's name."""
    return not MONTHS.keys().isdisjoint(words)


def named_dates(text: str) -> frozenset[tuple[int, int]]:
    """The days of the year `text` names, as (month, day): "on Tuesday (Feb 4)" and "the
    interview given on February 4th" both name (2, 4). Years are `asked_years`' part."""
    days = set()
    for found in _DIGITS.finditer(text):
        start, end = found.span()
        digits = found.group().rstrip("stndrh")
        if len(digits) > 2 or not 1 <= int(digits) <= 31:
            continue
        if start and (text[start - 1].isalnum() or text[start - 1] in "_.,"):
            continue
        if end < len(text) and (text[end].isalnum() or text[end] == "_"):
            continue
        before = _MONTH_BEFORE.search(text, max(0, start - _BEFORE_SPAN), start)
        after = _MONTH_AFTER.match(text, end)
        for month in (before, after):
            if month:
                days.add((MONTHS[month.group(1).lower()], int(digits)))
    return frozenset(days)


class SourceNames:
    """Finds the articles whose news source a query names ("according to CNN", "the
    Guardian's report").

    A source is matched as written, capital letters and all, with a leading "The" optional:
    a source called by a common word ("Time", "The Hill") is named by "Time magazine", not
    by "what time". A source written without a capital letter is never matched."""

    def __init__(self, sources: Mapping[str, str]):
        self._articles: dict[str, set[str]] = {}
        for article_id, source in sources.items():
            name = _without_the(source)
            if name and not name.islower():
                self._articles.setdefault(name, set()).add(article_id)
        names = sorted(self._articles, key=len, reverse=True)
        self._pattern = (
            re.compile(r"(?<!\w)(" + "|".join(map(re.escape, names)) + r")(?!\w)")
            if names
            else None
        )

    def articles_named_in(self, query: str) -> frozenset[str]:
        """The ids of the articles whose source `query` names."""
        if self._pattern is None:
            return frozenset()
        return frozenset(a for name in self._pattern.findall(query) for a in self._articles[name])


_LEADING_THE = re.compile(r"^[Tt]he\s+")


def _without_the(source: str) -> str:
    return _LEADING_THE.sub("", source.strip())


def year_share(years: frozenset[str], text: str) -> float:
    """Share of `years` that `text` names (0 when no year is asked for)."""
    if not years:
        return 0.0
    return len(years.intersection(_YEAR.findall(text))) / len(years)


def content_terms(text: str) -> list[str]:
    """Tokens that carry meaning: not stopwords, not one letter."""
    return [t for t in tokens(text) if t not in STOPWORDS and len(t) > 1]


def topic_terms(question: str) -> list[str]:
    """Content terms of a question without the words that only frame it."""
    return [t for t in content_terms(question) if t not in QUESTION_FRAMING]


# "Which TV network's ...", "what time span did ...", "which news agency reported ...": the
# words after which/what that end at a verb of the question (an auxiliary or a past tense in
# -ed), a preposition, a possessive or a punctuation mark say what kind of thing the answer
# is. ("Which club won the ..." ends at none of these: no such words.)
AUX_OR_PREPOSITION = (
    r"(?:is|are|was|were|do|does|did|has|have|had|will|would|can|could|should|may|might"
    r"|of|in|on|for|to|from|with|by|about|at)"
)
_LETTERS = r"[^\W\d_]+"


def _phrase_after(
    head: str, word: str, most: int, lazy: bool, ends: Sequence[str] = ()
) -> re.Pattern[str]:
    """A pattern for the words (`word`, 1 to `most`, as few as may be when `lazy`) after
    `head` up to a verb of the question, a preposition, a punctuation mark or one of `ends`,
    none of them an auxiliary or a preposition; the words are group 1."""
    stop = AUX_OR_PREPOSITION + r"\b"
    words = rf"((?:\s+(?!{stop}){word}){{1,{most}}}{'?' if lazy else ''})"
    end = "|".join([*ends, rf"\s+{stop}", r"\s*[?,.;:]"])
    return re.compile(rf"\b{head}{words}(?={end})", re.I)


_WH_PHRASE = _phrase_after(
    r"(?:which|what)", _LETTERS, 3, lazy=False, ends=(r"'s\b", r"\s+[a-z]+ed\b")
)


def answer_type_words(question: str) -> set[str]:
    """The words naming the kind of answer a which/what question asks for: an article that
    answers "which city" names the city, it need not say "city"."""
    found: set[str] = set()
    for match in _WH_PHRASE.finditer(question.replace("\u2019", "'")):
        found.update(tokens(match.group(1)))
    return found


# "How many fighter jets has...", "how much military aid has...": the words after how
# many/much, up to a verb of the question, a preposition or a punctuation mark, name what is
# counted. ("How much did Microsoft pay" counts nothing by name.)
_COUNTED = _phrase_after(r"how\s+(?:many|much)", r"[\w'\u2019-]+", 4, lazy=True)


# "How many each month?", "how many per day": a rate, whose words name no thing counted.
_RATE = frozenset(("each", "every", "per", "a", "an"))


def counted_terms(question: str) -> list[str]:
    """The words naming what a how-many/how-much question counts ("tanks", "fighter jets").
    Capitalised words say whose ("Ukrainian soldiers"), not what, so they are left out."""
    match = _COUNTED.search(question)
    if match is None or match.group(1).split()[0].lower() in _RATE:
        return []
    return [
        t
        for word in match.group(1).split()
        if not word[0].isupper()
        for t in tokens(word)
        if t not in STOPWORDS
    ]


# "What is the weather forecast for...", "what was the population of...": the words after
# what/which/who is the, up to a verb of the question, a preposition or a punctuation mark,
# name what is asked about.
_SUBJECT = _phrase_after(
    r"(?:what|which|who)\s+(?:is|are|was|were)\s+(?:the|an?)", _LETTERS, 3, lazy=True
)


def focus_terms(question: str) -> set[str]:
    """The words naming what a question asks about: what a how-many question counts
    ("fighter jets") and the subject of a what-is question ("weather forecast" in "What is
    the weather forecast for Kyiv?"). An answer about something else does not answer it."""
    found = set(counted_terms(question))
    for match in _SUBJECT.finditer(question):
        found.update(t for t in tokens(match.group(1)) if t not in STOPWORDS)
    return found


def unknown_terms(question: str, vocabulary: Collection[str]) -> list[str]:
    """Topic terms of the question that no stored text contains, even fuzzily (the words
    naming the kind of answer aside)."""
    typed = answer_type_words(question)
    return [
        t
        for t in dict.fromkeys(topic_terms(question))
        if t not in typed and not term_matches(t, vocabulary)
    ]


def premise_words(question: str) -> set[str]:
    """The ordinary words of the sentences before a question's last one: the premise a news
    quiz sets the scene with ("Wednesday was World Water Day. Around what percentage...?"),
    in the asker's words rather than the article's. Names and numbers are not among them."""
    spans = split_sentences(question)
    if len(spans) < 2:
        return set()
    premise = question[: spans[-1][0]]
    return set(tokens(premise)) - named_terms(premise) - set(tokens(question[spans[-1][0] :]))


def term_matches(term: str, vocabulary: Collection[str]) -> bool:
    """Exact, shared-stem or near-spelling match (Zelenskyy ~ Zelensky, Volodymir ~ Volodymyr).

    A near match is a word within 3 letters of the term's length that either shares its
    first min(both lengths, 6) >= 4 letters, or (terms of 5+ letters) has a rapidfuzz ratio
    of at least 80; numbers match only exactly. A `Vocabulary` answers from its index.
    """
    if term in vocabulary:
        return True
    if term[0].isdigit():
        return False
    if not isinstance(vocabulary, Vocabulary):
        vocabulary = Vocabulary(vocabulary)
    return vocabulary.near(term)


def shares_stem(term: str, words: Collection[str]) -> bool:
    """Exact or shared-stem match only ("soldier" ~ "soldiers"), no near spelling: for
    common nouns, where one letter more is another word ("tanks", "thanks")."""
    return term in words or (not term[0].isdigit() and _stem_near(term, words))


_MAX_LENGTH_GAP = 3
_STEM = 6
_MIN_STEM = 4
_MIN_FUZZY_LENGTH = 5
_MIN_RATIO = 80


def _stem_near(term: str, words: Iterable[str]) -> bool:
    size = len(term)
    if size < _MIN_STEM:
        return False
    head = term[:_MIN_STEM]
    return any(
        word.startswith(head)
        and abs(len(word) - size) <= _MAX_LENGTH_GAP
        and word[: min(len(word), size, _STEM)] == term[: min(len(word), size, _STEM)]
        for word in words
    )


# Near-word look-ups a vocabulary keeps (a few hundred bytes each).
_NEAR_KEPT = 10_000


class Vocabulary(frozenset):
    """An immutable set of words indexed by first letters and by length, so that near
    matches (`term_matches`) look only at words that could match, not at every word.
    Build one for a text whose words are matched against several terms."""

    _heads: dict[str, list[str]] | None = None
    _lengths: dict[int, list[str]] | None = None
    # Terms already looked up: questions over one corpus share most of theirs.
    _near: dict[str, frozenset[str]] | None = None

    def near(self, term: str) -> bool:
        """Whether a word other than `term` (which starts with a letter) is near it."""
        return bool(self.near_words(term) - {term})

    def near_words(self, term: str) -> frozenset[str]:
        """Every word of the vocabulary that `term_matches` would accept for `term`: the term
        itself if present, and its near spellings (none for numbers)."""
        if self._near is None:
            self._near = {}
        known = self._near.get(term)
        if known is None:
            known = self._near_words(term)
            if len(self._near) < _NEAR_KEPT:
                self._near[term] = known
        return known

    def _near_words(self, term: str) -> frozenset[str]:
        if self._heads is None or self._lengths is None:
            self._build()
        assert self._heads is not None and self._lengths is not None
        found = {term} if term in self else set()
        if term[0].isdigit():
            return frozenset(found)
        size = len(term)
        if size >= _MIN_STEM:
            found.update(w for w in self._heads.get(term[:_MIN_STEM], ()) if _stem_near(term, (w,)))
        if size >= _MIN_FUZZY_LENGTH:
            gap = range(size - _MAX_LENGTH_GAP, size + _MAX_LENGTH_GAP + 1)
            words = [w for n in gap for w in self._lengths.get(n, ())]
            close = process.extract(
                term, words, scorer=fuzz.ratio, score_cutoff=_MIN_RATIO, limit=None
            )
            found.update(word for word, _, _ in close)
        return frozenset(found)

    def _build(self) -> None:
        heads: dict[str, list[str]] = {}
        lengths: dict[int, list[str]] = {}
        for word in self:
            if word[0].isdigit():
                continue
            if len(word) >= _MIN_STEM:
                heads.setdefault(word[:_MIN_STEM], []).append(word)
            lengths.setdefault(len(word), []).append(word)
        self._lengths = lengths
        self._heads = heads


class QueryTerms:
    """A query's content terms, each with the words of a `Vocabulary` that match it, so that
    the coverage of many texts (whose words are all in the vocabulary) is set intersections."""

    def __init__(self, query: str, vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        self.terms = frozenset(content_terms(query))
        self._matches = [vocabulary.near_words(t) for t in self.terms]

    def coverage(self, text: str) -> float:
        """Share of the terms found (fuzzily) in `text`: the same as `coverage(terms, tokens)`."""
        if not self.terms:
            return 0.0
        words = set(_tokens(text))
        if not words <= self.vocabulary:  # a text the vocabulary was not built from
            return coverage(self.terms, words)
        return sum(not m.isdisjoint(words) for m in self._matches) / len(self.terms)


def coverage(terms: Collection[str], text_tokens: Iterable[str]) -> float:
    """Share of `terms` matched (exactly or fuzzily) by some token of the text."""
    if not terms:
        return 0.0
    words = text_tokens if isinstance(text_tokens, Vocabulary) else Vocabulary(text_tokens)
    return sum(term_matches(t, words) for t in terms) / len(terms)
