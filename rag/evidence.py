"""Evidence selection: split retrieved chunks into sentences and score them against a question.

Pure functions; the caller supplies the sentence/question cosine similarities.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Sequence

from rag.injection import looks_like_instruction
from rag.protocols import PlaceNames
from rag.sentences import split_sentences
from rag.terms import (
    AUX_OR_PREPOSITION,
    STOPWORDS,
    Vocabulary,
    asked_years,
    content_terms,
    counted_terms,
    coverage,
    shares_stem,
    term_matches,
    tokens,
)
from rag.types import ScoredChunk, ScoredSentence, Sentence

_NUMBER_Q = re.compile(
    r"\b(how (many|much|old|large|long|far|big|high)|(what|which) (\w+ ){0,2}?(number|percentage"
    r"|share|amount|age|figure|total|toll|tally|count|price|sum|height|size|score"
    r"|population))\b",
    re.I,
)
# "When" asks for a time at the head of a question ("When did...", "Since when..."), or of
# its sentence after a premise ("The Kings ended their playoff drought. When did they last
# make the postseason?"), not as a conjunction inside one ("...say when asked where...").
_TIME_Q = re.compile(
    r"(^\W*|[.!?]\s+\W*|\b(since|until|till) )when\b|\b(what|which) (day|date|year|month|time"
    r"|week)\b",
    re.I,
)
# Questions whose answer is a name: "who ...", "which city/network/leader ...".
_NAME_Q = re.compile(
    r"\b(who|whom|whose|(which|what)\s+(\w+\s+){0,2}?(country|countries|city|cities|network"
    r"|channel|broadcaster|newspaper|outlet|agency|organi[sz]ation|company|party|leader"
    r"|president|minister|official|envoy|nation|state|region|capital|person))\b",
    re.I,
)
_CAPITALISED = re.compile(r"\b[A-Z][\w\u2019'-]*")
_PRONOUN_START = re.compile(r"\W*(he|she|they|it|his|her|their|its)\b", re.I)
# A quote attributed at its end to a pronoun: "“If we will be alone, we will lose,” he said."
_PRONOUN_SAID = re.compile(
    r"[,\u201d\"]\s+(he|she|they)\s+(said|says|added|adds|noted|stressed|told|explained|warned"
    r"|replied|continued|insisted|claimed)\b[^.!?]*[.!?]?\W*$",
    re.I,
)
# Capitalised words joined by blanks are one name: "US President Donald Trump", "Fox News".
_NAME_GAP = re.compile(r"[ \t]+")
_MONTHS = (
    *("january", "february", "march", "april", "may", "june", "july", "august"),
    *("september", "october", "november", "december"),
    *("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"),
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAYS_AND_MONTHS = (*_WEEKDAYS, *_MONTHS[:12])
_NOT_NAMES = STOPWORDS | set(_DAYS_AND_MONTHS)
# Digits, or numbers in words ("hundreds of soldiers", "two dozen", "nearly a million").
_HAS_NUMBER = re.compile(
    r"\d|\b(hundreds?|thousands?|millions?|billions?|trillions?|dozens?|one|two|three|four"
    r"|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|seventy"
    r"|eighty|ninety|half)\b",
    re.I,
)
_HAS_TIME = re.compile(
    r"\b(\d{4}|" + "|".join((*_DAYS_AND_MONTHS, *_MONTHS[12:])) + r"|today|yesterday"
    r"|last (week|month|year)|this (week|month|year)|next week|earlier)\b",
    re.I,
)
_HAS_MONTH = re.compile(r"\b(" + "|".join(_MONTHS) + r")\b", re.I)
_ASKS_MONTH = re.compile(r"\b(which|what) month\b|\bmonth and year\b|\byear and month\b", re.I)
_ASKS_YEAR = re.compile(r"\b(which|what) year\b|\bmonth and year\b|\byear and month\b", re.I)
_ASKS_DATE = re.compile(r"\b(what|which)\s+(exact\s+)?date\b", re.I)
_HAS_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}\b|" + _HAS_MONTH.pattern, re.I)
_ASKS_WEEKDAY = re.compile(r"\bday of the week\b|\bweekday\b", re.I)
_HAS_WEEKDAY = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b", re.I)
# What a question asks for, and what a text that gives it holds.
_QUANTITY = ((_NUMBER_Q, _HAS_NUMBER), (_TIME_Q, _HAS_TIME))
_DATE = (_ASKS_DATE, _HAS_DATE)


def _lacks(
    kinds: Sequence[tuple[re.Pattern[str], re.Pattern[str]]], question: str, text: str
) -> bool:
    """Whether the question asks for one of `kinds` that `text` does not hold."""
    return any(asks.search(question) and not holds.search(text) for asks, holds in kinds)


# Sentences at most this many characters apart count as neighbours (a space, a paragraph break).
_NEIGHBOUR_GAP = 4


def _adjacent(a: Sentence, b: Sentence) -> bool:
    return a.article_id == b.article_id and (
        0 <= a.start - b.end <= _NEIGHBOUR_GAP or 0 <= b.start - a.end <= _NEIGHBOUR_GAP
    )


def candidate_sentences(retrieved: Sequence[ScoredChunk]) -> list[tuple[Sentence, int]]:
    """Sentences of the retrieved chunks (absolute offsets), each once, with its best chunk rank.

    Sentences addressed to a model (planted instructions) are dropped: article text is data.
    """
    seen: dict[tuple[str, int], tuple[Sentence, int]] = {}
    for rank, sc in enumerate(retrieved):
        chunk = sc.chunk
        for start, end in split_sentences(chunk.text, offset=chunk.start):
            key = (chunk.article_id, start)
            if key not in seen:
                text = chunk.text[start - chunk.start : end - chunk.start]
                if not looks_like_instruction(text):
                    seen[key] = (Sentence(chunk.article_id, text, start, end), rank)
    return list(seen.values())


def term_coverage(question: str, text: str) -> float:
    """Share of the question's content terms found (fuzzily) in `text`."""
    return coverage(set(content_terms(question)), tokens(text))


