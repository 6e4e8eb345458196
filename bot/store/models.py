"""The database schema: conversation state under a keyed hash, and aggregate counters. Nothing else.

No column can hold an identity: the conversation key is an HMAC of the channel's id made with a
secret that never enters the database, and the state is the engine's ``ConversationState`` (a
language, a node id, "back" history and screener answers) as JSON.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["Base", "ConversationRow", "CounterRow", "DeliveryRow"]


class Base(DeclarativeBase):
    """Declarative base for the helpline's tables."""


class ConversationRow(Base):
    """One conversation's state. ``version`` makes concurrent writers (several workers) safe."""

    __tablename__ = "conversation_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[str] = mapped_column(Text, nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, index=True)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's documented form


class CounterRow(Base):
    """How many times a screen was shown, per day, channel and language: never per person."""

    __tablename__ = "counter"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    locale: Mapped[str] = mapped_column(String(16), primary_key=True)
    node: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class DeliveryRow(Base):
    """An update seen in the last ``DEDUPE_WINDOW``: its platform id and what is left to send.

    ``outbox`` holds the rendered answer (channel payloads without any recipient) only until it
    is sent, then it is cleared; ``sent`` says how many of its messages went out. Nothing here
    says whose update it was: the recipient comes again with the redelivered update.
    """

    __tablename__ = "delivery"

    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    update_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, index=True)
    outbox: Mapped[str | None] = mapped_column(Text, nullable=True)
    sent: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
