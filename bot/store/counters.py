"""Aggregate counters: how often each screen was shown, per day, channel and language.

They answer "which topics do people reach, in which language, and where do they stop" with
no row about any person: a counter has no key, no time of day, no sequence.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter as _Tally
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import Insert, bindparam, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store.models import CounterRow

__all__ = ["CounterKey", "Counters", "MemoryCounters", "SqlCounters"]

CounterKey = tuple[dt.date, str, str, str]
"""(day, channel, locale, node)."""


class Counters(Protocol):
    """Adds to and reads the aggregate counters."""

    async def add(
        self, day: dt.date, channel: str, locale: str, node: str, amount: int = 1
    ) -> None:
        """Add ``amount`` to one counter."""

    async def all(self) -> list[tuple[CounterKey, int]]:
        """Every counter, sorted."""


@functools.cache
def _upsert(dialect: str) -> Insert:
    """``INSERT … ON CONFLICT DO UPDATE count = count + excluded.count`` for ``dialect``, built
    once (building it and its cache key for every turn cost more CPU than running it)."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(CounterRow).values(
        day=bindparam("c_day"),
        channel=bindparam("c_channel"),
        locale=bindparam("c_locale"),
        node=bindparam("c_node"),
        count=bindparam("c_n"),
    )
    return statement.on_conflict_do_update(
        index_elements=["day", "channel", "locale", "node"],
        set_={"count": CounterRow.count + statement.excluded.count},
    )


@dataclass
class SqlCounters:
    """Counters in the ``counter`` table, incremented with an atomic upsert."""

    sessions: async_sessionmaker[AsyncSession]

    async def add(
        self, day: dt.date, channel: str, locale: str, node: str, amount: int = 1
    ) -> None:
        """Upsert ``count = count + amount`` (safe with several workers)."""
        key = (day, channel, locale, node)
        async with self.sessions() as session:
            await session.run_sync(lambda sync: self.add_in(sync.connection(), key, amount))
            await session.commit()

    @staticmethod
    def add_in(connection: Connection, key: CounterKey, amount: int = 1) -> None:
        """The same upsert inside the caller's transaction (a turn counts as it commits)."""
        day, channel, locale, node = key
        statement = _upsert(connection.dialect.name)
        values = {"day": day, "channel": channel, "locale": locale, "node": node, "n": amount}
        connection.execute(statement, {f"c_{name}": value for name, value in values.items()})

    async def all(self) -> list[tuple[CounterKey, int]]:
        """Every counter row, oldest day first."""
        async with self.sessions() as session:
            rows = await session.execute(
                select(CounterRow).order_by(
                    CounterRow.day, CounterRow.channel, CounterRow.locale, CounterRow.node
                )
            )
            return [((r.day, r.channel, r.locale, r.node), r.count) for r in rows.scalars()]


@dataclass
class MemoryCounters:
    """Counters in memory, for the terminal simulator and tests."""

    tally: _Tally[CounterKey] = field(default_factory=_Tally)

    async def add(
        self, day: dt.date, channel: str, locale: str, node: str, amount: int = 1
    ) -> None:
        """Add to one counter."""
        self.tally[(day, channel, locale, node)] += amount

    async def all(self) -> list[tuple[CounterKey, int]]:
        """Every counter, sorted."""
        return sorted(self.tally.items())