def names_new_to(question: str, text: str) -> list[str]:
    """Capitalised words of `text` the question does not already contain (candidate answers
    to a "who/which city" question); weekdays, months and function words aside. A run of
    capitalised words is one name, so "US President Donald Trump" is not new to a question
    about Trump; a single letter ("a post on X") is not a name."""
    asked = Vocabulary(tokens(question))
    found = []
    for words in _name_runs(text):
        terms = [w.lower().strip("'\u2019-") for w in words]
        if any(t and t not in _NOT_NAMES and term_matches(t, asked) for t in terms):
            continue
        found += [
            w for w, t in zip(words, terms, strict=True) if len(t) > 1 and t not in _NOT_NAMES
        ]
    return found


def _unpossessed(word: str) -> str:
    """`word` without a possessive ending ("Russia's" -> "Russia")."""
    return word.removesuffix("'s").removesuffix("\u2019s")


def _name_runs(text: str) -> list[list[str]]:
    """Capitalised words grouped into names: neighbours joined by blanks only, a possessive
    ending a name ("Russia's Kursk region" names two places)."""
    runs: list[list[str]] = []
    previous_end = -1
    for match in _CAPITALISED.finditer(text):
        word = match.group()
        joined = previous_end >= 0 and _NAME_GAP.fullmatch(text, previous_end, match.start())
        if joined:
            runs[-1].append(word)
        else:
            runs.append([word])
        possessive = _unpossessed(word) != word
        previous_end = -1 if possessive else match.end()
    return runs


def asks_for_typed_answer(question: str) -> bool:
    """Whether the question asks for a name, a number or a time (what a small model can be
    checked on: `answer_type_fits`)."""
    return asks_for_quantity(question) or bool(_NAME_Q.search(question))


def asks_for_quantity(question: str) -> bool:
    """Whether the question asks for a number, a date or a time."""
    return bool(_NUMBER_Q.search(question) or _TIME_Q.search(question))


