"""A deterministic synthetic news corpus: the same seed gives the same articles, byte for byte.

Articles are built from templates over small vocabularies (people, places, organisations,
numbers), so every article is distinct (no near-duplicates for ingestion to drop) while the
text still reads like wire copy: dated, attributed, with figures and quotes.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

FIRST = (
    "Anna", "Boris", "Chen", "Dara", "Elif", "Farid", "Greta", "Hugo", "Ines", "Jonas",
    "Kofi", "Lena", "Mateo", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Sami", "Tomas",
    "Ulla", "Viktor", "Wen", "Yara", "Zoran",
)  # fmt: skip
LAST = (
    "Albers", "Brandt", "Castillo", "Dumont", "Eriksen", "Fischer", "Garcia", "Haddad",
    "Ivanova", "Jensen", "Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor", "Petrov",
    "Quinn", "Rossi", "Schmidt", "Tanaka", "Umarov", "Varga", "Weber", "Yilmaz", "Zhang",
)  # fmt: skip
ROLES = (
    "finance minister", "mayor", "central bank governor", "spokesperson", "chief executive",
    "foreign minister", "union leader", "energy regulator", "health commissioner",
    "opposition leader", "defence minister", "port authority director",
)  # fmt: skip
PLACES = (
    "Aldenburg", "Brevik", "Castelmar", "Dunmore", "Esterholm", "Falkirk Bay", "Grenvale",
    "Halden", "Istrova", "Jarnwick", "Kestrel Point", "Lindau", "Morrow", "Norrland",
    "Ostend Vale", "Port Sabine", "Quarry Hill", "Redwater", "Solberg", "Tarvos",
)  # fmt: skip
ORGS = (
    "the National Grid Agency", "the Harbour Workers Union", "Meridian Bank",
    "the Ministry of Transport", "Solace Pharmaceuticals", "the Regional Water Board",
    "Northwind Energy", "the Statistics Office", "the Coastal Guard", "Atlas Rail",
    "the University of Grenvale", "the Farmers Cooperative",
)  # fmt: skip
TOPICS = (
    ("a new tram line", "construction", "commuters"),
    ("wind farm licences", "the energy transition", "coastal towns"),
    ("interest rates", "inflation", "households"),
    ("a port strike", "exports", "shipping firms"),
    ("hospital funding", "waiting lists", "patients"),
    ("flood defences", "the spring thaw", "farmers"),
    ("a grain deal", "food prices", "bakers"),
    ("school reform", "teacher shortages", "parents"),
    ("a data breach", "privacy rules", "bank customers"),
    ("rail fares", "the budget", "students"),
)
SOURCES = ("Wire Desk", "The Morning Ledger", "Harbour Post", "Civic Times", "Field Report")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")

OPENERS = (
    "{person}, the {role} of {place}, said on {day} that {topic} would cost {money}.",
    "Officials in {place} confirmed on {day} that {topic} had been delayed by {n} weeks.",
    "{org} announced on {day} that it would review {topic} after complaints from {group}.",
    "{group} in {place} staged protests on {day} over {topic}, police said.",
)
BODY = (
    "According to {org}, {n} people were affected in {place} alone.",
    "The figure rose to {pct} percent in {month}, up from {pct2} percent a year earlier.",
    '"We cannot wait any longer," {person} told reporters in {place}.',
    "{person} said {issue} had become the main concern for {group}.",
    "The plan, first proposed in {month}, sets aside {money} over {n} years.",
    "Critics argue that {issue} is being ignored, while {org} says the numbers speak for it.",
    "A vote on the proposal is expected in {month}, {person} said.",
    "Around {n} thousand residents signed a petition calling for changes to {topic}.",
    "{org} estimated the cost of delays at {money} per month.",
    "In {place}, {group} said they had not been consulted about {topic}.",
    "The {role} declined to comment on reports that {issue} would worsen before {month}.",
    "Data from the Statistics Office show {n} new cases of disruption linked to {issue}.",
    "Talks between {org} and {group} ended on {day} without agreement.",
    "{person} previously served as {role} in {place} for {n} years.",
)
CLOSERS = (
    "The next round of talks is scheduled for {month}.",
    "{org} said it would publish a full report by the end of {month}.",
    "Further updates are expected after the meeting in {place} on {day}.",
)


@dataclass(frozen=True)
class SyntheticArticle:
    id: str
    title: str
    source: str
    published_at: str
    author: str
    text: str


def _fill(rng: random.Random, template: str, topic: tuple[str, str, str], person: str) -> str:
    return template.format(
        person=person if rng.random() < 0.6 else f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        role=rng.choice(ROLES),
        place=rng.choice(PLACES),
        org=rng.choice(ORGS),
        day=rng.choice(DAYS),
        month=rng.choice(MONTHS),
        topic=topic[0],
        issue=topic[1],
        group=topic[2],
        n=rng.randint(2, 950),
        pct=rng.randint(2, 60),
        pct2=rng.randint(2, 60),
        money=f"{rng.randint(2, 900)} million euros",
    )


def article(index: int, seed: int = 0, sentences: tuple[int, int] = (9, 13)) -> SyntheticArticle:
    """The `index`-th article of the corpus for `seed`."""
    rng = random.Random(f"{seed}:{index}")
    topic = rng.choice(TOPICS)
    person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    n = rng.randint(*sentences)
    body = rng.sample(BODY, k=min(n - 2, len(BODY)))
    lines = [_fill(rng, rng.choice(OPENERS), topic, person)]
    lines += [_fill(rng, t, topic, person) for t in body]
    lines.append(_fill(rng, rng.choice(CLOSERS), topic, person))
    # Paragraphs of two to four sentences, as wire copy is laid out.
    paragraphs, i = [], 0
    while i < len(lines):
        step = rng.randint(2, 4)
        paragraphs.append(" ".join(lines[i : i + step]))
        i += step
    place = rng.choice(PLACES)
    return SyntheticArticle(
        id=f"syn{seed}-{index:06d}",
        title=f"{place}: {topic[0].capitalize()} row deepens ({index})",
        source=rng.choice(SOURCES),
        published_at=f"2026-{rng.randint(1, 8):02d}-{rng.randint(1, 28):02d}",
        author=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        text="\n\n".join(paragraphs),
    )


def articles(count: int, seed: int = 0) -> Iterator[SyntheticArticle]:
    for index in range(count):
        yield article(index, seed)


def write_jsonl(path: Path, count: int, seed: int = 0) -> Path:
    """Write `count` articles as JSONL records `rag ingest` reads; returns `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for item in articles(count, seed):
            out.write(json.dumps(asdict(item), ensure_ascii=False) + "\n")
    return path


def queries(count: int, seed: int = 0) -> list[str]:
    """Search queries in the corpus's vocabulary (deterministic)."""
    rng = random.Random(f"queries:{seed}")
    forms = (
        "What did the {role} of {place} say about {topic}?",
        "{topic} protests in {place}",
        "How much will {topic} cost?",
        "{org} review of {issue}",
        "Why are {group} angry about {issue}?",
    )
    out = []
    for _ in range(count):
        topic = rng.choice(TOPICS)
        out.append(
            rng.choice(forms).format(
                role=rng.choice(ROLES),
                place=rng.choice(PLACES),
                topic=topic[0],
                issue=topic[1],
                group=topic[2],
                org=rng.choice(ORGS),
            )
        )
    return out
