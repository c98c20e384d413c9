"""Reciprocal rank fusion of several rankings of the same items."""

from __future__ import annotations

from collections.abc import Hashable, Sequence


def fuse_rankings(
    rankings: Sequence[Sequence[Hashable]], k: int = 60
) -> list[tuple[Hashable, float]]:
    """Combine rankings by reciprocal rank (score = sum 1/(k + rank)), best first.

    Ties keep the order in which items first appear, so the result is deterministic.
    """
    scores: dict[Hashable, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    order = {item: i for i, item in enumerate(scores)}
    return sorted(scores.items(), key=lambda kv: (-kv[1], order[kv[0]]))