# "Which foreign leader...", "the name of North Korea's leader": the answer is a person.
# Words that are also adjectives or verbs ("official figures", "chief concern", "will host")
# ask for a person only when the question's verb, a preposition or a punctuation mark
# follows them.
_PERSON = (
    r"leader|president|minister|envoy|person|spokes(?:man|woman|person)|advis[eo]r|secretary"
    r"|ambassador|commander|ceo|chancellor|premier|king|queen|senator|governor|mayor|judge"
    r"|coach|player|manager|director|chairman|founder|author|singer|actor|actress|candidate"
    r"|prosecutor|negotiator|aide|journalist|reporter|correspondent|presenter"
    r"|interviewer|editor|writer"
)
_PERSON_OR_ADJECTIVE = r"official|general|chief|head|host|anchor"
_PERSON_Q = re.compile(
    r"\b(?:(?:which|what)\s+(?:[\w'\u2019-]+\s+){0,2}?|name\s+of\s+(?:[\w'\u2019-]+\s+){0,3}?)"
    r"(?:(?:"
    + _PERSON
    + r")s?\b|(?:"
    + _PERSON_OR_ADJECTIVE
    + r")s?(?='s\b|\s*[?,.;:]|\s+"
    + AUX_OR_PREPOSITION
    + r"\b))",
    re.I,
)
# Words of a name run that are titles or offices, not names ("Prime Minister", "US President").
_TITLES = frozenset(
    (
        *("president", "prime", "minister", "secretary", "general", "chancellor", "chief"),
        *("mr", "mrs", "ms", "dr", "sir", "king", "queen", "prince", "senator", "governor"),
        *("mayor", "foreign", "defense", "defence", "vice", "deputy", "former", "special"),
        *("us", "uk", "un", "eu", "envoy", "leader", "ambassador", "spokesman", "spokeswoman"),
        *("advisor", "adviser"),
    )
)


def asks_for_a_person(question: str) -> bool:
    """Whether the question asks which leader, official, envoy... (a person, by name)."""
    return bool(_PERSON_Q.search(question))


def person_names_new_to(question: str, text: str) -> list[str]:
    """Two capitalised words in a row, neither a title nor a word of the question, as a full
    name is written on first mention ("Benjamin Netanyahu", "Keith Kellogg"). "North Korean"
    is not new to a question about North Korea, "Prime Minister" is a title."""
    asked = Vocabulary(tokens(question))
    found = []
    for run in _name_runs(text):
        words = [_unpossessed(w.lower().strip("'’-")) for w in run]
        for first, second in zip(words, words[1:], strict=False):
            pair = (first, second)
            if any(len(w) < 2 or w in _TITLES or w in _NOT_NAMES for w in pair):
                continue
            if any(term_matches(w, asked) for w in pair):
                continue
            found.append(f"{first} {second}")
    return found


def names_a_person_if_asked(question: str, texts: Sequence[str]) -> bool:
    """False when the question asks for a person ("What is the name of North Korea's
    leader?") and none of `texts` writes out a name the question does not hold."""
    return not asks_for_a_person(question) or any(person_names_new_to(question, t) for t in texts)


# "In which city...", "what is the capital of...": the answer is a city's name. As for a
# person, the word must be followed by the question's verb, a preposition or a punctuation
# mark: "What capital requirements did regulators set?" asks for no city.
_CITY_Q = re.compile(
    r"\b(?:which|what)\s+(?:[\w'\u2019-]+\s+){0,2}?(?:capital\s+)?(?:city|cities|town|towns"
    r"|village|villages|capital|capitals)(?='s\b|\s*[?,.;:]|\s+[a-z]+ed\b|\s+"
    + AUX_OR_PREPOSITION
    + r"\b)",
    re.I,
)


def asks_for_a_city(question: str) -> bool:
    """Whether the question asks in which city, town or capital."""
    return bool(_CITY_Q.search(question))


def cities_new_to(question: str, text: str, places: PlaceNames) -> list[str]:
    """The names of `text` that are a city's and not the question's. A name is a whole run
    of capitalised words, less the words that open a sentence ("In Kyiv", "The Hague"):
    "Vladimir Putin" is a person, though Vladimir is a city."""
    asked = Vocabulary(tokens(question))
    found = []
    for run in _name_runs(text):
        words = [_unpossessed(w) for w in run]
        while words and words[0].lower() in _NOT_NAMES:
            words = words[1:]
        name = " ".join(words)
        if not name or not places.is_city(name):
            continue
        if all(term_matches(w.lower(), asked) for w in words):
            continue
        found.append(name)
    return found


def names_a_city_if_asked(question: str, texts: Sequence[str], places: PlaceNames | None) -> bool:
    """False when the question asks for a city ("In which city was the meeting to be held?")
    and none of `texts` names one the question does not (no check without `places`)."""
    if places is None or not asks_for_a_city(question):
        return True
    return any(cities_new_to(question, t, places) for t in texts)


