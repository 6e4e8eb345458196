"""Find the organizations that fit a person's answers, best first, in memory.

The rules:

* Filters: the organization serves the state asked for (its own state, ``states_served``, or
  ``nationwide``); offers the service asked for, if any; has a phone or a website; and was not
  last verified more than ``hide_days`` ago.
* Ranking, in this order: organizations of the state before nationwide ones; when the person is
  detained, those that help detained people; organizations open to everyone before those that
  serve only detained people or children (unless the person is detained and they serve detained
  people); the person's court city; their language (then interpretation; an organization whose
  staff languages are not known, ``languages: []``, is neutral here, not ranked as lacking the
  language); free; in person before phone or online only; then the order of the file.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.directory.model import NationalResource, Provider, court_city, court_state

__all__ = ["Directory", "Found", "Freshness", "Query", "freshness", "rank_key"]

RankKey = tuple[int, ...]


class Freshness(enum.Enum):
    """How recently a person checked an entry, which decides how it is shown."""

    UNVERIFIED = "unverified"
    """``last_verified: null``: shown with "please confirm before relying on it"."""
    FRESH = "fresh"
    """Checked within ``warn_days``: shown with "verified on <date>"."""
    STALE = "stale"
    """Checked longer ago: shown with a warning that it may have changed."""
    HIDDEN = "hidden"
    """Checked more than ``hide_days`` ago: not shown at all."""


def freshness(
    verified: dt.date | None, today: dt.date, warn_days: int, hide_days: int
) -> Freshness:
    """How to show an entry last verified on ``verified``."""
    if verified is None:
        return Freshness.UNVERIFIED
    age = (today - verified).days
    if age > hide_days:
        return Freshness.HIDDEN
    if age > warn_days:
        return Freshness.STALE
    return Freshness.FRESH


@dataclass(frozen=True)
class Query:
    """A person's answers as search terms. ``state`` is a two-letter code, or ``MX``.

    ``court`` is a court as written in the data ("San Antonio, TX"); ``language`` an ISO code.
    ``state`` and ``service`` filter; the others only change the order.
    """

    state: str | None = None
    court: str | None = None
    detained: bool = False
    language: str | None = None
    service: str | None = None


@dataclass(frozen=True)
class Found:
    """One organization in the results, with how fresh its entry is."""

    provider: Provider
    freshness: Freshness


def admits(provider: Provider, query: Query) -> bool:
    """The filters of the search, apart from the age of the entry."""
    if not provider.contactable:
        return False
    if query.service and query.service not in provider.services:
        return False
    return not query.state or provider.nationwide or query.state in provider.regions


def _court_match(provider: Provider, court: str) -> bool:
    if court in provider.courts:
        return True
    return provider.city == court_city(court) and provider.state == court_state(court)


def rank_key(provider: Provider, query: Query, position: int) -> RankKey:
    """Smaller is better; see the module docstring for the order of the rules."""
    outside = int(bool(query.state) and query.state not in provider.regions)
    detained_miss = int(query.detained and "detained" not in provider.services)
    restricted = int(
        bool(provider.serves_only) and not (query.detained and "detained" in provider.serves_only)
    )
    court_miss = int(bool(query.court) and not _court_match(provider, query.court or ""))
    if not query.language or query.language in provider.languages or not provider.languages:
        language_miss = 0  # an empty list means "not known", not "speaks none of them"
    else:
        language_miss = 1 if provider.interpretation else 2
    not_free = int("free" not in provider.cost)
    return (
        outside,
        detained_miss,
        restricted,
        court_miss,
        language_miss,
        not_free,
        int(provider.remote),
        position,
    )


class Directory:
    """The legal-aid directory in memory: what the flow's actions search.

    Built once per content load; ``clock`` gives today's date for the age of entries (it is the
    only thing here that changes with time, so tests pass a fixed one).
    """

    def __init__(
        self,
        providers: Sequence[Provider],
        national: Sequence[NationalResource] = (),
        warn_days: int = 180,
        hide_days: int = 365,
        clock: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.providers = list(providers)
        self.national = list(national)
        self.warn_days = warn_days
        self.hide_days = hide_days
        self.clock = clock

    def freshness(self, provider: Provider, today: dt.date | None = None) -> Freshness:
        """How to show this entry today."""
        return freshness(
            provider.last_verified, today or self.clock(), self.warn_days, self.hide_days
        )

    def search(self, query: Query, today: dt.date | None = None) -> list[Found]:
        """Every organization that passes the filters, best first."""
        day = today or self.clock()
        ranked: list[tuple[RankKey, Found]] = []
        for position, provider in enumerate(self.providers):
            if not admits(provider, query):
                continue
            fresh = self.freshness(provider, day)
            if fresh is Freshness.HIDDEN:
                continue
            ranked.append((rank_key(provider, query, position), Found(provider, fresh)))
        ranked.sort(key=lambda pair: pair[0])
        return [found for _, found in ranked]

    def courts(self, state: str | None) -> list[str]:
        """The courts named in the data for one state, as the flow offers them, sorted."""
        if not state:
            return []
        today = self.clock()
        names = {
            court
            for provider in self.providers
            if provider.contactable and self.freshness(provider, today) is not Freshness.HIDDEN
            for court in provider.courts
            if court_state(court) == state
        }
        return sorted(names)

    def resource(self, resource_id: str) -> NationalResource | None:
        """A national resource by id; ``None`` when it was checked too long ago to be shown."""
        found = next((r for r in self.national if r.id == resource_id), None)
        if found is None:
            return None
        age = freshness(found.last_verified, self.clock(), self.warn_days, self.hide_days)
        return None if age is Freshness.HIDDEN else found
