"""Embeddings kept by text: the most recently used ones, bounded, safe across threads."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Generic, TypeVar

import numpy as np

V = TypeVar("V")


class VectorCache(Generic[V]):
    """The vectors of the `size` most recently used texts. Arrays handed out are read-only,
    since every later caller of the same text shares them. (Any value can be kept: the
    word-piece vectors of queries are too.)"""

    def __init__(self, size: int):
        self.size = size
        self._vectors: OrderedDict[str, V] = OrderedDict()
        self._lock = threading.Lock()

    def vectors(self, texts: Sequence[str], embed: Callable[[list[str]], Sequence[V]]) -> list[V]:
        """The vector of each text; `embed` is called once, for the texts not kept."""
        found: dict[str, V] = {}
        with self._lock:
            for text in texts:
                vector = self._vectors.get(text)
                if vector is not None:
                    self._vectors.move_to_end(text)
                    found[text] = vector
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            computed = dict(zip(missing, embed(missing), strict=True))
            self.keep(computed)
            found.update(computed)
        return [found[t] for t in texts]

    def keep(self, vectors: Mapping[str, V]) -> None:
        """Keep vectors computed elsewhere (as the most recently used)."""
        for vector in vectors.values():
            if isinstance(vector, np.ndarray):
                vector.flags.writeable = False
        with self._lock:
            for text, vector in vectors.items():
                self._vectors[text] = vector
                self._vectors.move_to_end(text)
            while len(self._vectors) > self.size:
                self._vectors.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._vectors.clear()