_DEATH_COUNTS = frozenset(
    (
        *("casualties", "casualty", "dead", "deaths", "death", "die", "dies", "died", "dying"),
        *("kill", "kills", "killed", "killing"),
        *("lives", "toll", "fatalities", "victims", "bodies"),
    )
)
_PERSONNEL = frozenset(
    ("troops", "soldiers", "servicemen", "personnel", "fighters", "forces", "military", "army")
)
# Words one count is given in: a question counting one is answered by a text naming another.
_COUNTED_ALIKE = (_DEATH_COUNTS, _PERSONNEL)
_MONEY = frozenset(("money", "cash", "funds", "funding", "dollars", "euros", "pounds"))
_AMOUNT = re.compile(
    r"[$\u20ac\u00a3\u00a5]\s?\d|\d[\d.,]*\s*(?:million|billion|trillion|bn|m)?\s*"
    r"(?:dollars|euros|pounds|yen|yuan|rupees|francs)\b",
    re.I,
)


def mentions_what_is_counted(question: str, texts: Sequence[str]) -> bool:
    """False when the question counts something ("How many drones has Ukraine produced?")
    and none of `texts` names it, even fuzzily: a figure for soldiers does not answer it."""
    counted = counted_terms(question)
    return not counted or _names_any(counted, texts)


def _names_any(counted: Sequence[str], texts: Sequence[str]) -> bool:
    """Whether `texts` name one of the `counted` words, fuzzily or in news's own words."""
    words = Vocabulary(t for text in texts for t in tokens(text))
    if any(shares_stem(t, words) for t in counted):
        return True
    # News counts the dead, the military and money in words of its own: "more than 1,100
    # killed" answers "how many casualties", "10,000 soldiers" "how many troops", "raised
    # $25.6 billion" "how much money".
    for group in _COUNTED_ALIKE:
        if any(t in group for t in counted) and not group.isdisjoint(words):
            return True
    return any(t in _MONEY for t in counted) and any(_AMOUNT.search(text) for text in texts)


# A figure counts what stands beside it in its clause: "killing about 20,000 people", "11
# Turkish provinces", "350,000 deaths", "most studio albums released ... (65)".
_FIGURE = re.compile(
    r"[$\u20ac\u00a3\u00a5]?\d(?:[\d,.]*\d)?(?:%|st|nd|rd|th)?|\b(?:one|two|three|four|five|six"
    r"|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|thousands?|millions?|billions?"
    r"|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\b",
    re.I,
)
_CLAUSE_BREAK = re.compile(r"[,;:()\"\u201c\u201d]|\.\s|\s[\u2014\u2013-]\s")
_WORDS_BEFORE_FIGURE = 3
_WORDS_AFTER_FIGURE = 5
_WORDS_BEFORE_BRACKET = 8
# Counted people are also given as a toll of the dead ("how many people died": "the death
# toll climbed above 17,000"), though the dead are not always counted as people.
_ANYONE = frozenset(("people", "persons", "individuals"))


def figure_contexts(text: str) -> list[tuple[str, str]]:
    """Each figure of `text` (digits, a number word or an ordinal) with the words beside it in
    its clause: up to three before and five after; a figure in brackets annotates the words
    before the bracket, up to eight."""
    return [(figure, " ".join([*left, figure, *right])) for figure, left, right in _figures(text)]


def _figures(text: str) -> Iterator[tuple[str, list[str], list[str]]]:
    """`figure_contexts`, with the words before and after each figure apart."""
    for match in _FIGURE.finditer(text):
        before, reach = text[: match.start()].rstrip(), _WORDS_BEFORE_FIGURE
        if before.endswith("(") and text[match.end() :].lstrip().startswith(")"):
            before, reach = before[:-1], _WORDS_BEFORE_BRACKET
        left = _CLAUSE_BREAK.split(before)[-1].split()[-reach:]
        right = _CLAUSE_BREAK.split(text[match.end() :])[0].split()[:_WORDS_AFTER_FIGURE]
        yield match.group(0), left, right


