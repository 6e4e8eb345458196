"""The directory in SQL: replace the tables' content from the YAML, and search them.

``load_directory_into_db`` is called at start-up and on every content reload; it swaps the whole
directory in one transaction, so a reader sees either the old list or the new one, never half.
``search_db`` applies the same filters and order as ``Directory.search`` (see
``bot.directory.search``), in SQL, so reports and other services can query the database directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, case, delete, exists, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.directory.model import Provider, court_city, court_state
from bot.directory.search import Found, Freshness, Query, freshness
from bot.directory.tables import LIST_FIELDS, ProviderItemRow, ProviderRow

__all__ = ["load_directory_into_db", "provider_from_row", "search_db"]

_SCALARS = (
    "name",
    "city",
    "state",
    "nationwide",
    "remote",
    "interpretation",
    "phone",
    "website",
    "hours",
    "doj_recognized",
    "last_verified",
    "source",
    "source_date",
    "notes",
)


def _rows(provider: Provider, position: int) -> ProviderRow:
    row = ProviderRow(id=provider.id, position=position)
    for name in _SCALARS:
        setattr(row, name, getattr(provider, name))
    row.items = [
        ProviderItemRow(field=name, position=index, value=value)
        for name in LIST_FIELDS
        for index, value in enumerate(getattr(provider, name))
    ]
    return row


async def load_directory_into_db(
    sessions: async_sessionmaker[AsyncSession], providers: Sequence[Provider]
) -> int:
    """Replace every organization in the tables with ``providers``, in one transaction."""
    async with sessions() as session, session.begin():
        await session.execute(delete(ProviderItemRow))
        await session.execute(delete(ProviderRow))
        session.add_all(_rows(provider, position) for position, provider in enumerate(providers))
    return len(providers)


def provider_from_row(row: ProviderRow) -> Provider:
    """The provider a row (and its items) holds."""
    values: dict[str, Any] = {name: getattr(row, name) for name in _SCALARS}
    values["id"] = row.id
    for name in LIST_FIELDS:
        values[name] = [
            i.value for i in sorted(row.items, key=lambda i: i.position) if i.field == name
        ]
    return Provider.model_validate(values)


def _has(field: str, value: str) -> ColumnElement[bool]:
    item = ProviderItemRow
    return exists().where(
        item.provider_id == ProviderRow.id, item.field == field, item.value == value
    )


def _has_any(field: str) -> ColumnElement[bool]:
    item = ProviderItemRow
    return exists().where(item.provider_id == ProviderRow.id, item.field == field)


def _flag(condition: ColumnElement[bool], when_true: int, otherwise: int) -> ColumnElement[int]:
    return case((condition, literal(when_true)), else_=literal(otherwise))


def _order(query: Query) -> list[ColumnElement[Any]]:
    p = ProviderRow
    order: list[ColumnElement[Any]] = []
    if query.state:
        order.append(_flag(or_(p.state == query.state, _has("states_served", query.state)), 0, 1))
    if query.detained:
        order.append(_flag(_has("services", "detained"), 0, 1))
        serves_detained = _has("serves_only", "detained")
        order.append(_flag(and_(_has_any("serves_only"), ~serves_detained), 1, 0))
    else:
        order.append(_flag(_has_any("serves_only"), 1, 0))
    if query.court:
        near = and_(p.city == court_city(query.court), p.state == court_state(query.court))
        order.append(_flag(or_(_has("courts", query.court), near), 0, 1))
    if query.language:
        order.append(
            case(
                (_has("languages", query.language), literal(0)),
                (~_has_any("languages"), literal(0)),  # staff languages unknown: neutral
                (p.interpretation.is_(True), literal(1)),
                else_=literal(2),
            )
        )
    order.append(_flag(_has("cost", "free"), 0, 1))
    order.append(_flag(p.remote.is_(True), 1, 0))
    order.append(p.position.asc())
    return order


async def search_db(
    sessions: async_sessionmaker[AsyncSession],
    query: Query,
    today: dt.date,
    warn_days: int,
    hide_days: int,
) -> list[Found]:
    """The organizations that fit ``query``, best first (the rules of ``Directory.search``)."""
    p = ProviderRow
    conditions: list[ColumnElement[bool]] = [
        or_(p.phone != "", p.website != ""),
        or_(p.last_verified.is_(None), p.last_verified >= today - dt.timedelta(days=hide_days)),
    ]
    if query.state:
        conditions.append(
            or_(p.nationwide, p.state == query.state, _has("states_served", query.state))
        )
    if query.service:
        conditions.append(_has("services", query.service))
    statement = select(p).where(*conditions).order_by(*_order(query))
    async with sessions() as session:
        rows = (await session.execute(statement)).scalars().all()
        providers = [provider_from_row(row) for row in rows]
    found = []
    for provider in providers:
        fresh = freshness(provider.last_verified, today, warn_days, hide_days)
        if fresh is not Freshness.HIDDEN:
            found.append(Found(provider, fresh))
    return found
