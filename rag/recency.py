"""How fresh an article is for a question asked on a given day.

A news question is asked on a day ("as of"): "which former pope was laid to rest this week?"
means the stories of the days before it, not the ones a year earlier that tell the same kind
of event. An article published in the window before the day counts fully; older ones count
less and less until the horizon; undated ones, and ones published after the day (beyond a
grace of a couple of days: a story is often dated the day after the event it reports),
count nothing. Pure functions; the retriever turns the scores into a rerank feature.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class RecencyPolicy:
    """Days that count fully before the asked day, days over which freshness then fades to
    zero, and days after the asked day still counted (publication lag)."""

    window_days: int = 8
    fade_days: int = 24
    grace_days: int = 2

    def freshness(self, published: date, as_of: date) -> float:
        """1.0 inside the window, fading linearly to 0.0 over `fade_days`, 0.0 beyond, and
        0.0 for an article published more than `grace_days` after `as_of`."""
        age = (as_of - published).days
        if age < -self.grace_days:
            return 0.0
        if age <= self.window_days:
            return 1.0
        past = age - self.window_days
        return max(0.0, 1.0 - past / self.fade_days) if self.fade_days > 0 else 0.0


def parse_day(value: str | None) -> date | None:
    """The day of an ISO date or datetime ("2023-01-05", "2023-01-05T10:00:00+00:00"), or
    None when absent or not a date."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def fresh_articles(
    published: Mapping[str, date], as_of: date, policy: RecencyPolicy
) -> dict[str, float]:
    """Each dated article's positive freshness for a question asked on `as_of` (articles
    that score 0 are left out)."""
    scores = {a: policy.freshness(day, as_of) for a, day in published.items()}
    return {a: s for a, s in scores.items() if s > 0}