def counts_what_is_asked(question: str, quotes: Sequence[str], answer: str = "") -> bool:
    """False when a how-many question counts something ("How many buildings collapsed...?")
    and no figure of `quotes` counts it: every word naming it must stand beside the figure
    (`figure_contexts`; "365 electoral votes" does not count popular votes), and the noun the
    figure is put to, if any, must be one of them (`_noun_fits`; "11 Turkish provinces" in a
    sentence about collapsed buildings counts provinces). When `answer` gives figures, only
    those count. The words news counts the dead, the military and money in stand for each
    other (`mentions_what_is_counted`)."""
    counted = counted_terms(question)
    if not counted:
        return True
    befell = _BEFELL.search(question)
    if befell and _ANYONE.issuperset(counted):
        # "How many people were injured?" counts people by what befell them: a toll of the
        # dead does not answer it.
        counted = [*counted, befell.group(1).lower()]
    given = {f.lower() for f in _FIGURE.findall(answer)}
    for text in quotes:
        for figure, left, right in _figures(text):
            if given and figure.lower() not in given:
                continue
            context = " ".join([*left, figure, *right])
            if all(_counts(term, context) for term in counted) and _noun_fits(
                counted, _noun_after(right), context
            ):
                return True
    return False


# "How many people were (reportedly) injured / have been displaced / are missing?"
_BEFELL = re.compile(
    r"\bhow\s+many\s+\w+\s+(?:were|was|are|is|have\s+been|has\s+been|had\s+been|will\s+be)"
    r"\s+(?:\w+ly\s+|still\s+)?([a-z]+(?:ed|en)|hurt|missing|dead)\b",
    re.I,
)
# Words between a figure and the noun it counts: "two million people", "thousands of the
# buildings", "3 million tonnes of grain" (a measure of what is counted).
_BEFORE_NOUN = frozenset(
    (
        *("hundred", "hundreds", "thousand", "thousands", "million", "millions", "billion"),
        *("billions", "trillion", "dozen", "dozens", "the", "a", "an", "its", "their"),
        *("his", "her", "our", "more", "other", "additional", "further", "new"),
    )
)
_NOUN_WORDS = 4
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")


def _noun_after(right: Sequence[str]) -> str:
    """The words right after a figure that name what it counts ("turkish provinces" for "11
    Turkish provinces, killing..."), up to a short word or the clause's end; "of" joins a
    measure to what it measures. Empty when none follows ("the toll rose to 55,000.")."""
    noun: list[str] = []
    for word in right:
        match = _WORD.fullmatch(word.strip(".!?'\"\u2019"))
        if match is None:
            break
        w = match.group().lower()
        if w == "of" or (not noun and w in _BEFORE_NOUN):
            continue
        if w in STOPWORDS or len(noun) == _NOUN_WORDS:
            break
        noun.append(w)
    return " ".join(noun)


def _noun_fits(counted: Sequence[str], noun: str, context: str) -> bool:
    """Whether `noun`, the words a figure is put to (`_noun_after`), may name what `counted`
    asks for: none, people in general, one of the counted words, or, for a count of the
    dead, anyone the clause says died ("killing more than 1,100 workers" counts casualties)."""
    if not noun or noun in _ANYONE or any(_counts(term, noun) for term in counted):
        return True
    return not _DEATH_COUNTS.isdisjoint(counted) and not _DEATH_COUNTS.isdisjoint(tokens(context))


def _counts(term: str, context: str) -> bool:
    if term in _ANYONE and not _DEATH_COUNTS.isdisjoint(tokens(context)):
        return True
    return _names_any([term], [context])


def quotes_a_quantity_if_asked(question: str, quotes: Sequence[str]) -> bool:
    """False when the question asks for a number ("How many fighter jets...?", "How old
    was...?") and none of `quotes` holds one, in digits or words, asks when and none names a
    time ("When will Trump meet Putin?" is not answered by "preparations are underway"), or
    asks on what date and none names one."""
    return not _lacks((*_QUANTITY, _DATE), question, "\n".join(quotes))


def names_all(names: Collection[str], texts: Sequence[str]) -> bool:
    """Whether `texts` hold every one of `names` (tokens), fuzzily: the evidence for "And how
    many did Ukraine lose?" must name Ukraine, not only Russia."""
    if not names:
        return True
    # "U.S." is the name "US" ("u" and "s" as tokens).
    words = Vocabulary(
        t for text in texts for t in (*tokens(text), *tokens(_DOTTED.sub(_undot, text)))
    )
    return all(term_matches(n, words) for n in names)


_DOTTED = re.compile(r"\b(?:[A-Z]\.){2,}")


def _undot(match: re.Match[str]) -> str:
    return match.group().replace(".", "")


