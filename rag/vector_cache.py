"""Embeddings kept by text: the most recently used ones, bounded, safe across threads."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

import numpy as np


class VectorCache:
    """The vectors of the `size` most recently used texts. Vectors handed out are read-only,
    since every later caller of the same text shares them."""

    def __init__(self, size: int):
        self.size = size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def vectors(
        self, texts: Sequence[str], embed: Callable[[list[str]], np.ndarray]
    ) -> list[np.ndarray]:
        """The vector of each text; `embed` is called once, for the texts not kept."""
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for text in texts:
                vector = self._vectors.get(text)
                if vector is not None:
                    self._vectors.move_to_end(text)
                    found[text] = vector
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            for text, vector in zip(missing, embed(missing), strict=True):
                vector.flags.writeable = False
                found[text] = vector
            with self._lock:
                for text in missing:
                    self._vectors[text] = found[text]
                while len(self._vectors) > self.size:
                    self._vectors.popitem(last=False)
        return [found[t] for t in texts]

    def clear(self) -> None:
        with self._lock:
            self._vectors.clear()