def answer_type_fits(question: str, text: str) -> bool:
    """False when the question asks for a number, a time or a name and the text has none
    (a name counts only if the question does not already hold it)."""
    if _lacks(_QUANTITY, question, text):
        return False
    return not (_NAME_Q.search(question) and not names_new_to(question, text))


def names_the_time_asked(question: str, answer: str) -> bool:
    """An answer to "in which month and year" names both: "2022" alone is half an answer;
    one to "on what day of the week" names a weekday, not a date."""
    if _lacks(((_ASKS_MONTH, _HAS_MONTH), (_ASKS_WEEKDAY, _HAS_WEEKDAY), _DATE), question, answer):
        return False
    return not (_ASKS_YEAR.search(question) and not asked_years(answer))


def score_sentences(
    question: str,
    candidates: Sequence[tuple[Sentence, int]],
    similarities: Sequence[float],
    coverage_weight: float = 0.35,
    rank_weight: float = 0.35,
    type_penalty: float = 0.15,
    required: Collection[str] = (),
    published: Callable[[str], str | None] | None = None,
) -> list[ScoredSentence]:
    """Rank candidate sentences by similarity, term coverage, chunk rank and answer type.

    The chunk's rank weighs most: each place down the retrieval order costs `rank_weight`,
    about the spread of the other scores, so the evidence comes from the best chunk first and
    a sentence of a lower chunk leads only when it is far better. The rerank has read the
    BM25 score, the headline, the years and the whole chunk; one sentence's similarity to
    the question is a noisier signal (a long quote scores low against a short question).
    Measured, extractive, against 0.02: seeds accuracy 0.781 -> 0.802, seeds_blind 0.778 ->
    0.806, seeds_check 0.921 -> 0.947, general 0.800 = 0.800, general_blind 0.700 -> 0.717;
    citation precision on the seeds 0.951 -> 1.000. Every value from 0.25 to 0.5 measured
    the same except the check set (0.921 at 0.25).

    A sentence that opens with a pronoun ("He also praised Trump...") or quotes one at its end
    ("..., he added.") is about whoever the sentence before it names, so its coverage counts
    that sentence's words too. A sentence that names a year, but none the question asks
    about, is about another event ("the 2024 Wimbledon title" for a question on 2022) and
    loses as much as one of the wrong type.

    `published` gives the words of an article's publication date ("2014 july jul 13"); a
    sentence's coverage counts them as its own, as the rerank does: a wire story says "on
    Sunday", and a question about "the 2014 World Cup final" or "the final on July 13" is
    not less covered by it. Blind general set 48/60 -> 50/60 answered, its days questions
    15/18 -> 18/18; the seeds sets, whose articles are rarely dated, unchanged."""
    years = asked_years(question)
    scored = []
    for (sentence, rank), sim in zip(candidates, similarities, strict=True):
        text = sentence.text
        if _PRONOUN_START.match(text) or _PRONOUN_SAID.search(text):
            before = next(
                (s for s, _ in candidates if _adjacent(s, sentence) and s.end <= sentence.start),
                None,
            )
            if before is not None:
                text = f"{before.text} {text}"
        date = published(sentence.article_id) if published else None
        coverage = term_coverage(question, f"{text}\n{date}" if date else text)
        score = (1 - coverage_weight) * sim + coverage_weight * coverage - rank_weight * rank
        if not answer_type_fits(question, sentence.text):
            score -= type_penalty
        if years:
            named = asked_years(sentence.text)
            if named and years.isdisjoint(named):
                score -= type_penalty
        if required and not names_all(required, [sentence.text]):
            score -= type_penalty
        scored.append(ScoredSentence(sentence, score, float(sim), coverage, rank))
    return sorted(scored, key=lambda s: -s.score)


def fitting_neighbours(
    question: str, best: ScoredSentence, ranked: Sequence[ScoredSentence]
) -> list[ScoredSentence]:
    """The sentences right before and after `best` in its article that hold the kind of answer
    the question asks for (a number, a time, a name), when `best` itself lacks it.

    News writing splits a fact from its attribution ("He said this in an interview with Fox
    News.") and a claim from its figure, so the answer often sits next to the sentence that
    matched the question best. Which neighbour holds it is not known (a capitalised word is all
    a name check sees), so both are returned when both fit."""
    if answer_type_fits(question, best.sentence.text):
        return []
    return [
        s
        for s in ranked
        if _adjacent(best.sentence, s.sentence) and answer_type_fits(question, s.sentence.text)
    ]
